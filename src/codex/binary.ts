/**
 * Finding the codex binary: `--codex-bin`, else Hermes' `model.codex_bin`,
 * else `codex` on PATH (the same order Hermes uses to spawn codex).
 */
import * as path from 'node:path';
import which from 'which';

export interface CodexBinary {
  /** What will be executed (absolute when found on PATH). */
  path: string;
  source: 'flag' | 'hermes-config' | 'PATH';
}

/**
 * Resolve the codex binary.
 * @param pathEnv the PATH to search
 * @returns null when nothing is configured and `codex` is not on PATH
 */
export async function resolveCodexBinary(opts: {
  flag?: string;
  hermesSetting?: string;
  pathEnv?: string;
  cwd: string;
}): Promise<CodexBinary | null> {
  if (opts.flag) return { path: absolutise(opts.flag, opts.cwd), source: 'flag' };
  if (opts.hermesSetting) return { path: absolutise(opts.hermesSetting, opts.cwd), source: 'hermes-config' };
  const found = await which('codex', { nothrow: true, path: opts.pathEnv ?? '' });
  return found ? { path: found, source: 'PATH' } : null;
}

/** A bare command name stays as is (looked up on PATH at spawn); a relative path resolves against cwd. */
function absolutise(p: string, cwd: string): string {
  return p.includes('/') || p.includes(path.sep) ? path.resolve(cwd, p) : p;
}

/** Absolute path of an executable on PATH, or null. */
export async function findOnPath(name: string, pathEnv: string | undefined): Promise<string | null> {
  return which(name, { nothrow: true, path: pathEnv ?? '' });
}

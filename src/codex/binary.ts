/**
 * Finding the codex binary: `--codex-bin`, else Hermes' `model.codex_bin`,
 * else `codex` on PATH (the same order Hermes uses to spawn codex).
 */
import * as path from 'node:path';
import { existsSync, realpathSync } from 'node:fs';
import { CodexProcessError } from '../core/errors.js';
import { TESTED_CODEX_VERSION } from './capabilities.js';

/** How to get codex: the install command for the tested version, or where to point hermes-codex. */
export const CODEX_INSTALL_HINT = `Install codex with \`npm i -g @openai/codex@${TESTED_CODEX_VERSION}\`, or pass --codex-bin / set model.codex_bin in Hermes' config.yaml.`;

/** The one error for a codex that cannot be found (every command throws this one). */
export function codexNotFound(detail?: string): CodexProcessError {
  return new CodexProcessError(`codex not found${detail ? ` (${detail})` : ' on PATH'}`, { remediation: CODEX_INSTALL_HINT });
}

export interface CodexBinary {
  /** What will be executed (absolute when found on PATH). */
  path: string;
  source: 'flag' | 'hermes-config' | 'PATH';
  /** When `path` is the native binary behind npm's `@openai/codex` Node wrapper, the wrapper found first. */
  npmWrapper?: string;
}

/** The platform packages npm's codex wrapper picks from (@openai/codex bin/codex.js, 0.169). */
const PLATFORM_PACKAGES: Record<string, [pkg: string, triple: string]> = {
  'linux-x64': ['@openai/codex-linux-x64', 'x86_64-unknown-linux-musl'],
  'linux-arm64': ['@openai/codex-linux-arm64', 'aarch64-unknown-linux-musl'],
  'darwin-x64': ['@openai/codex-darwin-x64', 'x86_64-apple-darwin'],
  'darwin-arm64': ['@openai/codex-darwin-arm64', 'aarch64-apple-darwin'],
};

/**
 * The native binary behind npm's `@openai/codex` wrapper, found the way the
 * wrapper finds it (its platform package's `vendor/<triple>/bin/codex`), or
 * null when `bin` is not that wrapper. Spawning it directly skips a Node
 * start-up per call (about 80 ms); the wrapper's two bookkeeping variables
 * are set by {@link codexSpawnEnv}.
 */
export function nativeBehindNpmWrapper(bin: string): { native: string; packageRoot: string } | null {
  let real: string;
  try {
    real = realpathSync(bin);
  } catch {
    return null;
  }
  if (!real.endsWith(path.join('@openai', 'codex', 'bin', 'codex.js'))) return null;
  const plat = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  if (!plat) return null;
  const packageRoot = path.resolve(path.dirname(real), '..');
  try {
    // node:module only here: loading it brings Node's ES module loader (about 1 ms), and a `migrate`
    // that never starts codex (--no-validate --no-plugins) imports this module all the same.
    const req = process.getBuiltinModule('node:module').createRequire(path.join(packageRoot, 'package.json'));
    const vendor = path.join(path.dirname(req.resolve(`${plat[0]}/package.json`)), 'vendor');
    const native = path.join(vendor, plat[1], 'bin', 'codex');
    return existsSync(native) ? { native, packageRoot } : null;
  } catch {
    return null;
  }
}

/** Extra environment for spawning a codex binary: what npm's wrapper would have set. */
export function codexSpawnEnv(bin: string): Record<string, string> {
  const n = nativeBehindNpmWrapper(bin);
  return n ? { CODEX_MANAGED_PACKAGE_ROOT: n.packageRoot, CODEX_MANAGED_BY_NPM: '1' } : {};
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
  let found: CodexBinary | null;
  if (opts.flag) found = { path: absolutise(opts.flag, opts.cwd), source: 'flag' };
  else if (opts.hermesSetting) found = { path: absolutise(opts.hermesSetting, opts.cwd), source: 'hermes-config' };
  else {
    const onPath = await findOnPath('codex', opts.pathEnv);
    found = onPath ? { path: onPath, source: 'PATH' } : null;
  }
  if (!found) return null;
  const lookup = found.path.includes('/') ? found.path : await findOnPath(found.path, opts.pathEnv);
  const n = lookup ? nativeBehindNpmWrapper(lookup) : null;
  return n ? { path: n.native, source: found.source, npmWrapper: found.path } : found;
}

/** A bare command name stays as is (looked up on PATH at spawn); a relative path resolves against cwd. */
function absolutise(p: string, cwd: string): string {
  return p.includes('/') || p.includes(path.sep) ? path.resolve(cwd, p) : p;
}

/** Absolute path of an executable on PATH, or null. */
export async function findOnPath(name: string, pathEnv: string | undefined): Promise<string | null> {
  const { default: which } = await import('which'); // loaded when a lookup happens, not at start-up
  return which(name, { nothrow: true, path: pathEnv ?? '' });
}

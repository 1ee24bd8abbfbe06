/**
 * Asking Codex's own config loader whether a config.toml is acceptable.
 *
 * Fact (codex 0.169, shared/codex-field-notes.md): `codex app-server
 * [--strict-config] --print-startup-config` loads `$CODEX_HOME/config.toml`
 * and exits. Success: exit 0 and one JSON line with `appServerVersion`.
 * Failure: exit 1 and one JSON line `{"error":{"code":-32600,"data":{"reason":
 * "configLoad","filePath","line","column","detail"},"message"}}`. Without
 * `--strict-config` unknown keys are ignored but structural errors still
 * fail; with it, the first unknown field is reported.
 *
 * The text is checked in a private temporary CODEX_HOME so the user's real
 * one is never touched; HOME is left as it is.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { RunCommand } from './process.js';
import { codexSpawnEnv } from './binary.js';
import { withLinkedCodexHome } from './private-home.js';

export interface LoaderFinding {
  message: string;
  /** 1-based line in the checked config.toml, when Codex gave one. */
  line?: number;
  column?: number;
}

export type LoaderVerdict =
  | { status: 'accepted'; strictFindings: LoaderFinding[]; appServerVersion?: string }
  | { status: 'rejected'; error: LoaderFinding }
  | { status: 'unavailable'; reason: string };

const TIMEOUT_MS = 20_000;

/** Parse the JSON line `--print-startup-config` prints. Exported for tests. */
export function parseStartupConfigOutput(stdout: string): { ok: true; version?: string } | { ok: false; error: LoaderFinding } | null {
  for (const line of stdout.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    let msg: unknown;
    try {
      msg = JSON.parse(t);
    } catch {
      continue;
    }
    if (typeof msg !== 'object' || msg === null) continue;
    const m = msg as Record<string, unknown>;
    if (typeof m['appServerVersion'] === 'string') return { ok: true, version: m['appServerVersion'] };
    const err = m['error'];
    if (typeof err === 'object' && err !== null) {
      const e = err as { message?: unknown; data?: { detail?: unknown; line?: unknown; column?: unknown } };
      const detail = typeof e.data?.detail === 'string' ? e.data.detail : typeof e.message === 'string' ? e.message : 'unknown error';
      const finding: LoaderFinding = { message: stripPathPrefix(detail) };
      if (typeof e.data?.line === 'number') finding.line = e.data.line;
      if (typeof e.data?.column === 'number') finding.column = e.data.column;
      return { ok: false, error: finding };
    }
  }
  return null;
}

/** `/tmp/x/config.toml:5:1: msg` → `msg` (the temp path means nothing to the user). */
function stripPathPrefix(detail: string): string {
  return detail.replace(/^\S*config\.toml:\d+:\d+:\s*/, '');
}

/**
 * Run Codex's loader (plain, then strict) on a CODEX_HOME as it is: used by
 * doctor. It runs on a private CODEX_HOME of symlinks to the real one's
 * entries, so relative paths resolve as they will for codex while the
 * `tmp/` codex creates on start lands there, not in the user's.
 */
export async function checkCodexHomeWithLoader(
  run: RunCommand,
  bin: string,
  codexHome: string,
  env: Record<string, string | undefined>,
): Promise<LoaderVerdict> {
  return withLinkedCodexHome(codexHome, (home) => verdictFor(run, bin, { ...env, CODEX_HOME: home, RUST_LOG: env['RUST_LOG'] ?? 'warn' }));
}

async function verdictFor(run: RunCommand, bin: string, env: Record<string, string | undefined>): Promise<LoaderVerdict> {
  const childEnv = { ...env, ...codexSpawnEnv(bin) };
  // Strict first: when it accepts, the plain run could only agree (one spawn in the usual case).
  const strictFirst = await run(bin, ['app-server', '--strict-config', '--print-startup-config'], { env: childEnv, timeoutMs: TIMEOUT_MS });
  const strictFirstParsed = strictFirst.failure ? null : parseStartupConfigOutput(strictFirst.stdout);
  if (strictFirstParsed?.ok) {
    return strictFirstParsed.version ? { status: 'accepted', strictFindings: [], appServerVersion: strictFirstParsed.version } : { status: 'accepted', strictFindings: [] };
  }
  const plain = await run(bin, ['app-server', '--print-startup-config'], { env: childEnv, timeoutMs: TIMEOUT_MS });
  if (plain.failure) return { status: 'unavailable', reason: `could not run ${bin}: ${plain.failure.message}` };
  const parsed = parseStartupConfigOutput(plain.stdout);
  if (!parsed) {
    return {
      status: 'unavailable',
      reason: `${bin} app-server --print-startup-config gave no verdict (exit ${plain.exitCode}); it may be older than 0.169: ${lastLine(plain.stderr)}`,
    };
  }
  if (!parsed.ok) return { status: 'rejected', error: parsed.error };
  const strictFindings = strictFirstParsed && !strictFirstParsed.ok ? [strictFirstParsed.error] : [];
  return parsed.version ? { status: 'accepted', strictFindings, appServerVersion: parsed.version } : { status: 'accepted', strictFindings };
}

/**
 * Validate config text with Codex's loader (plain, then strict).
 * @param bin codex executable
 * @param env the environment to run codex with (CODEX_HOME and RUST_LOG are set here)
 */
export async function checkWithCodexLoader(
  run: RunCommand,
  bin: string,
  configText: string,
  env: Record<string, string | undefined>,
): Promise<LoaderVerdict> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hermes-codex-check-'));
  try {
    await writeFile(path.join(dir, 'config.toml'), configText, { mode: 0o600 });
    return await verdictFor(run, bin, { ...env, CODEX_HOME: dir, RUST_LOG: env['RUST_LOG'] ?? 'warn' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function lastLine(s: string): string {
  const lines = s.trim().split('\n');
  return lines[0] ?? '';
}

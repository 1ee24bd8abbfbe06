/**
 * Asking Codex's own config loader whether a config.toml is acceptable, on
 * every supported codex version (the ladder in {@link verdictFor}).
 *
 * Fact (codex 0.164+, shared/codex-field-notes.md): `codex app-server
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
import type { RunCommand } from '../core/process.js';
import { codexSpawnEnv } from './binary.js';
import { withLinkedCodexHome, withScratchCodexHome } from './private-home.js';
import { capabilitiesOf, parseCodexVersion } from './capabilities.js';

export interface LoaderFinding {
  message: string;
  /** 1-based line in the checked config.toml, when Codex gave one. */
  line?: number;
  column?: number;
}

/** Which of codex's commands gave the verdict (see docs/compatibility.md, the validation ladder). */
export type LoaderCheck = 'print-startup-config' | 'strict-app-server' | 'mcp-list';

export type LoaderVerdict =
  | { status: 'accepted'; strictFindings: LoaderFinding[]; appServerVersion?: string; check: LoaderCheck }
  | { status: 'rejected'; error: LoaderFinding; check: LoaderCheck; /** The version of the codex that rejected it, when known. */ codexVersion?: string }
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
  version?: string,
): Promise<LoaderVerdict> {
  return withLinkedCodexHome(codexHome, (home) => verdictFor(run, bin, { ...env, CODEX_HOME: home, RUST_LOG: env['RUST_LOG'] ?? 'warn' }, version));
}

/**
 * The verdict of the best check this codex version has (the validation
 * ladder; codex/capabilities.ts): `--strict-config --print-startup-config`
 * from 0.164; `app-server --strict-config` with stdin closed from 0.131
 * (strict; `mcp list --json` then tells a strict-only finding from a
 * structural error); `mcp list --json` (the plain loader) on every version.
 * Without `version`, the newest check is tried first and `codex --version`
 * runs only when codex does not answer it (older than 0.164) or rejects the
 * file (the rejection's remediation names the version).
 * `env` must point CODEX_HOME at a private directory: these start codex.
 */
async function verdictFor(run: RunCommand, bin: string, env: Record<string, string | undefined>, version?: string): Promise<LoaderVerdict> {
  if (version === undefined) {
    // The newest check first: a codex that answers it (0.164+) needs no `--version` run; an older
    // one refuses the unknown flag at once (clap, before loading anything) and takes the ladder.
    const childEnv = { ...env, ...codexSpawnEnv(bin) };
    const strictFirst = await runStrictStartup(run, bin, childEnv);
    if (strictFirst.parsed) {
      const verdict = await printStartupVerdict(run, bin, childEnv, strictFirst);
      if (verdict.status !== 'rejected') return verdict;
      // A rejection's remediation depends on the version (built-in profiles): ask for it only then.
      const v = await versionOf(run, bin, env);
      return v === null ? verdict : { ...verdict, codexVersion: v };
    }
  }
  const v = version ?? (await versionOf(run, bin, env));
  if (v === null) return { status: 'unavailable', reason: `could not run ${bin} --version` };
  const verdict = await ladderVerdict(run, bin, env, v);
  return verdict.status === 'rejected' ? { ...verdict, codexVersion: v } : verdict;
}

/** The verdict of the best check codex version `v` has (see verdictFor). */
async function ladderVerdict(run: RunCommand, bin: string, env: Record<string, string | undefined>, v: string): Promise<LoaderVerdict> {
  const childEnv = { ...env, ...codexSpawnEnv(bin) };
  const caps = capabilitiesOf(v);
  if (caps.printStartupConfig) return printStartupVerdict(run, bin, childEnv);
  if (caps.strictAppServer) {
    const strict = await run(bin, ['app-server', '--strict-config'], { env: childEnv, timeoutMs: TIMEOUT_MS });
    if (strict.failure) return { status: 'unavailable', reason: `could not run ${bin}: ${strict.failure.message}` };
    if (strict.exitCode === 0) return { status: 'accepted', strictFindings: [], appServerVersion: v, check: 'strict-app-server' };
    const plain = await mcpListVerdict(run, bin, childEnv, v);
    if (plain.status !== 'accepted') return plain.status === 'rejected' ? { ...plain, error: errorFinding(strict.stderr) ?? plain.error } : plain;
    return { status: 'accepted', strictFindings: [errorFinding(strict.stderr) ?? { message: firstLine(strict.stderr) }], appServerVersion: v, check: 'strict-app-server' };
  }
  return mcpListVerdict(run, bin, childEnv, v);
}

async function versionOf(run: RunCommand, bin: string, env: Record<string, string | undefined>): Promise<string | null> {
  const r = await withScratchCodexHome((home) => run(bin, ['--version'], { env: { ...env, ...codexSpawnEnv(bin), CODEX_HOME: home }, timeoutMs: TIMEOUT_MS }));
  return parseCodexVersion(r.stdout)?.version ?? null;
}

/** `codex mcp list --json`: exit 0 when the plain loader accepts the config, 1 with `Error: …` when not (every version). */
async function mcpListVerdict(run: RunCommand, bin: string, childEnv: Record<string, string | undefined>, version: string): Promise<LoaderVerdict> {
  const r = await run(bin, ['mcp', 'list', '--json'], { env: childEnv, timeoutMs: TIMEOUT_MS });
  if (r.failure) return { status: 'unavailable', reason: `could not run ${bin}: ${r.failure.message}` };
  if (r.exitCode === 0) return { status: 'accepted', strictFindings: [], appServerVersion: version, check: 'mcp-list' };
  return { status: 'rejected', error: errorFinding(r.stderr) ?? { message: firstLine(r.stderr) || `exit ${r.exitCode}` }, check: 'mcp-list' };
}

/**
 * The finding in codex's `Error: …` output: `path/config.toml:L:C: message`
 * (with line and column) when codex names the place, else the deepest
 * `Caused by` line (with the table it names, when it does).
 */
export function errorFinding(stderr: string): LoaderFinding | null {
  const located = /config\.toml:(\d+):(\d+):\s*(.+)$/m.exec(stderr);
  if (located) return { message: located[3]!.trim(), line: Number(located[1]), column: Number(located[2]) };
  const lines = stderr.split('\n').map((l) => l.trim());
  const caused = lines.indexOf('Caused by:');
  if (caused === -1) {
    const err = lines.find((l) => l.startsWith('Error: '));
    return err ? { message: err.slice('Error: '.length) } : null;
  }
  const reasons: string[] = [];
  for (const l of lines.slice(caused + 1)) {
    if (l === '' || l.startsWith('Stack backtrace')) break;
    reasons.push(l.replace(/^\d+:\s*/, ''));
  }
  return reasons.length ? { message: reasons.join(' ') } : null;
}

/** `codex app-server --strict-config --print-startup-config` and its parsed verdict line (null: none). */
async function runStrictStartup(run: RunCommand, bin: string, childEnv: Record<string, string | undefined>): Promise<{ parsed: ReturnType<typeof parseStartupConfigOutput> }> {
  const r = await run(bin, ['app-server', '--strict-config', '--print-startup-config'], { env: childEnv, timeoutMs: TIMEOUT_MS });
  return { parsed: r.failure ? null : parseStartupConfigOutput(r.stdout) };
}

/** The print-startup-config verdict; `strictFirst`: the strict run already made. */
async function printStartupVerdict(
  run: RunCommand,
  bin: string,
  childEnv: Record<string, string | undefined>,
  strictFirst?: { parsed: ReturnType<typeof parseStartupConfigOutput> },
): Promise<LoaderVerdict> {
  const check = 'print-startup-config' as const;
  // Strict first: when it accepts, the plain run could only agree (one spawn in the usual case).
  const strictFirstParsed = (strictFirst ?? (await runStrictStartup(run, bin, childEnv))).parsed;
  if (strictFirstParsed?.ok) {
    return strictFirstParsed.version ? { status: 'accepted', strictFindings: [], appServerVersion: strictFirstParsed.version, check } : { status: 'accepted', strictFindings: [], check };
  }
  const plain = await run(bin, ['app-server', '--print-startup-config'], { env: childEnv, timeoutMs: TIMEOUT_MS });
  if (plain.failure) return { status: 'unavailable', reason: `could not run ${bin}: ${plain.failure.message}` };
  const parsed = parseStartupConfigOutput(plain.stdout);
  if (!parsed) {
    return {
      status: 'unavailable',
      reason: `${bin} app-server --print-startup-config gave no verdict (exit ${plain.exitCode}): ${firstLine(plain.stderr)}`,
    };
  }
  if (!parsed.ok) return { status: 'rejected', error: parsed.error, check };
  const strictFindings = strictFirstParsed && !strictFirstParsed.ok ? [strictFirstParsed.error] : [];
  return parsed.version ? { status: 'accepted', strictFindings, appServerVersion: parsed.version, check } : { status: 'accepted', strictFindings, check };
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
  version?: string,
): Promise<LoaderVerdict> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hermes-codex-check-'));
  try {
    await writeFile(path.join(dir, 'config.toml'), configText, { mode: 0o600 });
    return await verdictFor(run, bin, { ...env, CODEX_HOME: dir, RUST_LOG: env['RUST_LOG'] ?? 'warn' }, version);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The first non-empty line that is not codex's PATH-alias warning. */
function firstLine(s: string): string {
  return s.trim().split('\n').find((l) => l.trim() !== '' && !l.startsWith('WARNING: proceeding')) ?? '';
}

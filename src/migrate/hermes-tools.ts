/**
 * The `hermes-tools` callback entry: Codex starts Hermes' own tool surface
 * (`python -m agent.transports.hermes_tools_mcp_server`, from
 * NousResearch/hermes-agent) as a stdio MCP server so codex turns can call
 * back into Hermes (browser, web, memory, skills, delegate_task, …).
 *
 * Codex 0.169 hands a stdio MCP server only a small whitelist of its own
 * environment (HOME, PATH, LANG, SHELL, TERM, CA-bundle variables) plus the
 * table's `env` and the names in `env_vars` (shared/codex-field-notes.md),
 * so HERMES_HOME and HERMES_KANBAN_TASK must be listed in `env_vars` for each
 * Hermes process to hand its own values through the codex it spawns.
 *
 * `env` pins what Hermes' own migration pins for the callback
 * (`hermes_cli/codex_runtime_plugin_migration.py`, `_build_hermes_tools_mcp_entry`):
 * `HERMES_QUIET = "1"` (a clean MCP wire) and `HERMES_REDACT_SECRETS = "true"`,
 * so secrets in callback tool output (web pages, files, command output) are
 * redacted before they reach codex and its model, whatever the Hermes default
 * of the installed version (agent/redact.py reads it once at import).
 */
import * as path from 'node:path';
import type { RunCommand } from '../core/process.js';
import type { CodexServerEntry } from './types.js';
import type { TomlValue } from '../config/toml-format.js';

export const HERMES_TOOLS_NAME = 'hermes-tools';
export const HERMES_TOOLS_MODULE = 'agent.transports.hermes_tools_mcp_server';

/** How the Python interpreter for the callback entry was found. */
export type PythonSource = 'flag' | 'env' | 'venv' | 'path' | 'fallback';

export interface ResolvedPython {
  command: string;
  source: PythonSource;
  /** Set when the choice is a guess the user should confirm. */
  warning?: string;
}

export interface PythonLookup {
  /** `--hermes-python`. */
  flag?: string;
  /** `HERMES_PYTHON` from the environment. */
  envValue?: string;
  /** `--hermes-root` (the directory holding Hermes, default `~/.hermes`). */
  hermesRoot: string;
  /** True when an executable file exists at the path. */
  isExecutable(p: string): Promise<boolean>;
  /** Absolute path of `name` on PATH, or null. */
  findOnPath(name: string): Promise<string | null>;
}

/**
 * Candidate virtualenv interpreters under a Hermes root, in lookup order.
 * Hermes' installer clones into `~/.hermes/hermes-agent` and creates `venv`
 * there; a checkout used as the root has `.venv` or `venv` directly.
 */
export function venvCandidates(hermesRoot: string): string[] {
  const roots = [hermesRoot, path.join(hermesRoot, 'hermes-agent')];
  const out: string[] = [];
  for (const r of roots) for (const v of ['.venv', 'venv']) out.push(path.join(r, v, 'bin', 'python'));
  return out;
}

/**
 * Find Hermes' Python: `--hermes-python`, else `HERMES_PYTHON`, else a
 * `.venv`/`venv` interpreter under the Hermes root, else `python3` on PATH
 * (with a warning), else the bare name `python3` (with a warning).
 */
export async function resolveHermesPython(lookup: PythonLookup): Promise<ResolvedPython> {
  // Given explicitly, it is written as given; one that is not there gets a warning (the callback could not start).
  const given = lookup.flag ? { command: lookup.flag, source: 'flag' as const, how: '--hermes-python' } : lookup.envValue ? { command: lookup.envValue, source: 'env' as const, how: 'HERMES_PYTHON' } : null;
  if (given) {
    const isPath = given.command.includes('/');
    const there = isPath ? await lookup.isExecutable(given.command) : (await lookup.findOnPath(given.command)) !== null;
    return there
      ? { command: given.command, source: given.source }
      : { command: given.command, source: given.source, warning: `${given.how} ${given.command} is not an executable file${isPath ? '' : ' on PATH'}, so codex cannot start the callback with it until it is: point ${given.how} at the interpreter Hermes runs under` };
  }
  for (const candidate of venvCandidates(lookup.hermesRoot)) {
    if (await lookup.isExecutable(candidate)) return { command: candidate, source: 'venv' };
  }
  const onPath = await lookup.findOnPath('python3');
  const hint = `pass --hermes-python (or set HERMES_PYTHON) to the interpreter Hermes runs under`;
  if (onPath) {
    return {
      command: onPath,
      source: 'path',
      warning: `no Hermes virtualenv under ${lookup.hermesRoot}; using python3 from PATH (${onPath}), which may not be able to import ${HERMES_TOOLS_MODULE}: ${hint}`,
    };
  }
  return {
    command: 'python3',
    source: 'fallback',
    warning: `no Hermes virtualenv under ${lookup.hermesRoot} and no python3 on PATH; wrote "python3": ${hint}`,
  };
}

/**
 * The switches migrate itself pins in the callback's `env`, as Hermes' own migration does:
 * a quiet MCP wire and secret redaction on. Fixed values, never secrets (the diff shows them).
 */
export const HERMES_TOOLS_FIXED_ENV: Readonly<Record<string, string>> = { HERMES_QUIET: '1', HERMES_REDACT_SECRETS: 'true' };

/**
 * Build the `[mcp_servers.hermes-tools]` entry.
 * @param python interpreter path
 * @param literalHermesHome when set, HERMES_HOME is written into `env`
 *   literally (only for a CODEX_HOME that belongs to one profile alone, never
 *   a temporary directory); otherwise it is forwarded through `env_vars`.
 */
export function buildHermesToolsEntry(python: string, literalHermesHome?: string): CodexServerEntry {
  const env: Record<string, string> = { ...HERMES_TOOLS_FIXED_ENV };
  const envVars: string[] = [];
  if (literalHermesHome) env['HERMES_HOME'] = literalHermesHome;
  else envVars.push('HERMES_HOME');
  envVars.push('HERMES_KANBAN_TASK');
  const fields: [string, TomlValue][] = [
    ['command', python],
    ['args', ['-m', HERMES_TOOLS_MODULE]],
    ['env', env],
    ['env_vars', envVars],
    ['startup_timeout_sec', { float: 30 }],
    ['tool_timeout_sec', { float: 600 }],
  ];
  return { name: HERMES_TOOLS_NAME, transport: 'stdio', fields };
}

/**
 * Whether `python` (a path, as the entry names it) imports the callback module, as codex
 * would start it (the entry's literal `env` on top of `env`); null when it does, else what
 * is wrong in doctor's words (its `hermes.tools-callback` check says the same) and why.
 */
export async function hermesToolsImportProblem(
  run: RunCommand,
  python: string,
  env: Readonly<Record<string, string | undefined>>,
  literalEnv: Readonly<Record<string, string>> = {},
): Promise<{ summary: string; why: string } | null> {
  const r = await run(python, ['-c', `import ${HERMES_TOOLS_MODULE}`], { env: { ...env, ...literalEnv }, timeoutMs: 20_000 });
  if (!r.failure && r.exitCode === 0) return null;
  const why = r.failure?.message ?? (r.stderr.trim().split('\n').pop() || `exit ${r.exitCode}`);
  return { summary: `${python} cannot import ${HERMES_TOOLS_MODULE}: the callback tools will silently vanish from codex turns`, why };
}

/** True when `p` lies under one of the temporary roots (e.g. os.tmpdir(), /tmp). */
export function isUnderTemporaryDir(p: string, tmpRoots: readonly string[]): boolean {
  const abs = path.resolve(p);
  return tmpRoots.some((root) => {
    const r = path.resolve(root);
    return abs === r || abs.startsWith(r.endsWith(path.sep) ? r : r + path.sep);
  });
}

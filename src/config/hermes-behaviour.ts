/**
 * What Hermes does for an MCP server beyond its settings: the timeouts it
 * applies when a server sets none, and the environment it gives a stdio
 * server. Facts read from NousResearch/hermes-agent's source (named at each
 * constant); pure, no I/O. Migrate writes what codex would otherwise do
 * differently (docs/migrate.md, "Behaviour kept from Hermes").
 */
import { isRecord } from './hermes-config.js';

/** Seconds Hermes waits for a server's first connection when it sets no `connect_timeout` (`tools/mcp_tool.py`, `_DEFAULT_CONNECT_TIMEOUT`). */
export const HERMES_DEFAULT_CONNECT_TIMEOUT_SEC = 60;
/** Seconds a tool call may run when neither the server's `timeout` nor `timeouts.mcp.tool_call` says (`tools/mcp_tool_common.py`, `_DEFAULT_TOOL_TIMEOUT`). */
export const HERMES_DEFAULT_TOOL_TIMEOUT_SEC = 300;
/** Hermes caps every timeout it resolves at one year (`agent/deadline.py`, `MAX_SAFE_TIMEOUT_S`). */
export const HERMES_MAX_TIMEOUT_SEC = 31_536_000;

/**
 * Variables Hermes hands a stdio server from its own environment
 * (`tools/mcp_tool_config.py`, `_build_safe_env`: `_SAFE_ENV_KEYS`, every
 * `XDG_*`, `HERMES_KANBAN_DB` and `HERMES_KANBAN_BOARD`), less those codex
 * hands every server by itself (measured on 0.128, 0.150, 0.169 and 0.171:
 * HOME, PATH, USER, LOGNAME, LANG, LC_ALL, TERM, SHELL, TMPDIR, TZ). codex's
 * `env_vars` takes names, not a pattern, so `XDG_*` is the XDG Base Directory
 * variables. Forwarded by name only; a name that is unset where codex runs is
 * skipped by codex (measured, the server starts).
 */
export const HERMES_FORWARDED_ENV: readonly string[] = [
  'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR', 'XDG_CONFIG_DIRS', 'XDG_DATA_DIRS',
  'HERMES_KANBAN_DB', 'HERMES_KANBAN_BOARD',
];

/** The tool-call timeout Hermes applies to servers without their own `timeout`, and where it comes from. */
export interface HermesToolCallTimeout {
  seconds: number;
  from: 'timeouts.mcp.tool_call' | 'default';
  /** Why a `timeouts.mcp.tool_call` that is there was not used (Hermes ignores it too, with a warning). */
  ignored?: string;
}

/**
 * The global tool-call timeout as Hermes resolves it (`agent/deadline.py`
 * `resolve_timeout("mcp.tool_call", default=300)`, via `_resolve_tool_timeout`
 * in `tools/mcp_tool_common.py`): `timeouts.mcp.tool_call` when it is a number
 * or numeric text (not a boolean, not NaN), capped at one year; zero or
 * negative means "unbounded" there, which `_resolve_tool_timeout` turns back
 * into the 300 s default; anything else is ignored (default).
 * @param config the whole Hermes config
 */
export function hermesToolCallTimeout(config: Record<string, unknown>): HermesToolCallTimeout {
  const timeouts = config['timeouts'];
  const mcp = isRecord(timeouts) ? timeouts['mcp'] : undefined;
  const raw = isRecord(mcp) ? mcp['tool_call'] : undefined;
  const fallback: HermesToolCallTimeout = { seconds: HERMES_DEFAULT_TOOL_TIMEOUT_SEC, from: 'default' };
  if (raw === undefined || raw === null) return fallback;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : NaN;
  if (typeof raw === 'boolean' || Number.isNaN(n)) {
    return { ...fallback, ignored: `timeouts.mcp.tool_call is ${typeof raw === 'string' ? JSON.stringify(raw) : String(raw)}, not a number of seconds, which Hermes ignores` };
  }
  if (n <= 0) return { ...fallback, ignored: `timeouts.mcp.tool_call is ${n}, which Hermes reads as no limit and then applies its ${HERMES_DEFAULT_TOOL_TIMEOUT_SEC} s default to MCP calls` };
  return { seconds: Math.min(n, HERMES_MAX_TIMEOUT_SEC), from: 'timeouts.mcp.tool_call' };
}

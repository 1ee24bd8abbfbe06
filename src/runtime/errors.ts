/**
 * Errors of the app-server runtime. All are HermesCodexError subclasses so
 * the CLI maps them to exit codes and remediations in one place.
 */
import { ConfigSyntaxError, HermesCodexError, whereOf } from '../core/errors.js';

/** A JSON-RPC error reply from codex: `{code, message, data}`. */
export class JsonRpcError extends HermesCodexError {
  readonly code: number;
  readonly rpcMessage: string;
  readonly data: unknown;
  readonly method: string;
  constructor(method: string, code: number, message: string, data?: unknown) {
    super(`codex ${method} failed: ${message} (JSON-RPC error ${code})`, { exitCode: 1 });
    this.method = method;
    this.code = code;
    this.rpcMessage = message;
    this.data = data;
  }
}

/** JSON-RPC error codes the runtime acts on (codex app-server protocol). */
export const RpcCode = {
  /** The request is not valid for the server (codex: an unknown thread id, a thread not yet materialised, a config load failure). */
  invalidRequest: -32600,
  /** The server does not implement the method. */
  methodNotFound: -32601,
  /** The server is overloaded; retry later. */
  overloaded: -32001,
} as const;

/** The codex process exited (or could not start); carries its exit status and the tail of its stderr. */
export class AppServerExitedError extends HermesCodexError {
  readonly processExitCode: number | null;
  readonly signal: string | null;
  readonly stderrTail: string;
  constructor(message: string, exitCode: number | null, signal: string | null, stderrTail: string) {
    super(`${message}${stderrTail ? `\n--- codex stderr (last lines) ---\n${stderrTail}` : ''}`, {
      exitCode: 1,
      remediation: 'Check the codex stderr above, and run `hermes-codex doctor --live` to check the setup.',
    });
    this.processExitCode = exitCode;
    this.signal = signal;
    this.stderrTail = stderrTail;
  }
}

/** A request got no reply in time. */
export class RequestTimeoutError extends HermesCodexError {
  readonly method: string;
  readonly timeoutMs: number;
  constructor(method: string, timeoutMs: number) {
    super(`codex did not answer ${method} within ${timeoutMs} ms`, { exitCode: 1 });
    this.method = method;
    this.timeoutMs = timeoutMs;
  }
}

/** The caller aborted a request or turn. */
export class AbortedError extends HermesCodexError {
  constructor(what: string) {
    super(`${what} was aborted`, { exitCode: 130 });
  }
}

/** codex is missing, unparseable or older than the minimum supported version. */
export class CodexVersionError extends HermesCodexError {}

/** No credentials for the configured model provider. */
export class NotLoggedInError extends HermesCodexError {}

/** A second `runTurn` on a thread whose turn is still running (two would merge into one codex turn). */
export class TurnInProgressError extends HermesCodexError {
  constructor(
    readonly threadId: string,
    readonly turnId: string | null,
  ) {
    super(`a turn is already running on thread ${threadId}${turnId ? ` (turn ${turnId})` : ''}; wait for it, steer it (turn/steer) or interrupt it first`, {
      exitCode: 2,
      remediation: 'Run one turn at a time per thread, or start another thread.',
    });
  }
}

/**
 * `thread/resume` of an id codex does not know in this CODEX_HOME (codex
 * answers -32600: "no rollout found for thread id …", or an id that is not a
 * UUID). Exit 2: the input was wrong, nothing ran.
 */
export class ThreadNotFoundError extends HermesCodexError {
  constructor(
    readonly threadId: string,
    readonly codexHome: string,
    codexMessage: string,
  ) {
    super(`codex cannot resume thread ${threadId} in CODEX_HOME ${codexHome}: ${codexMessage}`, {
      exitCode: 2,
      remediation: 'Pass the thread id an earlier turn printed (`thread …` on its first line, `threadId` with --json), with the same CODEX_HOME (--codex-home or --profile).',
    });
  }
}

/**
 * codex's refusal of its config.toml, as the error to show, or null for any
 * other failure. Wire shapes (0.169, measured): `thread/start` answers
 * -32600 `failed to load configuration: FILE:LINE:COL: DETAIL`, and requests
 * that reload the config (`plugin/list`, `mcpServerStatus/list`) -32603
 * `failed to reload config: FILE:LINE:COL: DETAIL`; newer versions also put
 * `{reason: "configLoad", filePath, line, column, detail}` in the error's
 * data (shared/codex-field-notes.md). `home`: when codex ran on a private
 * copy of CODEX_HOME, its path (`from`) is shown as the user's (`to`).
 */
export function configLoadFailure(err: unknown, home?: { from: string; to: string }): ConfigSyntaxError | null {
  if (!(err instanceof JsonRpcError)) return null;
  const data = (err.data ?? {}) as { reason?: unknown; filePath?: unknown; line?: unknown; column?: unknown; detail?: unknown };
  const m = /^failed to (?:load configuration|reload config): (?:(.+?):(\d+):(\d+): )?([\s\S]*)$/.exec(err.rpcMessage);
  if (data.reason !== 'configLoad' && !m) return null;
  const raw = typeof data.filePath === 'string' ? data.filePath : m?.[1];
  const file = raw !== undefined && home && raw.startsWith(home.from) ? home.to + raw.slice(home.from.length) : raw;
  const line = typeof data.line === 'number' ? data.line : m?.[2] !== undefined ? Number(m[2]) : undefined;
  const column = typeof data.column === 'number' ? data.column : m?.[3] !== undefined ? Number(m[3]) : undefined;
  const detail = typeof data.detail === 'string' ? data.detail : (m?.[4] ?? err.rpcMessage);
  const location = { ...(file ? { file } : {}), ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) };
  return new ConfigSyntaxError(`codex cannot load ${whereOf(location) ?? 'config.toml'}: ${detail}`, {
    location,
    remediation: "Fix the file at that place (`hermes-codex doctor` shows what codex's own loader says); codex does nothing with it until it loads. If the last `hermes-codex migrate` did this, `hermes-codex migrate --restore` puts the previous file back.",
  });
}

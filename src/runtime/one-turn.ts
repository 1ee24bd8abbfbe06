/**
 * One verification turn, start to finish: resolve codex and CODEX_HOME,
 * check the version, start `codex app-server`, check credentials, start a
 * thread, run the turn, close codex. Used by `hermes-codex turn` (and by
 * doctor's smoke turn).
 */
import { codexLoginHint } from '../core/hints.js';
import { configLoadFailure, JsonRpcError, NotLoggedInError, RpcCode, ThreadNotFoundError } from './errors.js';
import type { CodexVersionInfo } from './version.js';
import { startCheckedClient } from './start.js';
import type { EarlyStart } from './early-start.js';
import { clientOptions, resolveTurnLaunch, type TurnLaunchOptions } from './launch.js';
import type { CodexSession, RunTurnOptions, TurnResult } from './session.js';
import type { ApprovalPolicy } from './approvals.js';
import type { AskForApproval, SandboxMode } from './protocol/generated/v2/index.js';

/**
 * One turn's options: the workspace (or the effect and location options to
 * resolve one from: `--codex-home`, `--profile` for its own CODEX_HOME,
 * `--hermes-root`, `--codex-bin`) and the turn's own. `cwd` here is the
 * thread's working directory; the workspace's is this process's own.
 */
export interface OneTurnOptions extends Omit<RunTurnOptions, 'onEvent'>, TurnLaunchOptions {
  prompt: string;
  sandbox?: SandboxMode;
  approvalPolicy?: AskForApproval;
  model?: string;
  approvals?: ApprovalPolicy;
  /** Continue this thread (`thread/resume`) instead of starting one. */
  resume?: string;
  /**
   * How long to wait for the configured MCP servers to start before the
   * turn, in ms (default 30,000; 0 skips the wait): codex offers the model
   * only the servers that are ready when the turn starts.
   */
  mcpWaitMs?: number;
  onEvent?: RunTurnOptions['onEvent'];
  /** Called while waiting for MCP servers (`done` false), and when the wait ends (`done` true). */
  onMcpWait?: (done: boolean) => void;
  /** Called once codex is up (e.g. to show progress or wire Ctrl+C). */
  onStarted?: (info: { codexVersion: CodexVersionInfo; codexHome: string; threadId: string; cwd: string }) => void;
  /** A codex started early for the launch this turn was expected to have (`EarlyStart.begin`); taken when the launch is the same, closed otherwise. */
  early?: EarlyStart;
}

export interface OneTurnResult extends TurnResult {
  codexVersion: string;
  codexHome: string;
  warnings: string[];
  /** MCP servers when the turn started: ready, failed (with codex's error), still starting; null when the wait was skipped. */
  mcpServers: { ready: string[]; failed: { name: string; error: string | null }[]; pending: string[] } | null;
}

/**
 * Run one turn. Codex is always closed before this returns or throws.
 * @throws CodexVersionError | LocationError | NotLoggedInError | ThreadNotFoundError (resume of an unknown id) | AppServerExitedError | JsonRpcError
 */
export async function runOneTurn(opts: OneTurnOptions): Promise<OneTurnResult> {
  const launch = await resolveTurnLaunch(opts);
  // The session, projector and approvals load while codex starts (they are not needed before it answers).
  const sessionModule = import('./session.js');
  // A codex started before the command line was parsed, for these same inputs, is this turn's.
  const early = opts.early?.take(launch);
  const { client, version } = await (early ?? startCheckedClient(clientOptions(launch)));
  const { env, cwd, codexHome } = launch;
  const warnings = version.warning ? [version.warning] : [];
  try {
    // Credentials and the thread are asked for together (one round trip instead of two); the
    // thread first, which the turn waits on (the credentials request is answered meanwhile).
    const session: CodexSession = new (await sessionModule).CodexSession(client, opts.approvals);
    const threadOpts: Parameters<CodexSession['startThread']>[0] = { cwd };
    if (opts.model) threadOpts.model = opts.model;
    if (opts.sandbox) threadOpts.sandbox = opts.sandbox;
    if (opts.approvalPolicy) threadOpts.approvalPolicy = opts.approvalPolicy;
    const [threadResult, authResult] = await Promise.allSettled([
      opts.resume ? session.resumeThread(opts.resume, threadOpts) : session.startThread(threadOpts),
      client.request('getAuthStatus', {}),
    ]);
    // A config.toml codex cannot load fails the thread, and codex then judges credentials by its defaults
    // (the OpenAI provider): the file is the problem to report, not the login.
    const unloadable = threadResult.status === 'rejected' ? configLoadFailure(threadResult.reason) : null;
    if (unloadable) throw unloadable;
    const auth = (authResult.status === 'fulfilled' ? authResult.value : null) as { authMethod?: unknown; requiresOpenaiAuth?: unknown } | null;
    // codex's own answer decides: it reads no API key from its environment (hints.ts), so OPENAI_API_KEY there does not count.
    if (auth && auth.requiresOpenaiAuth === true && !auth.authMethod) {
      throw new NotLoggedInError(`codex is not logged in for CODEX_HOME ${codexHome} (no auth.json, and the model provider needs an OpenAI login or API key)`, {
        remediation: codexLoginHint(codexHome, env),
      });
    }
    if (threadResult.status === 'rejected') {
      const err: unknown = threadResult.reason;
      // codex answers -32600 for an id it has no thread for ("no rollout found for thread id …") or that is not a UUID (measured, 0.169).
      if (opts.resume && err instanceof JsonRpcError && err.code === RpcCode.invalidRequest) throw new ThreadNotFoundError(opts.resume, codexHome, err.rpcMessage);
      throw err;
    }
    opts.onStarted?.({ codexVersion: version, codexHome, threadId: session.threadId, cwd });
    let mcpServers: OneTurnResult['mcpServers'] = null;
    const waitMs = opts.mcpWaitMs ?? 30_000;
    if (waitMs > 0 && !opts.signal?.aborted) {
      opts.onMcpWait?.(false);
      const w = await session.waitForMcpServers(waitMs).finally(() => opts.onMcpWait?.(true));
      mcpServers = { ready: w.ready, failed: w.failed, pending: w.pending };
      for (const f of w.failed) warnings.push(`MCP server ${f.name} failed to start${f.error ? `: ${f.error}` : ''}; its tools are not offered to the model`);
      if (w.timedOut) warnings.push(`MCP servers still starting after ${Math.round(waitMs / 1000)} s (${w.pending.join(', ') || 'unknown'}); the turn started without them`);
    }
    const turnOpts: RunTurnOptions = {};
    if (opts.timeoutMs !== undefined) turnOpts.timeoutMs = opts.timeoutMs;
    if (opts.signal) turnOpts.signal = opts.signal;
    if (opts.onEvent) turnOpts.onEvent = opts.onEvent;
    if (opts.interruptGraceMs !== undefined) turnOpts.interruptGraceMs = opts.interruptGraceMs;
    const result = await session.runTurn(opts.prompt, turnOpts);
    return { ...result, codexVersion: version.version, codexHome, warnings, mcpServers };
  } finally {
    await client.close();
  }
}

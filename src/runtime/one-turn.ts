/**
 * One verification turn, start to finish: resolve codex and CODEX_HOME,
 * check the version, start `codex app-server`, check credentials, start a
 * thread, run the turn, close codex. Used by `hermes-codex turn` (and by
 * doctor's smoke turn).
 */
import { resolveWorkspace, type WorkspaceOptions } from '../workspace.js';
import * as path from 'node:path';
import { resolveCodexHomeFor } from '../paths.js';
import { codexLoginCommand, codexLoginHint } from '../hints.js';
import { codexNotFound, resolveCodexBinary } from '../codex/binary.js';
import { configLoadFailure, JsonRpcError, NotLoggedInError, RpcCode, ThreadNotFoundError } from './errors.js';
import { LocationError } from '../errors.js';
import type { CodexVersionInfo } from './version.js';
import { startCheckedClient } from './start.js';
import type { RunCommand } from '../process.js';
import type { EarlyStart } from './early-start.js';
import type { CodexSession, RunTurnOptions, TurnResult } from './session.js';
import type { ApprovalPolicy } from './approvals.js';
import type { AskForApproval, SandboxMode } from './protocol/generated/v2/index.js';

/**
 * One turn's options: the workspace (or the effect and location options to
 * resolve one from: `--codex-home`, `--profile` for its own CODEX_HOME,
 * `--hermes-root`, `--codex-bin`) and the turn's own. `cwd` here is the
 * thread's working directory; the workspace's is this process's own.
 */
export interface OneTurnOptions extends Omit<RunTurnOptions, 'onEvent'>, Omit<WorkspaceOptions, 'cwd'> {
  prompt: string;
  /** The thread's working directory (default this process's). */
  cwd?: string;
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
  /** More variable names to pass to codex's clean environment. */
  passEnv?: readonly string[];
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
    // Credentials and the thread are asked for together (one round trip instead of two).
    const session: CodexSession = new (await sessionModule).CodexSession(client, opts.approvals);
    const threadOpts: Parameters<CodexSession['startThread']>[0] = { cwd };
    if (opts.model) threadOpts.model = opts.model;
    if (opts.sandbox) threadOpts.sandbox = opts.sandbox;
    if (opts.approvalPolicy) threadOpts.approvalPolicy = opts.approvalPolicy;
    const [authResult, threadResult] = await Promise.allSettled([
      client.request('getAuthStatus', {}),
      opts.resume ? session.resumeThread(opts.resume, threadOpts) : session.startThread(threadOpts),
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

/**
 * What starting codex for a turn depends on: the binary, CODEX_HOME, the
 * thread's working directory (absolute), the base environment and the extra
 * variables to pass. Two launches with equal `launchKey`s start the same
 * codex the same way.
 */
export interface TurnLaunch {
  codexBin: string;
  codexHome: string;
  cwd: string;
  env: Record<string, string | undefined>;
  passEnv?: readonly string[];
  run: RunCommand;
}

/**
 * Resolve a turn's launch: CODEX_HOME (it must exist: codex has no login or
 * config without it), the codex binary, the working directory.
 * @throws LocationError (no CODEX_HOME, no such directory) | CodexNotFoundError
 */
export async function resolveTurnLaunch(opts: Omit<OneTurnOptions, 'prompt'>): Promise<TurnLaunch> {
  // `opts.cwd` is the thread's working directory; paths given to this process resolve against its own.
  const { fs, env, e, run, locations } = resolveWorkspace({ ...opts, cwd: process.cwd() });
  const cwd = path.resolve(e.cwd, opts.cwd ?? '.');
  // The three lookups are independent file-system work: done together, reported in this order.
  const [homeR, binR, cwdR] = await Promise.allSettled([
    resolveCodexHomeFor(fs, e, locations, { requireOwn: true }),
    resolveCodexBinary({ ...(locations.codexBin ? { flag: locations.codexBin } : {}), pathEnv: env['PATH'], cwd: e.cwd }),
    fs.stat(cwd).catch(() => null),
  ]);
  const home = settled(homeR);
  // Without a CODEX_HOME codex has no login and no config: it would fail with a backtrace. Say what to run.
  if (!home.exists) {
    throw new LocationError(`CODEX_HOME ${home.path} does not exist yet, so codex has no login and no config there`, {
      location: { file: home.path },
      remediation: `Log codex in first: \`${codexLoginCommand(home.path)}\` (it creates the directory), then run \`hermes-codex migrate\`.`,
    });
  }
  const bin = settled(binR);
  if (!bin) {
    throw codexNotFound();
  }
  if (!settled(cwdR)?.isDirectory()) {
    throw new LocationError(`the working directory ${cwd} does not exist (or is not a directory)`, { remediation: 'Pass --cwd an existing directory.' });
  }
  return { codexBin: bin.path, codexHome: home.path, cwd, env, run, ...(opts.passEnv ? { passEnv: opts.passEnv } : {}) };
}

/** The same text for launches that start the same codex the same way (the environment compared by identity). */
export function launchKey(l: TurnLaunch): string {
  return JSON.stringify([l.codexBin, l.codexHome, l.cwd, [...new Set(l.passEnv ?? [])].sort()]);
}

/** startCheckedClient's options for a launch. */
export function clientOptions(l: TurnLaunch): Parameters<typeof startCheckedClient>[0] {
  return { codexBin: l.codexBin, codexHome: l.codexHome, env: l.env, cwd: l.cwd, run: l.run, ...(l.passEnv ? { passEnv: l.passEnv } : {}) };
}

/** A settled promise's value, or its error thrown. */
function settled<T>(r: PromiseSettledResult<T>): T {
  if (r.status === 'rejected') throw r.reason;
  return r.value;
}

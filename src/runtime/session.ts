/**
 * A codex thread over one CodexAppServerClient: start or resume a thread,
 * run full turns, steer, interrupt, read, and run one sandboxed command.
 *
 * Protocol (codex 0.169 generated types; field notes): `thread/start {cwd,
 * model?, approvalPolicy?, sandbox?}` → `{thread:{id}, …}`; `turn/start
 * {threadId, input:[{type:"text", text, text_elements:[]}]}` → `{turn:{id}}`,
 * then `item/started`, `item/completed`, `thread/tokenUsage/updated`, and
 * `turn/completed {threadId, turn:{id, status, error}}`; `turn/interrupt
 * {threadId, turnId}`; `turn/steer {threadId, input, expectedTurnId}`;
 * `thread/read {threadId, includeTurns}` fails with -32601 before the first
 * turn when turns are requested.
 */
import { AbortedError, JsonRpcError, RequestTimeoutError, RpcCode, TurnInProgressError } from './errors.js';
import { approvalHandler, summariseChanges, type ApprovalPolicy, type ElicitationPolicy } from './approvals.js';
import { TurnProjector, isToolItem, type HermesMessage } from './projector.js';
import type { CodexAppServerClient, ServerNotification, ServerRequestHandler } from './client.js';
import type { AskForApproval, SandboxMode, ThreadStartResponse, UserInput, CommandExecResponse, TokenUsageBreakdown } from './protocol/generated/v2/index.js';

export interface ThreadOptions {
  cwd: string;
  model?: string;
  approvalPolicy?: AskForApproval;
  sandbox?: SandboxMode;
}

/** An event during a turn, for progress displays. */
export type TurnEvent =
  | { type: 'itemStarted'; item: { type: string; id: string; command?: string } }
  | { type: 'itemCompleted'; item: { type: string; id: string; status?: string } }
  /** Streamed text: the reply (`item/agentMessage/delta`), command output, reasoning. */
  | { type: 'delta'; kind: 'agentMessage' | 'commandOutput' | 'reasoning'; itemId: string; delta: string }
  | { type: 'notification'; method: string };

/** The library's turn deadline when none is given (10 minutes). */
export const DEFAULT_TURN_TIMEOUT_MS = 600_000;
/**
 * After the reply has completed and nothing is in progress, how long a turn
 * may stay silent before it counts as completed without `turn/completed`
 * (codex sometimes never sends it; Hermes' adapter works around the same).
 */
export const DEFAULT_COMPLETION_GRACE_MS = 30_000;

const DELTA_KINDS: Record<string, 'agentMessage' | 'commandOutput' | 'reasoning'> = {
  'item/agentMessage/delta': 'agentMessage',
  'item/commandExecution/outputDelta': 'commandOutput',
  'item/reasoning/summaryTextDelta': 'reasoning',
  'item/reasoning/textDelta': 'reasoning',
};

export interface RunTurnOptions {
  /** Deadline for the whole turn in ms (default {@link DEFAULT_TURN_TIMEOUT_MS}; Infinity for none); on expiry the turn is interrupted. */
  timeoutMs?: number;
  /** See {@link DEFAULT_COMPLETION_GRACE_MS}. */
  completionGraceMs?: number;
  signal?: AbortSignal;
  onEvent?: (e: TurnEvent) => void;
  /** How long to wait for `turn/completed` after sending `turn/interrupt` (default 5 s). */
  interruptGraceMs?: number;
}

export interface TurnResult {
  threadId: string;
  turnId: string;
  /** `completed`, `interrupted` or `failed` (codex's turn status). */
  status: string;
  finalText: string;
  projectedMessages: HermesMessage[];
  toolIterations: number;
  interrupted: boolean;
  /** Codex's turn error message, or the timeout/abort reason. */
  error: string | null;
  /** Token usage of the turn (codex's `last` breakdown of the final update), when reported. */
  usage: TokenUsageBreakdown | null;
  /** The thread's token usage: the last turn, the thread's total, and the model's context window (`thread/tokenUsage/updated`). */
  tokenUsage: { last: TokenUsageBreakdown; total: TokenUsageBreakdown; modelContextWindow: number | null } | null;
  /** True when the turn counted as completed without codex's `turn/completed` (see {@link DEFAULT_COMPLETION_GRACE_MS}). */
  completedWithoutSignal?: boolean;
}

export interface ReadThreadResult {
  thread: unknown;
  /** False when turns were requested but codex could not list them yet. */
  turnsIncluded: boolean;
  note?: string;
}

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

/** Text input in the shape codex 0.169 takes. */
export function textInput(text: string): UserInput[] {
  return [{ type: 'text', text, text_elements: [] }];
}

export interface SessionOptions {
  /** Consent for real MCP elicitations from third-party servers (default: decline them all). */
  elicitation?: ElicitationPolicy;
}

/**
 * One codex thread on a client: `startThread()` or `resumeThread()` binds
 * it (server requests for that thread — approvals, elicitations — go to this
 * session's policy), `runTurn()` runs a full turn to `turn/completed` and
 * returns its status, items, Hermes-shaped messages, final text and token
 * usage; `steer()`, `interrupt()`, `readThread()`, `execCommand()` and
 * `waitForMcpServers()` are the other thread calls. One turn at a time
 * (TurnInProgressError otherwise). Several sessions may share one client.
 * Protocol shapes: the module comment above.
 */
export class CodexSession {
  private threadIdValue: string | null = null;
  private readonly fileChanges = new Map<string, { path: string; kind: string }[]>();
  private activeTurnId: string | null = null;
  private turnRunning = false;
  private readonly handler: ServerRequestHandler;
  private unroute: (() => void) | null = null;
  private readonly offMcp: () => void;
  /** MCP server start-up states seen for this session's thread (`mcpServer/startupStatus/updated`). */
  /**
   * MCP start-up states by server and environment: codex 0.171 reports `environmentId` with
   * each `mcpServer/startupStatus/updated` (null or absent before), and two environments may
   * start servers of the same name.
   */
  private readonly mcpStates = new Map<string, { name: string; environmentId: string | null; status: string; error: string | null }>();

  /**
   * @param approvals approval policy for command, file-change and MCP tool
   *   requests of this session's thread (undefined: decline everything — fail closed).
   *   Requests are routed by thread, so several sessions can share one client.
   */
  constructor(
    readonly client: CodexAppServerClient,
    approvals?: ApprovalPolicy,
    opts: SessionOptions = {},
  ) {
    this.handler = approvalHandler(approvals, this.fileChanges, opts.elicitation);
    this.offMcp = client.onNotification((n) => {
      if (n.method !== 'mcpServer/startupStatus/updated') return;
      const p = rec(n.params);
      if (this.threadIdValue !== null && p['threadId'] !== null && p['threadId'] !== undefined && p['threadId'] !== this.threadIdValue) return;
      if (typeof p['name'] !== 'string') return;
      const environmentId = typeof p['environmentId'] === 'string' ? p['environmentId'] : null;
      this.mcpStates.set(JSON.stringify([p['name'], environmentId]), { name: p['name'], environmentId, status: String(p['status'] ?? ''), error: typeof p['error'] === 'string' ? p['error'] : null });
    });
  }

  private bind(threadId: string): void {
    this.unroute?.();
    this.threadIdValue = threadId;
    this.unroute = this.client.routeThread(threadId, this.handler);
  }

  get threadId(): string {
    if (!this.threadIdValue) throw new Error('no thread: call startThread() or resumeThread() first');
    return this.threadIdValue;
  }

  /** `thread/start`. */
  async startThread(opts: ThreadOptions): Promise<ThreadStartResponse> {
    const params: Record<string, unknown> = { cwd: opts.cwd };
    if (opts.model) params['model'] = opts.model;
    if (opts.approvalPolicy) params['approvalPolicy'] = opts.approvalPolicy;
    if (opts.sandbox) params['sandbox'] = opts.sandbox;
    const res = await this.client.request<ThreadStartResponse>('thread/start', params);
    this.bind(res.thread.id);
    return res;
  }

  /**
   * `thread/resume` of an existing thread id. `excludeTurns` (default true)
   * keeps codex from sending the whole history back in the reply.
   */
  async resumeThread(threadId: string, opts: Partial<ThreadOptions> & { excludeTurns?: boolean } = {}): Promise<unknown> {
    const { excludeTurns = true, ...thread } = opts;
    const res = await this.client.request('thread/resume', { threadId, ...thread, excludeTurns });
    this.bind(threadId);
    return res;
  }

  /**
   * Wait, at most `timeoutMs`, until the MCP servers configured for this
   * thread have started or failed: codex offers the model only the servers
   * that are ready when a turn's first model request goes out.
   * `mcpServerStatus/list {threadId}` answers once the thread's servers are
   * up (codex 0.169, measured); start-up failures come from
   * `mcpServer/startupStatus/updated`.
   * @returns the servers ready, failed (with codex's error) and still starting when the wait ended
   */
  async waitForMcpServers(timeoutMs = 30_000): Promise<{ ready: string[]; failed: { name: string; error: string | null }[]; pending: string[]; timedOut: boolean }> {
    let timedOut = false;
    const deadline = Date.now() + timeoutMs;
    try {
      await this.client.request('mcpServerStatus/list', { threadId: this.threadId, detail: 'toolsAndAuthOnly' }, { timeoutMs });
    } catch (err) {
      if (err instanceof RequestTimeoutError) timedOut = true;
      // Another error (an older codex without the method): report what the notifications said.
    }
    // The list can answer while a server is still starting (e.g. once another one failed): wait for the rest.
    while (!timedOut && [...this.mcpStates.values()].some((st) => st.status === 'starting')) {
      const left = deadline - Date.now();
      if (left <= 0) {
        timedOut = true;
        break;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, Math.min(left, 250));
        const off = this.client.onNotification((n) => n.method === 'mcpServer/startupStatus/updated' && done());
        function done() {
          clearTimeout(t);
          off();
          resolve();
        }
      });
    }
    const ready: string[] = [];
    const failed: { name: string; error: string | null }[] = [];
    const pending: string[] = [];
    // A name that two environments report is told apart by its environment.
    const count = new Map<string, number>();
    for (const st of this.mcpStates.values()) count.set(st.name, (count.get(st.name) ?? 0) + 1);
    for (const s of this.mcpStates.values()) {
      const name = (count.get(s.name) ?? 0) > 1 && s.environmentId !== null ? `${s.name} (environment ${s.environmentId})` : s.name;
      if (s.status === 'ready') ready.push(name);
      else if (s.status === 'failed' || s.status === 'cancelled') failed.push({ name, error: s.error });
      else pending.push(name);
    }
    return { ready, failed, pending, timedOut };
  }

  /** Stop routing this session's server requests (the client stays open). */
  close(): void {
    this.unroute?.();
    this.unroute = null;
    this.offMcp();
  }

  /**
   * `thread/read`. With `includeTurns`, codex answers -32601 before the
   * first turn; then this retries without turns and says so in `note`.
   */
  async readThread(includeTurns = true): Promise<ReadThreadResult> {
    try {
      const res = rec(await this.client.request('thread/read', { threadId: this.threadId, includeTurns }));
      return { thread: res['thread'], turnsIncluded: includeTurns };
    } catch (err) {
      // Before the first turn: -32601 "not supported yet" (codex ≥ 0.153) or -32600 "not materialized yet" (≤ 0.150).
      const beforeFirstTurn = err instanceof JsonRpcError && (err.code === RpcCode.methodNotFound || (err.code === RpcCode.invalidRequest && /not materiali[sz]ed/i.test(err.rpcMessage)));
      if (!includeTurns || !beforeFirstTurn) throw err;
      const res = rec(await this.client.request('thread/read', { threadId: this.threadId, includeTurns: false }));
      return { thread: res['thread'], turnsIncluded: false, note: `codex could not list turns yet (${err.rpcMessage}); read the thread without them` };
    }
  }

  /** `turn/steer`: add input to the running turn. */
  async steer(input: string | UserInput[], expectedTurnId: string): Promise<unknown> {
    return this.client.request('turn/steer', { threadId: this.threadId, input: typeof input === 'string' ? textInput(input) : input, expectedTurnId });
  }

  /** `turn/interrupt`. */
  async interrupt(turnId: string): Promise<void> {
    await this.client.request('turn/interrupt', { threadId: this.threadId, turnId }, { timeoutMs: 10_000 });
  }

  /** `command/exec`: run one command in codex's sandbox, without a model turn. */
  async execCommand(command: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<CommandExecResponse> {
    const params: Record<string, unknown> = { command };
    if (opts.cwd) params['cwd'] = opts.cwd;
    if (opts.timeoutMs) params['timeoutMs'] = opts.timeoutMs;
    return this.client.request<CommandExecResponse>('command/exec', params, { timeoutMs: (opts.timeoutMs ?? 60_000) + 10_000 });
  }

  /** The id of the turn now running, if any. */
  get currentTurnId(): string | null {
    return this.activeTurnId;
  }

  /**
   * Run one full turn: `turn/start`, then collect until `turn/completed`.
   * On abort or deadline it sends `turn/interrupt` and reports `interrupted`.
   * @throws AppServerExitedError when codex dies mid-turn; JsonRpcError when codex refuses the turn
   */
  async runTurn(input: string | UserInput[], opts: RunTurnOptions = {}): Promise<TurnResult> {
    const threadId = this.threadId;
    // Two turns at once on one thread would merge into one codex turn.
    if (this.turnRunning) throw new TurnInProgressError(threadId, this.activeTurnId);
    this.turnRunning = true;
    try {
      return await this.runOneTurn(threadId, input, opts);
    } finally {
      this.turnRunning = false;
    }
  }

  private async runOneTurn(threadId: string, input: string | UserInput[], opts: RunTurnOptions): Promise<TurnResult> {
    const projector = new TurnProjector();
    let turnId: string | null = null;
    let usage: TokenUsageBreakdown | null = null;
    let tokenUsage: TurnResult['tokenUsage'] = null;
    const inProgress = new Set<string>();
    let replied = false;
    let quiet: NodeJS.Timeout | undefined;
    let settleQuietly: (() => void) | null = null;
    const quietDone = new Promise<'quiet'>((r) => (settleQuietly = () => r('quiet')));
    const graceMs = opts.completionGraceMs ?? DEFAULT_COMPLETION_GRACE_MS;
    const rearm = () => {
      if (quiet) clearTimeout(quiet);
      quiet = replied && inProgress.size === 0 ? setTimeout(() => settleQuietly?.(), graceMs) : undefined;
    };
    const early: ServerNotification[] = [];
    let finish: ((turn: Record<string, unknown>) => void) | null = null;
    const completed = new Promise<Record<string, unknown>>((r) => (finish = r));

    const handle = (n: ServerNotification) => {
      const p = rec(n.params);
      if (p['threadId'] !== threadId) return;
      const nTurn = typeof p['turnId'] === 'string' ? p['turnId'] : (rec(p['turn'])['id'] as string | undefined);
      if (nTurn !== undefined && nTurn !== turnId) return;
      const deltaKind = DELTA_KINDS[n.method];
      if (deltaKind) {
        opts.onEvent?.({ type: 'delta', kind: deltaKind, itemId: String(p['itemId'] ?? ''), delta: String(p['delta'] ?? '') });
        rearm();
        return;
      }
      switch (n.method) {
        case 'item/started': {
          const item = rec(p['item']);
          const type = String(item['type'] ?? '');
          const id = String(item['id'] ?? '');
          inProgress.add(id);
          rearm();
          if (type === 'fileChange') this.fileChanges.set(id, summariseChanges(item['changes']));
          opts.onEvent?.({ type: 'itemStarted', item: { type, id, ...(typeof item['command'] === 'string' ? { command: item['command'] } : {}) } });
          return;
        }
        case 'item/completed': {
          const item = rec(p['item']);
          projector.add(item);
          inProgress.delete(String(item['id'] ?? ''));
          if (item['type'] === 'agentMessage') replied = true;
          else if (isToolItem(String(item['type'] ?? ''))) replied = false;
          rearm();
          opts.onEvent?.({ type: 'itemCompleted', item: { type: String(item['type'] ?? ''), id: String(item['id'] ?? ''), ...(typeof item['status'] === 'string' ? { status: item['status'] } : {}) } });
          return;
        }
        case 'thread/tokenUsage/updated': {
          const tu = rec(p['tokenUsage']);
          const last = rec(tu['last']);
          if (typeof last['totalTokens'] === 'number') {
            usage = last as unknown as TokenUsageBreakdown;
            tokenUsage = {
              last: usage,
              total: rec(tu['total']) as unknown as TokenUsageBreakdown,
              modelContextWindow: typeof tu['modelContextWindow'] === 'number' ? tu['modelContextWindow'] : null,
            };
          }
          return;
        }
        case 'turn/completed':
          finish?.(rec(p['turn']));
          return;
        default:
          opts.onEvent?.({ type: 'notification', method: n.method });
      }
    };
    const off = this.client.onNotification((n) => {
      if (turnId === null) early.push(n);
      else handle(n);
    });

    let interrupted = false;
    let reason: string | null = null;
    let timer: NodeJS.Timeout | undefined;
    const stop = new Promise<string>((resolve) => {
      const deadline = opts.timeoutMs ?? DEFAULT_TURN_TIMEOUT_MS;
      if (Number.isFinite(deadline)) timer = setTimeout(() => resolve(`turn timed out after ${Math.round(deadline / 100) / 10} s`), deadline);
      opts.signal?.addEventListener('abort', () => resolve('turn aborted'), { once: true });
      if (opts.signal?.aborted) resolve('turn aborted');
    });

    try {
      if (opts.signal?.aborted) throw new AbortedError('turn');
      const started = rec(await this.client.request('turn/start', { threadId, input: typeof input === 'string' ? textInput(input) : input }, opts.signal ? { signal: opts.signal } : {}));
      turnId = String(rec(started['turn'])['id'] ?? '');
      this.activeTurnId = turnId;
      for (const n of early.splice(0)) handle(n);

      const exited = this.client.exited.then(() => null);
      const first = await Promise.race([completed, stop, exited, quietDone]);
      let turn: Record<string, unknown> | null;
      let completedWithoutSignal = false;
      if (first === null) turn = null;
      else if (first === 'quiet' || (typeof first === 'string' && first.startsWith('turn timed out') && replied && inProgress.size === 0)) {
        // The reply is complete and the turn went silent: take the answer, and tell codex to stop the turn.
        completedWithoutSignal = true;
        await this.interrupt(turnId).catch(() => undefined);
        turn = { status: 'completed', error: null };
      }
      else if (typeof first === 'string') {
        interrupted = true;
        reason = first;
        await this.interrupt(turnId).catch(() => undefined);
        let graceTimer: NodeJS.Timeout | undefined;
        const grace = new Promise<null>((r) => (graceTimer = setTimeout(() => r(null), opts.interruptGraceMs ?? 5000)));
        turn = await Promise.race([completed, grace, exited]);
        clearTimeout(graceTimer);
      } else turn = first;

      if (turn === null && this.client.hasExited) {
        // Let the client's exit error (with stderr tail) surface.
        await this.client.request('thread/read', { threadId, includeTurns: false });
      }
      const status = String(turn?.['status'] ?? (interrupted ? 'interrupted' : 'unknown'));
      const turnError = rec(turn?.['error'])['message'];
      return {
        threadId,
        turnId,
        status,
        finalText: projector.finalText,
        projectedMessages: projector.messages(),
        toolIterations: projector.toolIterations,
        interrupted: interrupted || status === 'interrupted',
        error: reason ?? (typeof turnError === 'string' ? turnError : status === 'failed' ? 'turn failed' : null),
        usage,
        tokenUsage,
        ...(completedWithoutSignal ? { completedWithoutSignal } : {}),
      };
    } finally {
      off();
      if (timer) clearTimeout(timer);
      if (quiet) clearTimeout(quiet);
      this.activeTurnId = null;
    }
  }
}

/** True when an item type is tool-shaped (see TurnProjector). */
export { isToolItem };

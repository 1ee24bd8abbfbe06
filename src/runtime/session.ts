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
import { AbortedError, JsonRpcError, RpcCode } from './errors.js';
import { approvalHandler, summariseChanges, type ApprovalPolicy } from './approvals.js';
import { TurnProjector, isToolItem, type HermesMessage } from './projector.js';
import type { CodexAppServerClient, ServerNotification } from './client.js';
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
  | { type: 'notification'; method: string };

export interface RunTurnOptions {
  /** Deadline for the whole turn; on expiry the turn is interrupted. */
  timeoutMs?: number;
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

export class CodexSession {
  private threadIdValue: string | null = null;
  private readonly fileChanges = new Map<string, { path: string; kind: string }[]>();
  private activeTurnId: string | null = null;

  /**
   * @param approvals approval policy for command and file-change requests
   *   (undefined: decline everything — fail closed)
   */
  constructor(
    readonly client: CodexAppServerClient,
    approvals?: ApprovalPolicy,
  ) {
    client.setServerRequestHandler(approvalHandler(approvals, this.fileChanges));
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
    this.threadIdValue = res.thread.id;
    return res;
  }

  /** `thread/resume` of an existing thread id. */
  async resumeThread(threadId: string, opts: Partial<ThreadOptions> = {}): Promise<unknown> {
    const res = await this.client.request('thread/resume', { threadId, ...opts });
    this.threadIdValue = threadId;
    return res;
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
      if (!includeTurns || !(err instanceof JsonRpcError) || err.code !== RpcCode.methodNotFound) throw err;
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
    const projector = new TurnProjector();
    let turnId: string | null = null;
    let usage: TokenUsageBreakdown | null = null;
    const early: ServerNotification[] = [];
    let finish: ((turn: Record<string, unknown>) => void) | null = null;
    const completed = new Promise<Record<string, unknown>>((r) => (finish = r));

    const handle = (n: ServerNotification) => {
      const p = rec(n.params);
      if (p['threadId'] !== threadId) return;
      const nTurn = typeof p['turnId'] === 'string' ? p['turnId'] : (rec(p['turn'])['id'] as string | undefined);
      if (nTurn !== undefined && nTurn !== turnId) return;
      switch (n.method) {
        case 'item/started': {
          const item = rec(p['item']);
          const type = String(item['type'] ?? '');
          const id = String(item['id'] ?? '');
          if (type === 'fileChange') this.fileChanges.set(id, summariseChanges(item['changes']));
          opts.onEvent?.({ type: 'itemStarted', item: { type, id, ...(typeof item['command'] === 'string' ? { command: item['command'] } : {}) } });
          return;
        }
        case 'item/completed': {
          const item = rec(p['item']);
          projector.add(item);
          opts.onEvent?.({ type: 'itemCompleted', item: { type: String(item['type'] ?? ''), id: String(item['id'] ?? ''), ...(typeof item['status'] === 'string' ? { status: item['status'] } : {}) } });
          return;
        }
        case 'thread/tokenUsage/updated': {
          const last = rec(rec(p['tokenUsage'])['last']);
          if (typeof last['totalTokens'] === 'number') usage = last as unknown as TokenUsageBreakdown;
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
      if (opts.timeoutMs !== undefined) timer = setTimeout(() => resolve(`turn timed out after ${Math.round(opts.timeoutMs! / 100) / 10} s`), opts.timeoutMs);
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
      const first = await Promise.race([completed, stop, exited]);
      let turn: Record<string, unknown> | null;
      if (first === null) turn = null;
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
      };
    } finally {
      off();
      if (timer) clearTimeout(timer);
      this.activeTurnId = null;
    }
  }
}

/** True when an item type is tool-shaped (see TurnProjector). */
export { isToolItem };

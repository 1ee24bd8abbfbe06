/**
 * CodexAppServerClient: one persistent connection to `codex app-server`
 * over JSON lines on stdio.
 *
 * Wire facts (codex 0.169, shared/codex-field-notes.md): one JSON object per
 * line, no `"jsonrpc"` field from the server; the client sends `initialize
 * {clientInfo, capabilities}` then the notification `initialized`. Server
 * messages are responses (`id` + `result`/`error`), notifications (`method`,
 * no `id`) or server-initiated requests (`id` + `method`, ids independent of
 * ours).
 *
 * The client keeps a pending-request table keyed by id; every request has a
 * timeout and may take an AbortSignal; a reply that arrives after its
 * request timed out is dropped. `-32001` (overloaded) is retried with
 * exponential backoff and jitter. Non-JSON stdout and all stderr go to a
 * bounded ring buffer; when the process exits, every pending request rejects
 * with the exit status and the stderr tail.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { AbortedError, AppServerExitedError, JsonRpcError, RequestTimeoutError, RpcCode } from './errors.js';
import { LineRing } from './ring-buffer.js';
import { toolVersion } from '../core/version.js';
import { codexSpawnEnv } from '../codex/binary.js';
import { backoffMs } from '../core/backoff.js';
import { codexChildEnv, redactSecrets } from '../codex/child-env.js';
import type { InitializeResponse } from './protocol/generated/index.js';

/** A notification from codex. `params` is unvalidated: tolerate unknown methods and fields. */
export interface ServerNotification {
  method: string;
  params: unknown;
}

/** A request codex sends to the client (approvals, elicitations, …). */
export interface ServerRequest {
  id: number | string;
  method: string;
  params: unknown;
}

/**
 * Answers a server request: return the `result`, or throw a JsonRpcError to
 * send an error. Without a handler every server request gets -32601.
 */
export type ServerRequestHandler = (req: ServerRequest) => unknown | Promise<unknown>;

export interface ClientOptions {
  /** codex executable. */
  codexBin: string;
  /** Arguments (default `["app-server"]`). */
  args?: string[];
  /** CODEX_HOME for the child; when unset the child inherits the environment's. */
  codexHome?: string;
  /** Base environment (default `process.env`); HOME is never changed. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Default per-request timeout in ms (default 30,000). */
  requestTimeoutMs?: number;
  /** Retries of a `-32001` (overloaded) reply (default 5). */
  overloadRetries?: number;
  /** First backoff delay in ms (default 100; doubles, with jitter, capped at 5 s). */
  overloadBaseDelayMs?: number;
  /** clientInfo sent in `initialize` (default `hermes-codex` and the package version). */
  clientInfo?: { name: string; title: string | null; version: string };
  /** Ring buffer size for stderr and stray stdout, in lines (default 200). */
  stderrLines?: number;
  onServerRequest?: ServerRequestHandler;
  /** Give codex the whole environment instead of the clean one (default false; see codex/child-env.ts). */
  inheritEnv?: boolean;
  /** More variable names to pass to codex in the clean environment. */
  passEnv?: readonly string[];
}

export interface RequestOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

/**
 * The byte streams of an app-server: a spawned codex, or anything else that
 * speaks the same JSON lines (an in-process fake for benchmarks and tests).
 */
export interface Transport {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Resolves once when the peer is gone. */
  exited: Promise<ExitInfo & { error?: Error }>;
  kill(signal: NodeJS.Signals): void;
  pid?: number;
}

/** Spawn `codex app-server` as a transport (see ClientOptions for env handling). */
/**
 * Start codex. It gets a clean environment (see codex/child-env.ts) unless
 * `inheritEnv`, and its own process group (`detached`), so a terminal's
 * Ctrl+C (SIGINT to the foreground process group) reaches hermes-codex
 * only, which interrupts the turn. codex still never outlives hermes-codex:
 * app-server exits when its stdin closes, which happens whenever this
 * process ends, even by SIGKILL (measured, codex 0.169), and `close()`
 * ends it on every orderly path.
 */
export function spawnTransport(opts: ClientOptions): Transport {
  const base = opts.env ?? process.env;
  const codexHome = opts.codexHome ?? base['CODEX_HOME'];
  const env: Record<string, string | undefined> = {
    ...(opts.inheritEnv ? base : codexChildEnv(base, codexHome, opts.passEnv)),
    ...codexSpawnEnv(opts.codexBin),
  };
  if (opts.codexHome) env['CODEX_HOME'] = opts.codexHome;
  if (!env['RUST_LOG']) env['RUST_LOG'] = 'warn';
  const child = spawn(opts.codexBin, opts.args ?? ['app-server'], { env: env as NodeJS.ProcessEnv, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const exited = new Promise<ExitInfo & { error?: Error }>((resolve) => {
    // 'close' may not follow a spawn failure.
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const t: Transport = { stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, exited, kill: (sig) => void child.kill(sig) };
  if (child.pid !== undefined) t.pid = child.pid;
  return t;
}

interface Pending {
  method: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout | undefined;
  onAbort?: () => void;
  signal?: AbortSignal;
}

/**
 * One running `codex app-server` and the JSON-RPC conversation with it.
 * `start()` spawns codex (in its own process group, with a clean
 * environment) and completes the `initialize`/`initialized` handshake;
 * `connect()` does the handshake over a transport you made (tests, replays).
 * `request()` sends a request and resolves with its `result` (rejects with
 * JsonRpcError, RequestTimeoutError, AbortedError or AppServerExitedError);
 * `onNotification()` and `routeThread()` deliver what the server sends;
 * `close()` ends stdin and waits up to `graceMs` (default 2,000 ms) for codex
 * to exit, then sends SIGTERM, waits again, then SIGKILL. Wire facts: the
 * module comment above.
 */
export class CodexAppServerClient {
  private readonly transport: Transport;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(n: ServerNotification) => void>();
  private readonly ring: LineRing;
  private nextId = 1;
  private handler: ServerRequestHandler | undefined;
  private readonly threadHandlers = new Map<string, ServerRequestHandler>();
  private exitInfo: ExitInfo | null = null;
  private spawnError: Error | null = null;
  private closing: Promise<ExitInfo> | null = null;
  /** Resolves when the process has exited (for any reason). */
  readonly exited: Promise<ExitInfo>;
  /** The `initialize` result, set by {@link CodexAppServerClient.start}. */
  initializeResult: InitializeResponse | undefined;

  private constructor(
    private readonly opts: ClientOptions,
    transport: Transport,
  ) {
    this.transport = transport;
    this.ring = new LineRing(opts.stderrLines ?? 200);
    this.handler = opts.onServerRequest;
    this.exited = transport.exited.then((info) => {
      if (info.error) this.spawnError = info.error;
      this.onExit({ code: info.code, signal: info.signal });
      return this.exitInfo!;
    });
    transport.stdin.on('error', () => {
      /* EPIPE after the peer died: reported through `exited`. */
    });
    // node:readline is loaded here, once codex has been spawned (spawnTransport runs first), not when this
    // module loads: its ~1 ms then overlaps codex's own start-up instead of delaying the spawn.
    const { createInterface } = process.getBuiltinModule('node:readline');
    const out = createInterface({ input: transport.stdout, crlfDelay: Infinity });
    out.on('line', (line) => this.onLine(line));
    const err = createInterface({ input: transport.stderr, crlfDelay: Infinity });
    err.on('line', (line) => this.ring.push(line));
  }

  /**
   * Spawn codex and complete the `initialize` + `initialized` handshake.
   * @throws AppServerExitedError when codex cannot start or dies first
   */
  static async start(opts: ClientOptions): Promise<CodexAppServerClient> {
    return CodexAppServerClient.connect(spawnTransport(opts), opts);
  }

  /**
   * Complete the handshake over an existing transport (`codexBin` in opts is
   * used only in messages).
   */
  static async connect(transport: Transport, opts: ClientOptions): Promise<CodexAppServerClient> {
    const client = new CodexAppServerClient(opts, transport);
    try {
      client.initializeResult = await client.request<InitializeResponse>('initialize', {
        clientInfo: opts.clientInfo ?? { name: 'hermes-codex', title: 'hermes-codex', version: toolVersion() },
        capabilities: null,
      });
      client.notify('initialized');
      return client;
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  /**
   * Route server-initiated requests that name this thread (`params.threadId`)
   * to `handler`, so sessions on one client keep their own approval policy.
   * @returns a function that removes the route
   */
  routeThread(threadId: string, handler: ServerRequestHandler): () => void {
    this.threadHandlers.set(threadId, handler);
    return () => {
      if (this.threadHandlers.get(threadId) === handler) this.threadHandlers.delete(threadId);
    };
  }

  /** Install (or replace) the handler for server-initiated requests that no thread route takes. */
  setServerRequestHandler(handler: ServerRequestHandler | undefined): void {
    this.handler = handler;
  }

  /** Subscribe to notifications; returns the unsubscribe function. */
  onNotification(listener: (n: ServerNotification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Notifications as an async iterator (buffered from the moment of the
   * call); ends when the process exits or `signal` aborts.
   */
  async *notifications(signal?: AbortSignal): AsyncGenerator<ServerNotification> {
    const queue: ServerNotification[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const off = this.onNotification((n) => {
      queue.push(n);
      wake?.();
    });
    const stop = () => {
      done = true;
      wake?.();
    };
    void this.exited.then(stop);
    signal?.addEventListener('abort', stop, { once: true });
    try {
      for (;;) {
        while (queue.length) yield queue.shift()!;
        if (done) return;
        await new Promise<void>((r) => (wake = r));
        wake = null;
      }
    } finally {
      off();
      signal?.removeEventListener('abort', stop);
    }
  }

  /**
   * Send a request and wait for its result. `-32001` replies are retried
   * with backoff; other error replies reject with {@link JsonRpcError}.
   * @throws JsonRpcError | RequestTimeoutError | AbortedError | AppServerExitedError
   */
  async request<R = unknown>(method: string, params?: unknown, opts: RequestOptions = {}): Promise<R> {
    const retries = this.opts.overloadRetries ?? 5;
    const base = this.opts.overloadBaseDelayMs ?? 100;
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.requestOnce(method, params, opts)) as R;
      } catch (err) {
        if (!(err instanceof JsonRpcError) || err.code !== RpcCode.overloaded || attempt >= retries) throw err;
        const delay = backoffMs(attempt, base, 5000);
        await sleep(delay, opts.signal);
      }
    }
  }

  private requestOnce(method: string, params: unknown, opts: RequestOptions): Promise<unknown> {
    if (opts.signal?.aborted) return Promise.reject(new AbortedError(method));
    if (this.exitInfo) return Promise.reject(this.exitedError(`codex exited before ${method} could be sent`));
    const id = this.nextId++;
    const timeoutMs = opts.timeoutMs ?? this.opts.requestTimeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const entry: Pending = { method, resolve, reject, timer: undefined };
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        entry.timer = setTimeout(() => {
          this.settle(id);
          reject(new RequestTimeoutError(method, timeoutMs));
        }, timeoutMs);
      }
      if (opts.signal) {
        entry.signal = opts.signal;
        entry.onAbort = () => {
          this.settle(id);
          reject(new AbortedError(method));
        };
        opts.signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.pending.set(id, entry);
      this.write(params === undefined ? { id, method } : { id, method, params });
    });
  }

  /** Send a notification (no reply). */
  notify(method: string, params?: unknown): void {
    this.write(params === undefined ? { method } : { method, params });
  }

  /** The last lines codex wrote to stderr (and any non-JSON stdout). */
  stderrTail(lines = 40): string {
    return redactSecrets(this.ring.tail(lines), this.opts.env ?? process.env);
  }

  get pid(): number | undefined {
    return this.transport.pid;
  }

  /** True once the process has exited. */
  get hasExited(): boolean {
    return this.exitInfo !== null;
  }

  /**
   * Shut codex down: end stdin, wait; SIGTERM, wait; SIGKILL. Idempotent:
   * every call returns the same promise.
   */
  close(graceMs = 2000): Promise<ExitInfo> {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      if (this.exitInfo) return this.exitInfo;
      this.transport.stdin.end();
      if (await raceTimeout(this.exited, graceMs)) return this.exitInfo!;
      this.transport.kill('SIGTERM');
      if (await raceTimeout(this.exited, graceMs)) return this.exitInfo!;
      this.transport.kill('SIGKILL');
      return this.exited;
    })();
    return this.closing;
  }

  private write(msg: object): void {
    if (this.exitInfo || !this.transport.stdin.writable) return;
    this.transport.stdin.write(JSON.stringify(msg) + '\n');
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    if (p.signal && p.onAbort) p.signal.removeEventListener('abort', p.onAbort);
    return p;
  }

  private onLine(line: string): void {
    if (line.length === 0) return;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.ring.push(`[stdout] ${line}`);
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      this.ring.push(`[stdout] ${line}`);
      return;
    }
    const m = msg as { id?: number | string; method?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
    if (typeof m.method === 'string') {
      if (m.id !== undefined && m.id !== null) void this.answer({ id: m.id, method: m.method, params: (m as { params?: unknown }).params });
      else this.emit({ method: m.method, params: (m as { params?: unknown }).params });
      return;
    }
    if (m.id === undefined || m.id === null) {
      this.ring.push(`[stdout] ${line}`);
      return;
    }
    const p = typeof m.id === 'number' ? this.settle(m.id) : undefined;
    if (!p) return; // late reply to a timed-out or aborted request, or an id we never sent
    if (m.error) {
      p.reject(new JsonRpcError(p.method, Number(m.error.code ?? 0), String(m.error.message ?? 'unknown error'), m.error.data));
    } else p.resolve(m.result);
  }

  private emit(n: ServerNotification): void {
    for (const l of this.listeners) {
      try {
        l(n);
      } catch {
        /* a listener's failure must not break the reader */
      }
    }
  }

  private async answer(req: ServerRequest): Promise<void> {
    const threadId = (req.params as { threadId?: unknown } | null)?.threadId;
    const handler = (typeof threadId === 'string' ? this.threadHandlers.get(threadId) : undefined) ?? this.handler;
    if (!handler) {
      this.write({ id: req.id, error: { code: RpcCode.methodNotFound, message: `hermes-codex does not handle ${req.method}` } });
      return;
    }
    try {
      const result = await handler(req);
      this.write({ id: req.id, result });
    } catch (err) {
      const code = err instanceof JsonRpcError ? err.code : -32603;
      const message = err instanceof JsonRpcError ? err.rpcMessage : (err as Error).message;
      this.write({ id: req.id, error: { code, message } });
    }
  }

  private onExit(info: ExitInfo): void {
    if (this.exitInfo) return;
    this.exitInfo = info;
    // The error (stderr's tail, secrets redacted: about 1 ms) is built only for requests it fails, not at every normal close.
    if (this.pending.size === 0) return;
    const err = this.exitedError('codex app-server exited');
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(err);
  }

  private exitedError(what: string): AppServerExitedError {
    const info = this.exitInfo;
    const status = this.spawnError
      ? `could not start ${this.opts.codexBin}: ${this.spawnError.message}`
      : info
        ? info.signal
          ? `killed by ${info.signal}`
          : `exit status ${info.code}`
        : 'still running';
    return new AppServerExitedError(`${what} (${status})`, info?.code ?? null, info?.signal ?? null, redactSecrets(this.ring.tail(40), this.opts.env ?? process.env));
  }
}

/** The JSON-RPC error to throw from a ServerRequestHandler for an unhandled method. */
export function methodNotFound(method: string): JsonRpcError {
  return new JsonRpcError(method, RpcCode.methodNotFound, `hermes-codex does not handle ${method}`);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError('request'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new AbortedError('request'));
      },
      { once: true },
    );
  });
}

async function raceTimeout<T>(p: Promise<T>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  const done = await Promise.race([p.then(() => true as const), timeout]);
  clearTimeout(timer);
  return done;
}

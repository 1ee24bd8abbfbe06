/**
 * CodexSession over an in-memory transport: scripted server messages that
 * the real codex produces only in situations a test cannot arrange
 * (interleaved threads, file-change approvals with their announced changes).
 */
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { CodexAppServerClient, type Transport } from '../../src/runtime/client.js';
import { CodexSession } from '../../src/runtime/session.js';
import type { ApprovalRequest } from '../../src/runtime/approvals.js';

type Msg = Record<string, unknown>;

/** A scripted peer: `onRequest` returns the reply result and may push more lines. */
function scriptedPeer(onRequest: (m: Msg, push: (o: object) => void) => unknown) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let exit!: (v: { code: number | null; signal: null }) => void;
  const exited = new Promise<{ code: number | null; signal: null }>((r) => (exit = r));
  const fromClient: Msg[] = [];
  const push = (o: object) => stdout.write(JSON.stringify(o) + '\n');
  createInterface({ input: stdin }).on('line', (line) => {
    const m = JSON.parse(line) as Msg;
    fromClient.push(m);
    if (typeof m['method'] !== 'string' || m['id'] === undefined) return;
    const result = m['method'] === 'initialize' ? { userAgent: 'x', codexHome: '/', platformFamily: 'unix', platformOs: 'linux' } : onRequest(m, push);
    if (result !== undefined) push({ id: m['id'], result });
  });
  stdin.on('finish', () => exit({ code: 0, signal: null }));
  const transport: Transport = { stdin, stdout, stderr, exited, kill: () => exit({ code: null, signal: null }) };
  return { transport, fromClient, push };
}

const T = 'thread-1';
const U = 'turn-1';
const completed = (threadId: string, turnId: string) => ({ method: 'turn/completed', params: { threadId, turn: { id: turnId, status: 'completed', error: null } } });
const agent = (threadId: string, turnId: string, text: string) => ({ method: 'item/completed', params: { threadId, turnId, item: { type: 'agentMessage', id: `m-${text}`, text } } });

describe('CodexSession (in memory)', () => {
  it('ignores notifications of other threads and other turns', async () => {
    const peer = scriptedPeer((m, push) => {
      if (m['method'] === 'thread/start') return { thread: { id: T } };
      if (m['method'] === 'turn/start') {
        setImmediate(() => {
          push(agent('other-thread', U, 'wrong thread'));
          push(agent(T, 'other-turn', 'wrong turn'));
          push(agent(T, U, 'right'));
          push(completed('other-thread', U));
          push(completed(T, U));
        });
        return { turn: { id: U, status: 'inProgress' } };
      }
      return {};
    });
    const client = await CodexAppServerClient.connect(peer.transport, { codexBin: 'memory' });
    const session = new CodexSession(client);
    await session.startThread({ cwd: '/' });
    const r = await session.runTurn('hi');
    expect(r.finalText).toBe('right');
    expect(r.projectedMessages.map((x) => x.content)).toEqual(['right']);
    await client.close();
  });

  it('handles notifications that arrive before the turn/start reply', async () => {
    const peer = scriptedPeer((m, push) => {
      if (m['method'] === 'thread/start') return { thread: { id: T } };
      if (m['method'] === 'turn/start') {
        push(agent(T, U, 'early'));
        push(completed(T, U));
        push({ id: m['id'], result: { turn: { id: U, status: 'inProgress' } } });
        return undefined;
      }
      return {};
    });
    const client = await CodexAppServerClient.connect(peer.transport, { codexBin: 'memory' });
    const session = new CodexSession(client);
    await session.startThread({ cwd: '/' });
    expect((await session.runTurn('hi')).finalText).toBe('early');
    await client.close();
  });

  it('shows a file-change approval the kinds and paths announced by item/started', async () => {
    const seen: ApprovalRequest[] = [];
    let decision: unknown;
    const peer = scriptedPeer((m, push) => {
      if (m['method'] === 'thread/start') return { thread: { id: T } };
      if (m['method'] === 'turn/start') {
        setImmediate(() => {
          push({ method: 'item/started', params: { threadId: T, turnId: U, item: { type: 'fileChange', id: 'fc1', status: 'inProgress', changes: [{ path: '/w/new.txt', kind: { type: 'add' }, diff: '+a' }, { path: '/w/old.txt', kind: { type: 'update', move_path: null }, diff: '' }] } } });
          push({ id: 0, method: 'item/fileChange/requestApproval', params: { threadId: T, turnId: U, itemId: 'fc1', reason: 'edit files', grantRoot: null } });
        });
        return { turn: { id: U, status: 'inProgress' } };
      }
      return {};
    });
    // The client's reply to the server request ends the scripted turn.
    peer.transport.stdin.on('data', (d: Buffer) => {
      for (const line of String(d).split('\n').filter(Boolean)) {
        const m = JSON.parse(line) as Msg;
        if (m['id'] === 0 && 'result' in m) {
          decision = m['result'];
          peer.push(completed(T, U));
        }
      }
    });
    const client = await CodexAppServerClient.connect(peer.transport, { codexBin: 'memory' });
    const session = new CodexSession(client, (req) => (seen.push(req), 'decline'));
    await session.startThread({ cwd: '/' });
    await session.runTurn('edit');
    expect(seen).toEqual([
      { kind: 'fileChange', threadId: T, turnId: U, itemId: 'fc1', reason: 'edit files', grantRoot: null, changes: [{ path: '/w/new.txt', kind: 'add' }, { path: '/w/old.txt', kind: 'update' }] },
    ]);
    expect(decision).toEqual({ decision: 'decline' });
    await client.close();
  });

  it('passes thread options through to thread/start', async () => {
    const peer = scriptedPeer((m) => (m['method'] === 'thread/start' ? { thread: { id: T } } : {}));
    const client = await CodexAppServerClient.connect(peer.transport, { codexBin: 'memory' });
    await new CodexSession(client).startThread({ cwd: '/w', model: 'gpt-x', sandbox: 'read-only', approvalPolicy: 'never' });
    expect(peer.fromClient.find((m) => m['method'] === 'thread/start')!['params']).toEqual({ cwd: '/w', model: 'gpt-x', sandbox: 'read-only', approvalPolicy: 'never' });
    await client.close();
  });
});

describe('CodexSession (in memory): what the real codex does only sometimes', () => {
  it('reports the answer as completed when codex never sends turn/completed, and streams deltas and token usage', async () => {
    const peer = scriptedPeer((m, push) => {
      if (m['method'] === 'thread/start') return { thread: { id: T } };
      if (m['method'] === 'turn/start') {
        setImmediate(() => {
          push({ method: 'item/agentMessage/delta', params: { threadId: T, turnId: U, itemId: 'm-done', delta: 'do' } });
          push({ method: 'item/agentMessage/delta', params: { threadId: T, turnId: U, itemId: 'm-done', delta: 'ne' } });
          push({ method: 'thread/tokenUsage/updated', params: { threadId: T, turnId: U, tokenUsage: { last: { totalTokens: 15, inputTokens: 10 }, total: { totalTokens: 40, inputTokens: 30 }, modelContextWindow: 272000 } } });
          push(agent(T, U, 'done'));
          // …and no turn/completed.
        });
        return { turn: { id: U, status: 'inProgress' } };
      }
      return {};
    });
    const client = await CodexAppServerClient.connect(peer.transport, { codexBin: 'memory' });
    const session = new CodexSession(client);
    await session.startThread({ cwd: '/' });
    const deltas: string[] = [];
    const r = await session.runTurn('hi', { completionGraceMs: 200, onEvent: (e) => e.type === 'delta' && deltas.push(e.delta) });
    expect(r).toMatchObject({ status: 'completed', finalText: 'done', interrupted: false, error: null, completedWithoutSignal: true });
    expect(deltas.join('')).toBe('done');
    expect(r.tokenUsage).toEqual({ last: { totalTokens: 15, inputTokens: 10 }, total: { totalTokens: 40, inputTokens: 30 }, modelContextWindow: 272000 });
    // codex was told to stop the silent turn.
    expect(peer.fromClient.some((m) => m['method'] === 'turn/interrupt')).toBe(true);
    await client.close();
  });

  it('routes approval requests to the session that owns the thread', async () => {
    const answers: Msg[] = [];
    const peer = scriptedPeer((m) => {
      if (m['method'] === 'thread/start') return { thread: { id: (m['params'] as Msg)['cwd'] === '/a' ? 'ta' : 'tb' } };
      return {};
    });
    const client = await CodexAppServerClient.connect(peer.transport, { codexBin: 'memory' });
    const asked: string[] = [];
    const a = new CodexSession(client, (req) => {
      asked.push(req.threadId);
      return 'accept';
    });
    const b = new CodexSession(client, 'never');
    await a.startThread({ cwd: '/a' });
    await b.startThread({ cwd: '/b' });
    for (const [id, threadId] of [[100, 'ta'], [101, 'tb']] as const) {
      peer.push({ id, method: 'item/commandExecution/requestApproval', params: { threadId, turnId: 'u', itemId: 'i', command: 'ls', cwd: '/', reason: null } });
    }
    await new Promise((r) => setTimeout(r, 50));
    for (const m of peer.fromClient) if (m['id'] === 100 || m['id'] === 101) answers.push(m);
    answers.sort((x, y) => Number(x['id']) - Number(y['id']));
    expect(answers).toEqual([
      { id: 100, result: { decision: 'accept' } },
      { id: 101, result: { decision: 'decline' } },
    ]);
    expect(asked).toEqual(['ta']);
    await client.close();
  });
});

describe('CodexSession.readThread on older codex', () => {
  it('falls back to reading without turns on -32600 "not materialized yet" (codex ≤ 0.150)', async () => {
    const peer = scriptedPeer((m, push) => {
      if (m['method'] === 'thread/start') return { thread: { id: T } };
      if (m['method'] === 'thread/read') {
        if ((m['params'] as Msg)['includeTurns']) {
          push({ id: m['id'], error: { code: -32600, message: 'thread 1 is not materialized yet; includeTurns is unavailable before first user message' } });
          return undefined;
        }
        return { thread: { id: T } };
      }
      return {};
    });
    const client = await CodexAppServerClient.connect(peer.transport, { codexBin: 'memory' });
    const session = new CodexSession(client);
    await session.startThread({ cwd: '/' });
    expect(await session.readThread(true)).toMatchObject({ thread: { id: T }, turnsIncluded: false, note: expect.stringMatching(/not materialized/) });
    await client.close();
  });
});

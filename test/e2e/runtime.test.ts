/**
 * The runtime against the real pinned codex, offline: the mock Responses
 * server is codex's model provider on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startCodexWithMock, type CodexWithMock } from '../helpers/runtime.js';
import { AppServerExitedError } from '../../src/runtime/errors.js';

let rt: CodexWithMock | undefined;
afterEach(async () => {
  await rt?.cleanup();
  rt = undefined;
});

const writeProof = { toolCall: { arguments: { cmd: 'echo hi > proof.txt', sandbox_permissions: 'require_escalated', justification: 'write proof' } } };

/** The text of every item in a Responses request's `input`, for assertions. */
const inputText = (body: { input?: unknown[] }) => JSON.stringify(body.input ?? []);

describe('runtime with real codex (offline)', () => {
  it('runs a PONG turn', async () => {
    rt = await startCodexWithMock([{ message: 'PONG' }]);
    const r = await rt.session.runTurn('Reply with exactly PONG', { timeoutMs: 30_000 });
    expect(r).toMatchObject({ status: 'completed', finalText: 'PONG', interrupted: false, error: null, toolIterations: 0 });
    expect(r.threadId).toBe(rt.session.threadId);
    expect(r.usage).toMatchObject({ inputTokens: 10, outputTokens: 5, totalTokens: 15 });
    expect(r.projectedMessages).toEqual([
      { role: 'user', content: 'Reply with exactly PONG' },
      { role: 'assistant', content: 'PONG' },
    ]);
    expect(rt.mock.requests).toHaveLength(1);
    expect(rt.client.initializeResult?.codexHome).toBe(rt.codexHome);
  });

  it('runs two turns on one thread; the second request carries the first turn', async () => {
    rt = await startCodexWithMock([{ message: 'first answer' }, { message: 'second answer' }]);
    await rt.session.runTurn('question one');
    const r2 = await rt.session.runTurn('question two');
    expect(r2.finalText).toBe('second answer');
    const second = inputText(rt.mock.requests[1]);
    expect(second).toContain('question one');
    expect(second).toContain('first answer');
    expect(second).toContain('question two');
  });

  it('runs an approved tool call (once): the command runs and its file exists', async () => {
    rt = await startCodexWithMock([writeProof, { message: 'done' }], { approvals: 'once' });
    const r = await rt.session.runTurn('write the proof', { timeoutMs: 30_000 });
    expect(r.finalText).toBe('done');
    expect(r.toolIterations).toBe(1);
    expect(readFileSync(path.join(rt.cwd, 'proof.txt'), 'utf8')).toBe('hi\n');
    const call = r.projectedMessages.find((m) => m.tool_calls)!;
    expect(call.tool_calls![0]!.function.name).toBe('exec_command');
    expect(JSON.parse(call.tool_calls![0]!.function.arguments).command).toContain('echo hi > proof.txt');
    const result = r.projectedMessages.find((m) => m.role === 'tool')!;
    expect(result.tool_call_id).toBe(call.tool_calls![0]!.id);
  });

  it('declines with `never`: the item is declined, nothing runs, and the model is told', async () => {
    rt = await startCodexWithMock([writeProof, { message: 'ok, not writing' }], { approvals: 'never' });
    const r = await rt.session.runTurn('write the proof');
    expect(existsSync(path.join(rt.cwd, 'proof.txt'))).toBe(false);
    expect(r.projectedMessages.find((m) => m.role === 'tool')!.content).toMatch(/declined/);
    const followUp = rt.mock.requests[1] as { input: { type: string; output?: unknown }[] };
    const output = followUp.input.filter((i) => i.type === 'function_call_output').map((i) => JSON.stringify(i.output)).join(' ');
    expect(output).toMatch(/rejected/i);
  });

  it('declines by default (no policy: fail closed)', async () => {
    rt = await startCodexWithMock([writeProof, { message: 'fine' }]);
    await rt.session.runTurn('write the proof');
    expect(existsSync(path.join(rt.cwd, 'proof.txt'))).toBe(false);
  });

  it('interrupts a stalled turn on abort and reports it', async () => {
    rt = await startCodexWithMock([{ stall: true }]);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 500);
    const r = await rt.session.runTurn('hang', { signal: ac.signal });
    expect(r.interrupted).toBe(true);
    expect(r.status).toBe('interrupted');
    expect(r.error).toBe('turn aborted');
  });

  it('interrupts at the turn deadline and reports the timeout as the error', async () => {
    rt = await startCodexWithMock([{ stall: true }]);
    const r = await rt.session.runTurn('hang', { timeoutMs: 600 });
    expect(r.interrupted).toBe(true);
    expect(r.error).toMatch(/timed out after 0\.6 s/);
  });

  it('reports codex\'s error when the model answers HTTP 500', async () => {
    rt = await startCodexWithMock([{ status: 500 }]);
    const r = await rt.session.runTurn('fail please', { timeoutMs: 30_000 });
    expect(r.status).toBe('failed');
    expect(r.error).toBeTruthy();
    expect(r.interrupted).toBe(false);
  });

  it('reports codex\'s error on a broken event stream', async () => {
    rt = await startCodexWithMock([{ brokenSse: true }]);
    const r = await rt.session.runTurn('break please', { timeoutMs: 30_000 });
    expect(r.status).toBe('failed');
    expect(r.error).toBeTruthy();
  });

  it('rejects with the exit status and stderr tail when codex is killed mid-turn', async () => {
    rt = await startCodexWithMock([{ stall: true }]);
    setTimeout(() => process.kill(rt!.client.pid!, 'SIGKILL'), 400);
    const err = await rt.session.runTurn('hang').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppServerExitedError);
    expect((err as AppServerExitedError).message).toMatch(/killed by SIGKILL/);
    expect((err as AppServerExitedError).signal).toBe('SIGKILL');
    // codex's own stderr (it warns about the unknown mock model at RUST_LOG=warn) is in the error.
    expect((err as AppServerExitedError).stderrTail).toMatch(/mock-model|bubblewrap|PATH aliases/);
    expect((err as AppServerExitedError).message).toContain('--- codex stderr (last lines) ---');
    // Later requests reject at once with the same kind of error.
    await expect(rt.client.request('thread/list', {})).rejects.toBeInstanceOf(AppServerExitedError);
  });

  it('reads a thread before its first turn by retrying without turns', async () => {
    rt = await startCodexWithMock([{ message: 'PONG' }]);
    const before = await rt.session.readThread(true);
    expect(before.turnsIncluded).toBe(false);
    expect(before.note).toMatch(/could not list turns/);
    expect(before.thread).toMatchObject({ id: rt.session.threadId });
  });

  it('runs one command in codex\'s sandbox with command/exec', async () => {
    rt = await startCodexWithMock([]);
    const r = await rt.session.execCommand(['sh', '-c', 'echo sandboxed; exit 3'], { cwd: rt.cwd });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toContain('sandboxed');
  });

  it('steers a running turn with turn/steer, and refuses a wrong expectedTurnId', async () => {
    rt = await startCodexWithMock([{ stall: true }, { message: 'steered answer' }]);
    const ac = new AbortController();
    const running = rt.session.runTurn('start something', { signal: ac.signal, timeoutMs: 30_000 });
    while (!rt.session.currentTurnId) await new Promise((r) => setTimeout(r, 20));
    const turnId = rt.session.currentTurnId;
    await expect(rt.session.steer('also this', 'not-the-turn')).rejects.toMatchObject({ name: 'JsonRpcError' });
    await expect(rt.session.steer('also this', turnId)).resolves.toBeDefined();
    ac.abort();
    const r = await running;
    expect(r.turnId).toBe(turnId);
  });

  it('resumes a thread from a new connection; the next turn carries the earlier history', async () => {
    rt = await startCodexWithMock([{ message: 'remember the word AZALEA' }, { message: 'AZALEA' }]);
    await rt.session.runTurn('pick a word');
    const threadId = rt.session.threadId;
    await rt.client.close();
    const { CodexAppServerClient } = await import('../../src/runtime/client.js');
    const { CodexSession } = await import('../../src/runtime/session.js');
    const { codexBin } = await import('../helpers/codex.js');
    const client2 = await CodexAppServerClient.start({ codexBin, codexHome: rt.codexHome, env: rt.env, cwd: rt.cwd });
    try {
      const session2 = new CodexSession(client2);
      await session2.resumeThread(threadId);
      const r = await session2.runTurn('which word?');
      expect(r.finalText).toBe('AZALEA');
      expect(r.threadId).toBe(threadId);
      expect(JSON.stringify(rt.mock.requests[1])).toContain('remember the word AZALEA');
    } finally {
      await client2.close();
    }
  });

  it('closes idempotently', async () => {
    rt = await startCodexWithMock([]);
    const a = rt.client.close();
    const b = rt.client.close();
    expect(a).toBe(b);
    const info = await a;
    expect(rt.client.hasExited).toBe(true);
    expect(info.signal === null || info.signal === 'SIGTERM').toBe(true);
  });
});

/**
 * Client behaviour against a fake app-server (fixtures/fake-app-server) for
 * protocol edge cases the real codex cannot be made to produce.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { CodexAppServerClient, type ClientOptions } from '../../src/runtime/client.js';
import { AbortedError, AppServerExitedError, JsonRpcError, RequestTimeoutError } from '../../src/runtime/errors.js';
import { approvalHandler } from '../../src/runtime/approvals.js';
import { repoRoot } from '../helpers/codex.js';

const fake = path.join(repoRoot, 'fixtures/fake-app-server/server.mjs');
let client: CodexAppServerClient | undefined;
afterEach(async () => {
  await client?.close(500);
  client = undefined;
});

const start = async (opts: Partial<ClientOptions> = {}) => {
  client = await CodexAppServerClient.start({ codexBin: process.execPath, args: [fake], overloadBaseDelayMs: 5, ...opts });
  return client;
};

describe('client against a fake app-server', () => {
  it('answers server requests it does not handle with -32601 so codex never hangs', async () => {
    const c = await start();
    const r = await c.request<{ reply: { error: { code: number } } }>('fake/serverRequest', { method: 'item/tool/requestUserInput', params: {} });
    expect(r.reply.error.code).toBe(-32601);
  });

  it('routes approval requests through the installed handler (string ids too)', async () => {
    const c = await start();
    c.setServerRequestHandler(approvalHandler('once', new Map()));
    const r = await c.request<{ reply: { id: string; result: unknown } }>('fake/serverRequest', {
      id: 'abc',
      method: 'item/commandExecution/requestApproval',
      params: { threadId: 't', turnId: 'u', itemId: 'i', command: 'ls', cwd: '/', reason: null },
    });
    expect(r.reply).toEqual({ id: 'abc', result: { decision: 'accept' } });
    const unknown = await c.request<{ reply: { error: { code: number } } }>('fake/serverRequest', { method: 'attestation/generate' });
    expect(unknown.reply.error.code).toBe(-32601);
  });

  it('retries -32001 (overloaded) with backoff, bounded', async () => {
    const c = await start({ overloadRetries: 3 });
    await expect(c.request('fake/overload', { key: 'a', failures: 2 })).resolves.toEqual({ attempts: 3 });
    const err = await c.request('fake/overload', { key: 'b', failures: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JsonRpcError);
    expect((err as JsonRpcError).code).toBe(-32001);
  });

  it('matches replies that arrive out of order', async () => {
    const c = await start();
    const order: string[] = [];
    const slow = c.request<{ value: string }>('fake/echo', { value: 'slow', delayMs: 150 }).then((r) => (order.push(r.value), r.value));
    const fast = c.request<{ value: string }>('fake/echo', { value: 'fast', delayMs: 0 }).then((r) => (order.push(r.value), r.value));
    expect(await Promise.all([slow, fast])).toEqual(['slow', 'fast']);
    expect(order).toEqual(['fast', 'slow']);
  });

  it('times out a request and drops its late reply', async () => {
    const c = await start();
    const err = await c.request('fake/echo', { value: 'late', delayMs: 300 }, { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    await new Promise((r) => setTimeout(r, 400));
    // The connection still works after the late reply was dropped.
    await expect(c.request('fake/echo', { value: 'next' })).resolves.toEqual({ value: 'next' });
  });

  it('aborts a request on signal', async () => {
    const c = await start();
    const ac = new AbortController();
    const p = c.request('fake/echo', { value: 'x', delayMs: 500 }, { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toBeInstanceOf(AbortedError);
  });

  it('surfaces JSON-RPC errors as typed errors with code, message and data', async () => {
    const c = await start();
    const err = await c.request('no/such/method').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JsonRpcError);
    expect(err).toMatchObject({ code: -32601, rpcMessage: 'unknown method no/such/method', method: 'no/such/method' });
  });

  it('keeps non-JSON stdout lines in the ring buffer and goes on', async () => {
    const c = await start();
    await expect(c.request('fake/noise')).resolves.toEqual({ ok: true });
    expect(c.stderrTail()).toContain('[stdout] this is not json');
    expect(c.stderrTail()).toContain('[stdout] [1,2,3]');
  });

  it('reads a 5 MB line', async () => {
    const c = await start();
    const r = await c.request<{ data: string }>('fake/big', { bytes: 5 * 1024 * 1024 });
    expect(r.data.length).toBe(5 * 1024 * 1024);
  });

  it('delivers 100,000 notifications in order', async () => {
    const c = await start();
    let count = 0;
    let inOrder = true;
    const off = c.onNotification((n) => {
      if ((n.params as { i: number }).i !== count) inOrder = false;
      count++;
    });
    await expect(c.request('fake/flood', { count: 100_000 }, { timeoutMs: 60_000 })).resolves.toEqual({ sent: 100_000 });
    off();
    expect(count).toBe(100_000);
    expect(inOrder).toBe(true);
  });

  it('iterates notifications as an async iterator', async () => {
    const c = await start();
    const ac = new AbortController();
    const seen: number[] = [];
    const reader = (async () => {
      for await (const n of c.notifications(ac.signal)) {
        seen.push((n.params as { i: number }).i);
        if (seen.length === 3) ac.abort();
      }
    })();
    await c.request('fake/flood', { count: 3 });
    await reader;
    expect(seen).toEqual([0, 1, 2]);
  });

  it('rejects pending requests with the exit status and stderr tail when the process exits', async () => {
    const c = await start();
    const pending = c.request('fake/echo', { value: 'never', delayMs: 10_000 });
    const err = await c.request('fake/exit', { code: 3, stderr: 'boom: the fake died\n' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppServerExitedError);
    expect((err as AppServerExitedError).message).toMatch(/exit status 3/);
    expect((err as AppServerExitedError).stderrTail).toContain('boom: the fake died');
    await expect(pending).rejects.toBeInstanceOf(AppServerExitedError);
  });

  it('reports a binary that cannot be started', async () => {
    const err = await CodexAppServerClient.start({ codexBin: '/nonexistent/codex' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppServerExitedError);
    expect((err as Error).message).toMatch(/could not start \/nonexistent\/codex/);
  });
});

describe('a session on a fake app-server: MCP start-up states (codex 0.171 adds environmentId)', () => {
  it('keys start-up states by server and environment: one name in two environments is two servers, told apart by environment', async () => {
    const { CodexSession } = await import('../../src/runtime/session.js');
    const c = await start();
    const s = new CodexSession(c, 'never');
    await s.startThread({ cwd: '/' });
    const upd = (name: string, status: string, environmentId?: string | null, error?: string) => ({
      method: 'mcpServer/startupStatus/updated',
      params: { threadId: 'thread-fake', name, status, ...(environmentId !== undefined ? { environmentId } : {}), ...(error ? { error } : {}) },
    });
    await c.request('fake/notify', { notifications: [upd('docs', 'ready', 'local'), upd('docs', 'failed', 'remote', 'boom'), upd('old', 'ready')] });
    const w = await s.waitForMcpServers(2_000);
    expect(w.ready.sort()).toEqual(['docs (environment local)', 'old']);
    expect(w.failed).toEqual([{ name: 'docs (environment remote)', error: 'boom' }]);
    // A later state for the same server and environment replaces the earlier one.
    await c.request('fake/notify', { notifications: [upd('docs', 'ready', 'remote')] });
    expect((await s.waitForMcpServers(2_000)).failed).toEqual([]);
    s.close();
  });
});

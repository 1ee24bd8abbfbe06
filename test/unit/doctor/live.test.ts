/**
 * --live checks against an in-memory codex with scripted replies.
 */
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { runDoctor } from '../../../src/doctor/run.js';
import { CodexAppServerClient, type Transport } from '../../../src/runtime/client.js';
import type { ClientOptions } from '../../../src/runtime/client.js';
import { memFileSystem } from '../../helpers/memfs.js';

type Replies = Record<string, unknown>;

function scripted(replies: Replies) {
  return async (_opts: ClientOptions) => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let exit!: (v: { code: number | null; signal: null }) => void;
    const exited = new Promise<{ code: number | null; signal: null }>((r) => (exit = r));
    createInterface({ input: stdin }).on('line', (line) => {
      const m = JSON.parse(line) as { id?: number; method?: string };
      if (m.id === undefined || !m.method) return;
      const result = m.method === 'initialize' ? { userAgent: 'hermes-codex/0.169.0 (x)', codexHome: '/', platformFamily: 'unix', platformOs: 'linux' } : replies[m.method];
      stdout.write(JSON.stringify(result === undefined ? { id: m.id, error: { code: -32601, message: 'no' } } : { id: m.id, result }) + '\n');
    });
    stdin.on('finish', () => exit({ code: 0, signal: null }));
    const transport: Transport = { stdin, stdout, stderr: new PassThrough(), exited, kill: () => exit({ code: null, signal: null }) };
    const client = await CodexAppServerClient.connect(transport, { codexBin: 'memory' });
    return { client, version: { version: '0.169.0', status: 'ok' as const } };
  };
}

const CODEX = '/home/me/.codex';
const base = (toml: string, replies: Replies) => ({
  fs: memFileSystem({ '/bin/codex': '#!', [`${CODEX}/config.toml`]: toml }),
  run: async () => ({ exitCode: 0, stdout: 'codex-cli 0.169.0', stderr: '' }),
  env: { PATH: '/bin' },
  home: '/home/me',
  cwd: '/home/me',
  codexBin: '/bin/codex',
  startClient: scripted(replies),
});

describe('live checks', () => {
  it('never starts codex\'s loader and the live app-server at once (a new CODEX_HOME\'s state database)', async () => {
    let active = 0;
    let most = 0;
    const starts: string[] = [];
    const busy = async (what: string) => {
      starts.push(what);
      most = Math.max(most, ++active);
      await new Promise((r) => setTimeout(r, 30));
      active--;
    };
    const b = base('', { 'mcpServerStatus/list': { data: [], nextCursor: null } });
    const r = await runDoctor({
      ...b,
      run: async (_cmd: string, args: readonly string[]) => {
        if (args.includes('--version')) return { exitCode: 0, stdout: 'codex-cli 0.169.0', stderr: '' };
        await busy('loader');
        return { exitCode: 0, stdout: '', stderr: '' };
      },
      startClient: async (opts: ClientOptions) => {
        await busy('app-server');
        return b.startClient(opts);
      },
      only: ['codex.config', 'mcp.live'],
    });
    expect([...new Set(starts)].sort()).toEqual(['app-server', 'loader']);
    expect(most).toBe(1);
    expect(r.checks.find((c) => c.id === 'mcp.live')).toMatchObject({ status: 'ok', summary: 'no MCP servers configured' });
  });

  it('mcp.live reports codex\'s startup error for each server that fails (summarised; codex\'s words in the details), and tool counts', async () => {
    const r = await runDoctor({
      ...base('', {
        'mcpServerStatus/list': { data: [{ name: 'ok', tools: { a: {}, b: {} }, toolsError: null }, { name: 'bad', tools: {}, toolsError: 'MCP startup failed: No such file or directory (os error 2)' }], nextCursor: null },
      }),
      only: ['mcp.live'],
    });
    expect(r.checks[0]).toMatchObject({ status: 'fail', summary: '1 of 2 server(s) failed to start: bad: No such file or directory (os error 2)' });
    expect(r.checks[0]!.details).toEqual(['ok: 2 tool(s)', 'bad: No such file or directory (os error 2)', "bad (codex's error): MCP startup failed: No such file or directory (os error 2)"]);
  });

  it('mcp.live calls a server with enabled = false disabled, never "0 tool(s)" or started, and not a failure', async () => {
    const r = await runDoctor({
      ...base('[mcp_servers.ok]\ncommand = "x"\n[mcp_servers.off]\ncommand = "y"\nenabled = false\n', {
        'mcpServerStatus/list': { data: [{ name: 'ok', tools: { a: {} }, toolsError: null }, { name: 'off', tools: {}, toolsError: null }], nextCursor: null },
      }),
      only: ['mcp.live'],
    });
    expect(r.checks[0]).toMatchObject({ status: 'ok', summary: '1 server(s) started, 1 tool(s); 1 disabled (off)' });
    expect(r.checks[0]!.details).toEqual(['ok: 1 tool(s)', 'off: disabled (enabled = false), not started']);
  });

  it("mcp.live rounds codex's raw float durations, and says a timed-out npx -y server's first start downloads its package, with the command that downloads it", async () => {
    const { summariseStartupError } = await import('../../../src/doctor/checks/live/mcp.js');
    expect(summariseStartupError('MCP client for `a` timed out after 29.999999299s', {})).toBe('MCP client for `a` timed out after 30 s');
    const r = await runDoctor({
      ...base('[mcp_servers.mem]\ncommand = "npx"\nargs = ["-y", "@modelcontextprotocol/server-memory"]\n', {
        'mcpServerStatus/list': { data: [{ name: 'mem', tools: {}, toolsError: 'MCP client for `mem` timed out after 59.999999s' }], nextCursor: null },
      }),
      only: ['mcp.live'],
    });
    expect(r.checks[0]).toMatchObject({ status: 'fail' });
    expect(r.checks[0]!.summary).toBe('1 of 1 server(s) failed to start: mem: MCP client for `mem` timed out after 60 s — its first start downloads @modelcontextprotocol/server-memory, which is not cached yet: run `npm exec --yes --package=@modelcontextprotocol/server-memory -- true` once, then start it again');
  });

  it('mcp.live says on the progress line which servers it waits for codex to start (enabled ones only)', async () => {
    const seen: string[][] = [];
    await runDoctor({
      ...base('[mcp_servers.fs]\ncommand = "x"\n[mcp_servers.git]\ncommand = "y"\n[mcp_servers.off]\ncommand = "z"\nenabled = false\n', {
        'mcpServerStatus/list': { data: [{ name: 'fs', tools: { a: {} }, toolsError: null }, { name: 'git', tools: { b: {} }, toolsError: null }], nextCursor: null },
      }),
      only: ['mcp.live'],
      onProgress: (running) => seen.push([...running]),
    });
    expect(seen).toContainEqual(['mcp.live (waiting for codex to start fs, git)']);
    expect(seen[seen.length - 1]).toEqual([]);
  });

  it('permissions.live fails for a profile codex does not know', async () => {
    const replies = { 'permissionProfile/list': { data: [{ id: ':read-only', allowed: true }, { id: ':workspace', allowed: true }], nextCursor: null } };
    expect((await runDoctor({ ...base('default_permissions = ":nope"\n', replies), only: ['permissions.live'] })).checks[0]).toMatchObject({ status: 'fail', summary: 'default_permissions = ":nope" is not a profile codex knows' });
    expect((await runDoctor({ ...base('default_permissions = ":workspace"\n', replies), only: ['permissions.live'] })).checks[0]).toMatchObject({ status: 'ok' });
  });

  it('auth.live fails without an account when one is needed; the smoke turn is then skipped with the reason', async () => {
    const r = await runDoctor({ ...base('', { 'account/read': { account: null, requiresOpenaiAuth: true } }), only: ['auth.live', 'turn.smoke'] });
    expect(r.checks.map((c) => [c.id, c.status])).toEqual([['auth.live', 'fail'], ['turn.smoke', 'skip']]);
    expect(r.checks[1]!.summary).toMatch(/no credentials/);
    const ok = await runDoctor({ ...base('', { 'account/read': { account: { type: 'chatgpt', planType: 'plus' }, requiresOpenaiAuth: true } }), only: ['auth.live'] });
    expect(ok.checks[0]).toMatchObject({ status: 'ok', summary: 'logged in: chatgpt (plus plan)' });
  });

  it('plugins.live warns about enabled plugins codex no longer reports as installed and available', async () => {
    const toml = '[plugins."gone@x"]\nenabled = true\n[plugins."here@x"]\nenabled = true\n[plugins."off@x"]\nenabled = false\n';
    const replies = { 'plugin/list': { marketplaces: [{ name: 'x', plugins: [{ id: 'here@x', name: 'here', installed: true, enabled: true, availability: 'AVAILABLE' }] }] } };
    const r = await runDoctor({ ...base(toml, replies), only: ['plugins.live'] });
    expect(r.checks[0]).toMatchObject({ status: 'warn', summary: '1 enabled plugin(s) are no longer installed and available: gone@x', fix: 'migrate' });
  });
});

/**
 * Turns that call real MCP servers through the real pinned codex and the
 * mock model: the SDK echo fixture (a read-only `echo`, a destructive `wipe`)
 * and `@modelcontextprotocol/server-memory` from npm. Codex offers MCP
 * tools as namespaces `mcp__<server>`; the mock answers with namespace + name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { codexHomeWithMock } from '../helpers/runtime.js';
import { cliBin, codexBin, fixture, repoRoot } from '../helpers/codex.js';
import { CodexAppServerClient } from '../../src/runtime/client.js';
import { CodexSession } from '../../src/runtime/session.js';
import { TurnInProgressError } from '../../src/runtime/errors.js';
import type { ApprovalRequest } from '../../src/runtime/approvals.js';
import type { MockReply } from '../../fixtures/mock-responses/server.mjs';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const echoServer = fixture('mcp/echo-server.mjs');
const wipe = (target = 'all'): MockReply => ({ toolCall: { namespace: 'mcp__echo', name: 'wipe', arguments: { target } } });

/** A CODEX_HOME with the mock model and the echo server; `script` answers each model request. */
async function setup(script: MockReply[] | ((body: unknown, i: number) => MockReply), echoEnv: Record<string, string> = {}) {
  const base = await codexHomeWithMock(script, '');
  const log = path.join(base.root, 'echo.log');
  const env = Object.entries({ ECHO_LOG: log, ...echoEnv }).map(([k, v]) => `${k} = "${v}"`).join(', ');
  writeFileSync(path.join(base.codexHome, 'config.toml'), readFileSync(path.join(base.codexHome, 'config.toml'), 'utf8') + `\n[mcp_servers.echo]\ncommand = "node"\nargs = ["${echoServer}"]\nenv = { ${env} }\n`);
  cleanups.push(() => base.mock.close(), () => rmSync(base.root, { recursive: true, force: true }));
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
  return { ...base, calls };
}

async function client(s: { codexHome: string; env: Record<string, string>; cwd: string }) {
  const c = await CodexAppServerClient.start({ codexBin, codexHome: s.codexHome, env: s.env, cwd: s.cwd });
  cleanups.push(async () => void (await c.close()));
  return c;
}

describe('MCP tools in turns (real codex, real MCP servers)', () => {
  it("routes a destructive tool's approval through the policy: never declines, once runs it, and the prompt sees server, tool and arguments", async () => {
    const s = await setup([wipe('a'), { message: 'declined' }, wipe('b'), { message: 'done' }]);
    const c = await client(s);
    const never = new CodexSession(c, 'never');
    await never.startThread({ cwd: s.cwd });
    await never.waitForMcpServers();
    const r1 = await never.runTurn('wipe a');
    expect(r1.projectedMessages.find((m) => m.role === 'tool')?.content).toMatch(/rejected/i);
    expect(s.calls()).toEqual([]);
    never.close();

    const seen: ApprovalRequest[] = [];
    const asked = new CodexSession(c, (req) => {
      seen.push(req);
      return 'accept';
    });
    await asked.startThread({ cwd: s.cwd });
    await asked.waitForMcpServers();
    const r2 = await asked.runTurn('wipe b');
    expect(r2.status).toBe('completed');
    expect(s.calls()).toEqual(['wipe b']);
    expect(seen).toEqual([
      expect.objectContaining({ kind: 'mcpToolCall', server: 'echo', tool: 'wipe', arguments: { target: 'b' }, annotations: expect.objectContaining({ destructiveHint: true }), message: expect.stringMatching(/echo.*wipe/) }),
    ]);
    expect(r2.projectedMessages.find((m) => m.role === 'tool')?.content).toBe('wiped b');
  });

  it('remembers a session approval: the second destructive call in the session is not asked again', async () => {
    const s = await setup([wipe('1'), { message: 'one' }, wipe('2'), { message: 'two' }]);
    const c = await client(s);
    let asked = 0;
    const session = new CodexSession(c, () => {
      asked++;
      return 'acceptForSession';
    });
    await session.startThread({ cwd: s.cwd });
    await session.waitForMcpServers();
    await session.runTurn('first');
    await session.runTurn('second');
    expect(s.calls()).toEqual(['wipe 1', 'wipe 2']);
    expect(asked).toBe(1);
  });

  it('keeps approval policies per session on one client, and refuses a second concurrent turn on one thread', async () => {
    const s = await setup((_b, i) => (i % 2 === 0 ? wipe(`x${i}`) : { message: 'ok' }));
    const c = await client(s);
    let aAsked = 0;
    const a = new CodexSession(c, () => {
      aAsked++;
      return 'accept';
    });
    const b = new CodexSession(c, 'never');
    await a.startThread({ cwd: s.cwd });
    await b.startThread({ cwd: s.cwd });
    await a.waitForMcpServers();
    await a.runTurn('a wipes');
    await b.runTurn('b wipes');
    expect(aAsked).toBe(1);
    expect(s.calls()).toEqual(['wipe x0']);

    const first = a.runTurn('one');
    await expect(a.runTurn('two')).rejects.toBeInstanceOf(TurnInProgressError);
    await first;
  });

  it("waits for a slow server, so its tools are in the model's first request", async () => {
    const s = await setup([{ message: 'hi' }], { ECHO_START_DELAY_MS: '2500' });
    const c = await client(s);
    const session = new CodexSession(c, 'never');
    await session.startThread({ cwd: s.cwd });
    const w = await session.waitForMcpServers(20_000);
    expect(w).toMatchObject({ ready: ['echo'], failed: [], timedOut: false });
    await session.runTurn('hello');
    const tools = (s.mock.requests[0] as { tools: { type: string; name: string }[] }).tools;
    expect(tools.some((t) => t.type === 'namespace' && t.name === 'mcp__echo')).toBe(true);
  });

  it('reports a server that fails to start, and still runs the turn', async () => {
    const s = await setup([{ message: 'hi' }]);
    writeFileSync(path.join(s.codexHome, 'config.toml'), readFileSync(path.join(s.codexHome, 'config.toml'), 'utf8') + '\n[mcp_servers.broken]\ncommand = "/nonexistent/mcp-server"\n');
    const c = await client(s);
    const session = new CodexSession(c, 'never');
    await session.startThread({ cwd: s.cwd });
    const w = await session.waitForMcpServers(20_000);
    expect(w.failed.map((f) => f.name)).toEqual(['broken']);
    expect(w.ready).toEqual(['echo']);
    expect((await session.runTurn('hello')).status).toBe('completed');
  });

  it('calls @modelcontextprotocol/server-memory from npm, approving its destructive tool with --approve once (CLI)', async () => {
    const memoryFile = (root: string) => path.join(root, 'memory.jsonl');
    const script: MockReply[] = [
      { toolCall: { namespace: 'mcp__memory', name: 'create_entities', arguments: { entities: [{ name: 'hermes', entityType: 'agent', observations: ['runs codex'] }] } } },
      { toolCall: { namespace: 'mcp__memory', name: 'delete_entities', arguments: { entityNames: ['hermes'] } } },
      { message: 'created and deleted' },
    ];
    const base = await codexHomeWithMock(script, '');
    cleanups.push(() => base.mock.close(), () => rmSync(base.root, { recursive: true, force: true }));
    const server = path.join(repoRoot, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
    writeFileSync(
      path.join(base.codexHome, 'config.toml'),
      readFileSync(path.join(base.codexHome, 'config.toml'), 'utf8') + `\n[mcp_servers.memory]\ncommand = "node"\nargs = ["${server}"]\nenv = { MEMORY_FILE_PATH = "${memoryFile(base.root)}" }\n`,
    );
    const env = { ...base.env, PATH: `${path.join(repoRoot, 'node_modules/.bin')}:${base.env['PATH']}`, NO_COLOR: '1', GATEWAY_SECRET_TOKEN: 'do-not-leak-this-value' };
    const r = await execa('node', [cliBin, 'turn', 'remember and forget', '--codex-home', base.codexHome, '--cwd', base.cwd, '--approve', 'once', '--json'], { env, extendEnv: false, reject: false });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.mcpServers).toMatchObject({ ready: ['memory'], failed: [] });
    expect(out.toolIterations).toBe(2);
    expect(out.finalText).toBe('created and deleted');
    // The delete ran: the memory file no longer holds the entity.
    expect(readFileSync(memoryFile(base.root), 'utf8')).not.toContain('"hermes"');
  });
});

describe("Hermes' ~ in a server's command (real codex)", () => {
  it('migrate writes the expanded path, so codex starts the server and the model reaches its tool', async () => {
    const base = await codexHomeWithMock([{ toolCall: { namespace: 'mcp__home_bin', name: 'echo', arguments: { text: 'from ~' } } }, { message: 'done' }], '');
    cleanups.push(() => base.mock.close(), () => rmSync(base.root, { recursive: true, force: true }));
    const bin = path.join(base.env['HOME']!, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'echo-mcp'), `#!/bin/sh\nexec node ${JSON.stringify(echoServer)}\n`, { mode: 0o755 });
    const hermesConfig = path.join(base.root, 'config.yaml');
    writeFileSync(hermesConfig, 'mcp_servers:\n  home_bin:\n    command: ~/bin/echo-mcp\n');
    const env = { ...base.env, PATH: `${path.join(repoRoot, 'node_modules/.bin')}:${base.env['PATH']}`, NO_COLOR: '1' };
    const migrated = await execa('node', [cliBin, 'migrate', '--hermes-config', hermesConfig, '--codex-home', base.codexHome, '--no-plugins', '--no-hermes-tools', '--json'], { env, extendEnv: false, reject: false });
    expect(migrated.exitCode, migrated.stderr).toBe(0);
    expect(readFileSync(path.join(base.codexHome, 'config.toml'), 'utf8')).toContain(`command = ${JSON.stringify(path.join(bin, 'echo-mcp'))}`);
    const r = await execa('node', [cliBin, 'turn', 'call it', '--codex-home', base.codexHome, '--cwd', base.cwd, '--json'], { env, extendEnv: false, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.mcpServers.ready).toEqual(['home_bin']);
    expect(out.projectedMessages.find((m: { role: string }) => m.role === 'tool')?.content).toBe('from ~');
  });
});

describe('a migrated streamable HTTP server (real codex, an SDK server over HTTP)', () => {
  it("migrate turns Hermes' headers into a bearer token variable, a forwarded header and a literal one, and codex sends all three on the model's tool call", async () => {
    const base = await codexHomeWithMock([{ toolCall: { namespace: 'mcp__docs', name: 'echo', arguments: { text: 'over http' } } }, { message: 'done' }], '');
    cleanups.push(() => base.mock.close(), () => rmSync(base.root, { recursive: true, force: true }));
    const log = path.join(base.root, 'http.log');
    const server = execa('node', [fixture('mcp/echo-http-server.mjs')], { env: { ...base.env, ECHO_LOG: log }, extendEnv: false, reject: false });
    cleanups.push(() => void server.kill());
    const port = await new Promise<string>((resolve) => server.stdout!.on('data', (d: Buffer) => /listening (\d+)/.test(String(d)) && resolve(/listening (\d+)/.exec(String(d))![1]!)));
    const hermesConfig = path.join(base.root, 'config.yaml');
    writeFileSync(hermesConfig, `mcp_servers:\n  docs:\n    url: http://127.0.0.1:${port}/mcp\n    headers:\n      Authorization: "Bearer \${DOCS_TOKEN}"\n      X-Api-Key: "\${DOCS_KEY}"\n      X-Client: hermes\n`);
    const env = { ...base.env, PATH: `${path.join(repoRoot, 'node_modules/.bin')}:${base.env['PATH']}`, NO_COLOR: '1' };
    const migrated = await execa('node', [cliBin, 'migrate', '--hermes-config', hermesConfig, '--codex-home', base.codexHome, '--no-plugins', '--no-hermes-tools', '--json'], { env, extendEnv: false, reject: false });
    expect(migrated.exitCode, migrated.stderr).toBe(0);
    const toml = readFileSync(path.join(base.codexHome, 'config.toml'), 'utf8');
    expect(toml).toContain('bearer_token_env_var = "DOCS_TOKEN"');
    expect(toml).toContain('env_http_headers = { X-Api-Key = "DOCS_KEY" }');
    const secrets = { DOCS_TOKEN: 'tok-from-the-environment', DOCS_KEY: 'key-from-the-environment' };
    const r = await execa('node', [cliBin, 'turn', 'call docs', '--codex-home', base.codexHome, '--cwd', base.cwd, '--json'], { env: { ...env, ...secrets }, extendEnv: false, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.mcpServers.ready).toEqual(['docs']);
    expect(out.projectedMessages.find((m: { role: string }) => m.role === 'tool')?.content).toBe('over http');
    const requests = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { method: string | null; authorization: string | null; apiKey: string | null; client: string | null });
    expect(requests.map((q) => q.method)).toContain('tools/call');
    for (const q of requests) expect(q).toMatchObject({ authorization: `Bearer ${secrets.DOCS_TOKEN}`, apiKey: secrets.DOCS_KEY, client: 'hermes' });
  });
});

describe('Ctrl+C in a terminal and the environment codex gets (built CLI, real codex)', () => {
  it('a SIGINT to the whole process group interrupts the turn (exit 130) and leaves no codex behind', async () => {
    const s = await setup([{ stall: true }]);
    const env = { ...s.env, PATH: `${path.join(repoRoot, 'node_modules/.bin')}:${s.env['PATH']}`, NO_COLOR: '1' };
    // detached: the CLI leads its own process group, as a shell's foreground job does.
    const cli = execa('node', [cliBin, 'turn', 'stall', '--codex-home', s.codexHome, '--cwd', s.cwd, '--mcp-wait', '0'], { env, extendEnv: false, reject: false, detached: true });
    let stderr = '';
    cli.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 20_000;
    while (s.mock.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(s.mock.requests.length).toBe(1);
    const children = (await execa('ps', ['-o', 'pid=', '--ppid', String(cli.pid)], { reject: false })).stdout.trim().split(/\s+/).filter(Boolean).map(Number);
    expect(children.length).toBeGreaterThan(0);
    process.kill(-cli.pid!, 'SIGINT');
    const r = await cli;
    expect(r.exitCode).toBe(130);
    expect(stderr).toMatch(/interrupt/i);
    expect(stderr).not.toMatch(/killed by SIGINT/);
    await new Promise((res) => setTimeout(res, 500));
    for (const pid of children) expect(existsSync(`/proc/${pid}`)).toBe(false);
  });

  it("gives codex a clean environment: the model's shell cannot read an unrelated secret", async () => {
    const probe = { toolCall: { arguments: { cmd: 'echo "secret=[$GATEWAY_SECRET_TOKEN] key=[$MOCK_API_KEY] passed=[$HERMES_EXTRA]" > env.txt', sandbox_permissions: 'require_escalated', justification: 'probe' } } };
    const s = await setup([probe, { message: 'done' }]);
    const env = { ...s.env, PATH: `${path.join(repoRoot, 'node_modules/.bin')}:${s.env['PATH']}`, NO_COLOR: '1', GATEWAY_SECRET_TOKEN: 'gw-secret-123456', HERMES_EXTRA: 'named' };
    const r = await execa('node', [cliBin, 'turn', 'probe', '--codex-home', s.codexHome, '--cwd', s.cwd, '--approve', 'once', '--pass-env', 'HERMES_EXTRA'], { env, extendEnv: false, reject: false });
    expect(r.exitCode).toBe(0);
    // MOCK_API_KEY is the provider's env_key in config.toml, so codex gets it; the gateway secret it never sees.
    expect(readFileSync(path.join(s.cwd, 'env.txt'), 'utf8')).toBe('secret=[] key=[test] passed=[named]\n');
  });
});

describe('turn --resume (built CLI, real codex)', () => {
  it('continues a thread: the next model request carries the earlier turn', async () => {
    const s = await setup([{ message: 'first answer' }, { message: 'second answer' }]);
    const env = { ...s.env, PATH: `${path.join(repoRoot, 'node_modules/.bin')}:${s.env['PATH']}`, NO_COLOR: '1' };
    const base = ['--codex-home', s.codexHome, '--cwd', s.cwd, '--json', '--mcp-wait', '0'];
    const first = JSON.parse((await execa('node', [cliBin, 'turn', 'remember the word heron', ...base], { env, extendEnv: false })).stdout);
    const second = await execa('node', [cliBin, 'turn', 'which word?', '--resume', first.threadId, ...base], { env, extendEnv: false, reject: false });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ threadId: first.threadId, finalText: 'second answer' });
    expect(JSON.stringify(s.mock.requests[1])).toContain('remember the word heron');
  });

  it('an id codex has no thread for is exit 2 with what to pass instead, and no model request', async () => {
    const s = await setup([{ message: 'never' }]);
    const env = { ...s.env, PATH: `${path.join(repoRoot, 'node_modules/.bin')}:${s.env['PATH']}`, NO_COLOR: '1' };
    for (const id of ['01a229af-d293-78f0-9037-000000000000', 'not-a-thread']) {
      const r = await execa('node', [cliBin, 'turn', 'again?', '--resume', id, '--codex-home', s.codexHome, '--cwd', s.cwd, '--mcp-wait', '0'], { env, extendEnv: false, reject: false });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^error: codex cannot resume thread ${id} in CODEX_HOME ${s.codexHome.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
      expect(r.stderr).toMatch(/fix: Pass the thread id an earlier turn printed/);
    }
    expect(s.mock.requests).toHaveLength(0);
  });
});

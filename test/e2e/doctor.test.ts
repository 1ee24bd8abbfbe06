/**
 * `hermes-codex doctor` end to end: the built CLI and the real pinned codex
 * in temporary homes, with real MCP servers (fixtures/mcp/echo-server.mjs on
 * the MCP SDK, and a stand-in Hermes install whose hermes-tools callback is
 * a real Python MCP server) and the mock model for the smoke turn.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TESTED_CODEX_VERSION } from '../../src/codex/capabilities.js';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startMockResponses, type MockResponses } from '../../fixtures/mock-responses/server.mjs';
import { END_MARKER, START_MARKER } from '../../src/migrate/block-render.js';
import { fixture, repoRoot, runCli, sandbox, type Sandbox } from '../helpers/codex.js';

let sb: Sandbox;
let mock: MockResponses;
beforeEach(async () => {
  sb = sandbox();
  mock = await startMockResponses({ script: () => ({ message: 'PONG' }) });
});
afterEach(async () => {
  await mock.close();
  sb.cleanup();
});

const configToml = () => path.join(sb.codexHome, 'config.toml');

/** A healthy Hermes + Codex setup: mock model provider, a real MCP server, a working hermes-tools callback. */
async function healthySetup(servers = `  echo:\n    command: node\n    args: ["${fixture('mcp/echo-server.mjs')}"]\n    cwd: ${repoRoot}\n`) {
  // Hermes' install: a venv python that can import agent.transports.hermes_tools_mcp_server.
  const venvBin = path.join(sb.hermesHome, 'hermes-agent', 'venv', 'bin');
  mkdirSync(venvBin, { recursive: true });
  const python = path.join(venvBin, 'python');
  // No bytecode: the fixture is part of the repository, and a test run must leave the clone clean.
  writeFileSync(python, `#!/bin/sh\nPYTHONDONTWRITEBYTECODE=1 PYTHONPATH="${fixture('hermes-install')}" exec python3 "$@"\n`);
  chmodSync(python, 0o755);
  writeFileSync(
    path.join(sb.hermesHome, 'config.yaml'),
    `model:\n  provider: openai-codex\n  openai_runtime: codex_app_server\nauxiliary:\n  compression:\n    provider: openrouter\nmcp_servers:\n${servers}`,
  );
  // Codex: the mock model provider (no OpenAI login needed); plugins off (nothing to sync).
  writeFileSync(
    configToml(),
    [
      'model = "mock-model"',
      'model_provider = "mock"',
      '',
      '[model_providers.mock]',
      'name = "Mock"',
      `base_url = "${mock.baseUrl}"`,
      'wire_api = "responses"',
      'env_key = "MOCK_API_KEY"',
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
      '[features]',
      'plugins = false',
      '',
    ].join('\n'),
  );
  sb.env['MOCK_API_KEY'] = 'test';
  const m = await runCli(['migrate', '--json'], sb.env);
  expect(m.exitCode, String(m.stderr)).toBe(0);
  return JSON.parse(String(m.stdout));
}

async function doctor(args: string[] = []) {
  const r = await runCli(['doctor', '--json', ...args], sb.env);
  return { exitCode: r.exitCode, stderr: String(r.stderr), report: JSON.parse(String(r.stdout)) };
}
const byId = (report: { checks: { id: string }[] }, id: string) => report.checks.find((c) => c.id === id) as Record<string, unknown>;

describe('hermes-codex doctor (real codex)', () => {
  it('finds a healthy setup all ok, live checks and a smoke turn included', async () => {
    const migrated = await healthySetup();
    expect(migrated.hermesTools.pythonSource).toBe('venv');
    const { exitCode, report } = await doctor(['--live', '--turn']);
    const bad = report.checks.filter((c: { status: string }) => c.status === 'warn' || c.status === 'fail');
    expect(bad, JSON.stringify(bad, null, 2)).toEqual([]);
    // The only check that does not apply here: there are no Hermes profiles.
    expect(report.checks.filter((c: { status: string }) => c.status === 'skip').map((c: { id: string }) => c.id)).toEqual(['hermes.profiles']);
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ schemaVersion: 1, overallStatus: 'ok', codexVersion: TESTED_CODEX_VERSION });
    expect(byId(report, 'mcp.live')['summary']).toBe('2 server(s) started, 3 tool(s)');
    expect(byId(report, 'hermes.auxiliary')['summary']).toMatch(/8 auxiliary task\(s\) run on your ChatGPT subscription/);
    expect(byId(report, 'turn.smoke')['summary']).toMatch(/PONG/);
  });

  it("the migrated hermes-tools callback answers the model's tool call in a real turn, with HERMES_HOME forwarded and secret redaction pinned on", async () => {
    await mock.close();
    // codex offers a server's tools as the namespace mcp__<name>, a `-` in the name read as `_` (measured, 0.169).
    mock = await startMockResponses({ script: [{ toolCall: { namespace: 'mcp__hermes_tools', name: 'hermes_ping', arguments: {} } }, { message: 'called back' }] });
    await healthySetup();
    const r = await runCli(['turn', 'call Hermes back', '--json', '--approve', 'once', '--cwd', sb.root], sb.env);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const out = JSON.parse(String(r.stdout));
    expect(out.mcpServers.ready).toContain('hermes-tools');
    expect(out.finalText).toBe('called back');
    const tool = out.projectedMessages.find((m: { role: string }) => m.role === 'tool');
    expect(tool?.content).toBe(`pong (HERMES_HOME=${sb.hermesHome}, HERMES_REDACT_SECRETS=true)`);
  });

  it('fails mcp.live with codex\'s startup error for a server whose command does not exist', async () => {
    await healthySetup('  broken:\n    command: /nonexistent/mcp-server\n');
    const { exitCode, report } = await doctor(['--live']);
    expect(exitCode).toBe(1);
    expect(byId(report, 'mcp.live')).toMatchObject({ status: 'fail', summary: expect.stringMatching(/broken: No such file or directory/) });
    expect(byId(report, 'mcp.servers')).toMatchObject({ status: 'fail', summary: 'broken: command /nonexistent/mcp-server not found' });
  });

  it('summarises servers that fail to start: an HTTP server down or answering 502 in one line each, and why a stdio server died', async () => {
    const { createServer } = await import('node:http');
    const srv = createServer((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>'));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (srv.address() as { port: number }).port;
      await healthySetup(
        `  down:\n    url: http://127.0.0.1:1/mcp\n  bad:\n    url: http://127.0.0.1:${port}/mcp\n  dies:\n    command: node\n    args: ["-e", "console.error('npm ERR! code ENOTCACHED'); console.error('token sk-abcdefghijklmnopqrst'); process.exit(1)"]\n`,
      );
      const { report } = await doctor(['--live', '--only', 'mcp.live']);
      const live = byId(report, 'mcp.live') as { status: string; summary: string; details: string[] };
      expect(live.status).toBe('fail');
      expect(live.summary).toMatch(/down: cannot connect to http:\/\/127\.0\.0\.1:1\/mcp/);
      expect(live.summary).toMatch(new RegExp(`bad: http://127\\.0\\.0\\.1:${port}/mcp answered HTTP 502`));
      expect(live.summary).toMatch(/dies: the server exited .* — it printed: npm ERR! code ENOTCACHED \| token \*\*\*/);
      expect(live.summary).not.toMatch(/codex_rmcp_client|<html>|sk-abcdef/);
      // codex's own words stay available, redacted, in the details (--verbose).
      expect(live.details.join('\n')).toMatch(/codex_rmcp_client/);
      const human = await runCli(['doctor', '--live', '--only', 'mcp.live'], sb.env);
      expect(String(human.stdout).split('\n').length).toBeLessThan(12);
    } finally {
      srv.close();
    }
  });

  it('fails codex.config with codex\'s line number for a server with both command and url', async () => {
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers: {}\n');
    writeFileSync(configToml(), 'model = "x"\n\n[mcp_servers.both]\ncommand = "npx"\nurl = "https://x.example/mcp"\n');
    const { report } = await doctor(['--only', 'codex.config']);
    expect(byId(report, 'codex.config')).toMatchObject({ status: 'fail', summary: `codex rejects ${configToml()}:3:1: url is not supported for stdio` });
  });

  it('live checks on a config.toml codex cannot load name the file and place, not a JSON-RPC error or a missing login', async () => {
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers: {}\n');
    writeFileSync(configToml(), '[features]\nplugins = false\n\n[mcp_servers.x]\ncommand = 5\n\n[plugins."a@b"]\nenabled = true\n');
    const { report } = await doctor(['--only', 'live']);
    const where = `${configToml()}:5:11`;
    for (const id of ['mcp.live', 'plugins.live']) {
      expect(byId(report, id), id).toMatchObject({ status: 'fail', summary: `codex cannot load ${where}: invalid type: integer \`5\`, expected a string`, remediation: expect.stringContaining('--restore') });
    }
    expect(byId(report, 'auth.live')).toMatchObject({ status: 'fail', summary: expect.stringMatching(new RegExp(`^codex cannot load ${where.replace(/[.]/g, '\\.')}: invalid type`)) });
    expect(JSON.stringify(report)).not.toMatch(/JSON-RPC|no account/);
  });

  it('fails codex.auth for an expired ChatGPT token without printing it', async () => {
    const exp = Math.floor(Date.now() / 1000) - 3600;
    const token = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`;
    writeFileSync(path.join(sb.codexHome, 'auth.json'), JSON.stringify({ OPENAI_API_KEY: null, tokens: { id_token: token, access_token: token, refresh_token: 'rt-secret', account_id: 'a' }, last_refresh: new Date().toISOString() }), { mode: 0o600 });
    const r = await runCli(['doctor', '--only', 'codex.auth', '--verbose', '--ascii'], sb.env);
    expect(r.exitCode).toBe(1);
    expect(String(r.stdout)).toMatch(/\[FAIL\] codex\.auth: ChatGPT login: the access token has expired/);
    expect(String(r.stdout)).toMatch(/access token expired 60 min ago/);
    expect(String(r.stdout)).not.toMatch(/rt-secret|eyJhbGci/);
  });

  it('fails codex.home with its remediation when CODEX_HOME points nowhere', async () => {
    const nowhere = path.join(sb.root, 'nowhere');
    const r = await runCli(['doctor', '--format', 'github'], { ...sb.env, CODEX_HOME: nowhere });
    expect(r.exitCode).toBe(1);
    expect(String(r.stdout)).toMatch(new RegExp(`^::error title=hermes-codex doctor%3A codex\\.home::CODEX_HOME points to ${nowhere}, which does not exist%0Afix: Create it first \\(mkdir -m 700`, 'm'));
  });

  it('reports markers removed by hand, and --fix --yes heals them', async () => {
    await healthySetup();
    const text = readFileSync(configToml(), 'utf8');
    writeFileSync(configToml(), text.replace(START_MARKER + '\n', '').replace(END_MARKER + '\n', ''));
    const before = await doctor(['--only', 'migration.block']);
    expect(byId(before.report, 'migration.block')).toMatchObject({ status: 'warn', fixable: true });
    const fixed = await runCli(['doctor', '--only', 'migration.block', '--fix', '--yes', '--json'], sb.env);
    expect(String(fixed.stderr)).toMatch(/fixed: migrate: updated/);
    const after = JSON.parse(String(fixed.stdout));
    expect(byId(after, 'migration.block')).toMatchObject({ status: 'ok' });
    const healed = readFileSync(configToml(), 'utf8');
    expect(healed.split(START_MARKER).length - 1).toBe(1);
    expect(healed.split('[mcp_servers.echo]').length - 1).toBe(1);
  });

  it('emits JUnit XML for CI and lists its checks', async () => {
    const junit = await runCli(['doctor', '--format', 'junit', '--skip', 'codex.auth'], sb.env);
    expect(String(junit.stdout)).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="hermes-codex doctor"/);
    const list = await runCli(['doctor', '--list-checks'], sb.env);
    expect(String(list.stdout)).toMatch(/^mcp\.live\s+live\s+MCP servers start \(--live\)$/m);
    const bad = await runCli(['doctor', '--only', 'nope'], sb.env);
    expect(bad.exitCode).toBe(2);
    expect(String(bad.stderr)).toMatch(/unknown check nope/);
  });
});

/**
 * Codex edits config.toml itself: its config writer (`config/value/write`
 * over the app-server, what Codex's UIs use) and `codex mcp add` write into
 * tables the managed block owns. Those edits are the user's choices: every
 * re-run keeps them. Real pinned codex, built CLI.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HERMES_FORWARDED_ENV } from '../../src/config/hermes-behaviour.js';
import { appendFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { parse } from 'smol-toml';
import { CodexAppServerClient } from '../../src/runtime/client.js';
import { codexAccepts, codexBin, runCli, runCodex, sandbox, type Sandbox } from '../helpers/codex.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
  writeFileSync(
    path.join(sb.hermesHome, 'config.yaml'),
    'mcp_servers:\n  memory:\n    command: npx\n    args: ["-y", "@modelcontextprotocol/server-memory"]\n  other:\n    command: other-mcp\n',
  );
});
afterEach(() => sb.cleanup());

const configToml = () => path.join(sb.codexHome, 'config.toml');
const read = (p: string) => readFileSync(p, 'utf8');
type Doc = { default_permissions?: string; sandbox_mode?: string; mcp_servers: Record<string, Record<string, unknown>> };
const doc = () => parse(read(configToml())) as unknown as Doc;

async function migrate(extra: string[] = []) {
  const r = await runCli(['migrate', '--json', '--hermes-python', '/usr/bin/python3', '--no-plugins', ...extra], sb.env);
  return { exitCode: r.exitCode, stderr: String(r.stderr), report: r.stdout ? JSON.parse(String(r.stdout)) : null };
}

/** Edit config.toml the way Codex's UIs do: `config/value/write` over a real app-server. */
async function codexWrites(edits: [keyPath: string, value: unknown][]): Promise<void> {
  const client = await CodexAppServerClient.start({ codexBin, codexHome: sb.codexHome, env: sb.env });
  try {
    for (const [keyPath, value] of edits) {
      const r = await client.request<{ status: string }>('config/value/write', { keyPath, value, mergeStrategy: 'upsert' });
      expect(r.status).toBe('ok');
    }
  } finally {
    await client.close();
  }
}

describe("Codex's own edits to managed tables survive migrate (real codex)", () => {
  it('keeps a stricter default_permissions, sandbox_mode, per-tool approvals and enabled = false set through Codex', async () => {
    expect((await migrate()).exitCode).toBe(0);
    await codexWrites([
      ['default_permissions', ':read-only'],
      ['sandbox_mode', 'read-only'],
      ['mcp_servers.memory.enabled', false],
      ['mcp_servers.memory.tools.delete_entities.approval_mode', 'approve'],
    ]);
    const edited = read(configToml());
    // Codex wrote them inside the block, on tables the block owns.
    expect(edited.indexOf('[mcp_servers.memory.tools.delete_entities]')).toBeLessThan(edited.indexOf('# end hermes-agent managed section'));

    const first = await migrate();
    expect(first.exitCode).toBe(0);
    expect(first.report.permissions).toMatchObject({ written: false, reason: expect.stringMatching(/kept/) });
    expect(first.report.keptCodexEdits).toEqual([{ entry: 'mcp_servers.memory', keys: ['enabled', 'tools'] }]);
    const d = doc();
    expect(d.default_permissions).toBe(':read-only');
    expect(d.sandbox_mode).toBe('read-only');
    expect(d.mcp_servers['memory']).toEqual({
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-memory'],
      env_vars: [...HERMES_FORWARDED_ENV],
      startup_timeout_sec: 60,
      tool_timeout_sec: 300,
      enabled: false,
      tools: { delete_entities: { approval_mode: 'approve' } },
    });
    expect((await codexAccepts(sb.codexHome, sb.env)).ok).toBe(true);
    // Every later run is a no-op.
    const second = await migrate();
    expect(second.report.changed).toBe(false);

    // A change in Hermes still reaches the server, and the user's choices stay.
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), read(path.join(sb.hermesHome, 'config.yaml')).replace('server-memory"]', 'server-memory", "--verbose"]'));
    expect((await migrate()).exitCode).toBe(0);
    expect(doc().mcp_servers['memory']).toMatchObject({ args: ['-y', '@modelcontextprotocol/server-memory', '--verbose'], enabled: false, tools: { delete_entities: { approval_mode: 'approve' } } });
    // codex itself sees the server as turned off.
    const list = JSON.parse(String((await runCodex(['mcp', 'list', '--json'], sb.env)).stdout)) as { name: string; enabled: boolean }[];
    expect(list.find((s) => s.name === 'memory')?.enabled).toBe(false);
  });

  it('treats a managed server replaced with `codex mcp add NAME` as the user\'s', async () => {
    expect((await migrate()).exitCode).toBe(0);
    expect((await runCodex(['mcp', 'remove', 'other'], sb.env)).exitCode).toBe(0);
    expect((await runCodex(['mcp', 'add', 'other', '--', 'my-own-other', '--flag'], sb.env)).exitCode).toBe(0);
    const r = await migrate();
    expect(r.exitCode).toBe(0);
    expect(doc().mcp_servers['other']).toMatchObject({ command: 'my-own-other', args: ['--flag'] });
    expect(r.report.warnings.map((w: { message: string }) => w.message)).toContainEqual(expect.stringMatching(/\[mcp_servers\.other\] outside the managed block; your table wins/));
    expect((await migrate()).report.changed).toBe(false);
    expect((await codexAccepts(sb.codexHome, sb.env)).ok).toBe(true);
  });

  it('handles a per-tool approval table placed after the block like any user table; --remove leaves a file codex loads', async () => {
    expect((await migrate()).exitCode).toBe(0);
    appendFileSync(configToml(), '\n[mcp_servers.memory.tools.read_graph]\napproval_mode = "approve"\n');
    const r = await migrate();
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(doc().mcp_servers['memory']).toMatchObject({ command: 'npx', tools: { read_graph: { approval_mode: 'approve' } } });
    expect((await codexAccepts(sb.codexHome, sb.env)).ok).toBe(true);
    const removed = await runCli(['migrate', '--remove', '--json'], sb.env);
    expect(removed.exitCode).toBe(0);
    expect(JSON.parse(String(removed.stdout)).removed).toContain('mcp_servers.memory.tools.read_graph');
    expect((await codexAccepts(sb.codexHome, sb.env)).ok).toBe(true);
  });
});

describe('special files and sizes (real files)', () => {
  it('never writes through a symlinked backup or ownership record: the link itself is replaced', async () => {
    expect((await migrate()).exitCode).toBe(0);
    const outside = path.join(sb.root, 'precious.txt');
    writeFileSync(outside, 'do not touch\n');
    for (const name of ['config.toml.hermes-codex.bak', '.hermes-codex-state.json', '.hermes-codex-state.json.bak']) {
      execFileSync('rm', ['-f', path.join(sb.codexHome, name)]);
      symlinkSync(outside, path.join(sb.codexHome, name));
    }
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  memory:\n    command: changed\n');
    expect((await migrate()).exitCode).toBe(0);
    expect(read(outside)).toBe('do not touch\n');
    expect(read(configToml() + '.hermes-codex.bak')).toContain('server-memory');
  });

  it('refuses a FIFO or a device as the Hermes config or config.toml at once, with exit 2', async () => {
    const fifo = path.join(sb.root, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    const a = await runCli(['migrate', '--hermes-config', fifo, '--no-plugins'], sb.env);
    expect(a.exitCode).toBe(2);
    expect(String(a.stderr)).toMatch(/not a regular file/);
    const dev = path.join(sb.root, 'zero.yaml');
    symlinkSync('/dev/zero', dev);
    const b = await runCli(['migrate', '--hermes-config', dev, '--no-plugins'], sb.env);
    expect(b.exitCode).toBe(2);
    expect(String(b.stderr)).toMatch(/not a regular file/);
    execFileSync('mkfifo', [configToml()]);
    const c = await migrate();
    expect(c.exitCode).toBe(2);
    expect(existsSync(configToml() + '.hermes-codex.bak')).toBe(false);
  });

  it('refuses, before writing, a result larger than it would read back', async () => {
    // A 1 MiB value used five times through a YAML alias: a small config.yaml, a 5 MiB result.
    const servers = [0, 1, 2, 3, 4].map((i) => `  s${i}:\n    command: run\n    env:\n      BIG: *big\n`).join('');
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), `big: &big "${'x'.repeat(1024 * 1024)}"\nmcp_servers:\n${servers}`);
    const r = await migrate();
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/would be \d+ bytes, over the 4194304-byte limit/);
    expect(existsSync(configToml())).toBe(false);
  });

  it('--remove gives back a file with no tables and no final newline byte for byte', async () => {
    mkdirSync(sb.codexHome, { recursive: true });
    writeFileSync(configToml(), 'model = "gpt-5"');
    expect((await migrate()).exitCode).toBe(0);
    expect((await runCli(['migrate', '--remove'], sb.env)).exitCode).toBe(0);
    expect(read(configToml())).toBe('model = "gpt-5"');
  });
});

describe('messages that point where the user can act (real codex)', () => {
  it("names the line on disk when codex rejects one of the user's own settings", async () => {
    const own = '# my settings\nmodel = "gpt-5"\n\n[mcp_servers.mine]\ncommand = "mine"\nurl = "http://127.0.0.1:1/mcp"\n';
    writeFileSync(configToml(), own);
    const r = await migrate();
    expect(r.exitCode).toBe(2);
    // codex reports the table's line in the new file (the block now stands above it); the message names line 4 on disk.
    expect(r.stderr).toMatch(/config\.toml:4, your own setting/);
    expect(read(configToml())).toBe(own);
  });

  it('fails only the server whose timeout codex would refuse, naming the YAML line', async () => {
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  ok:\n    command: fine\n  huge:\n    command: x\n    timeout: 1e20\n');
    const r = await migrate();
    expect(r.exitCode).toBe(1);
    expect(r.report.servers).toEqual({ migrated: ['ok'], failed: [{ name: 'huge', reason: expect.stringMatching(/timeout .*too large.*config\.yaml:6\)/) }], userDeclared: [] });
    expect((await codexAccepts(sb.codexHome, sb.env)).ok).toBe(true);
  });
});

describe('verifying a setup does not make it look broken (real codex)', () => {
  it('codex recording trust for a git repository inside the block is not damage: doctor and runtime status stay current', async () => {
    const { startMockResponses, mockProviderConfig } = await import('../../fixtures/mock-responses/server.mjs');
    const mock = await startMockResponses({ script: [{ message: 'PONG' }] });
    try {
      writeFileSync(configToml(), mockProviderConfig(mock.baseUrl));
      writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'model:\n  openai_runtime: codex_app_server\nmcp_servers:\n  other:\n    command: other-mcp\n');
      expect((await migrate()).exitCode).toBe(0);
      const repo = path.join(sb.root, 'repo');
      mkdirSync(repo);
      execFileSync('git', ['init', '-q', repo]);
      const env = { ...sb.env, MOCK_API_KEY: 'x' };
      const turn = await runCli(['turn', '--smoke', '--cwd', repo, '--mcp-wait', '0'], env);
      expect(turn.exitCode).toBe(0);
      expect(String(turn.stderr)).toMatch(/note: codex may record trust for .*repo/);
      // codex recorded trust for the repository in config.toml.
      const text = read(configToml());
      expect(text).toContain(`[projects."${repo}"]`);
      // Where codex's writer puts it depends on the tables around; inside the markers is the case users hit.
      const inside = text.replace(`[projects."${repo}"]\ntrust_level = "trusted"\n`, '').replace('# end hermes-agent managed section', `[projects."${repo}"]\ntrust_level = "trusted"\n# end hermes-agent managed section`);
      writeFileSync(configToml(), inside);
      expect(inside.split(`[projects."${repo}"]`).length).toBe(2);
      expect(inside.indexOf(`[projects."${repo}"]`)).toBeLessThan(inside.indexOf('# end hermes-agent managed section'));
      const doctor = JSON.parse(String((await runCli(['doctor', '--json', '--only', 'migration.block'], env)).stdout));
      expect(doctor.checks[0]).toMatchObject({ id: 'migration.block', status: 'ok' });
      const status = JSON.parse(String((await runCli(['runtime', 'status', '--json'], env)).stdout));
      expect(status.block).toBe('current');
    } finally {
      await mock.close();
    }
  });
});

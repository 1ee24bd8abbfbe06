/**
 * What Hermes users really have, through the built CLI and the real pinned
 * codex: a YAML 1.1 config.yaml, blocks written by Hermes' own migration,
 * files older Hermes versions damaged; and read-only commands that leave
 * CODEX_HOME exactly as it was.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { parse } from 'smol-toml';
import { codexAccepts, fixture, runCli, runCodex, sandbox, type Sandbox } from '../helpers/codex.js';

let sb: Sandbox;
let env: Record<string, string>;
beforeEach(() => {
  sb = sandbox();
  // A TMPDIR of its own: codex writes helper files into any CODEX_HOME outside the temporary
  // directory, so with this the sandbox's CODEX_HOME is treated like a real one.
  const tmp = path.join(sb.root, 'tmpdir');
  mkdirSync(tmp);
  env = { ...sb.env, TMPDIR: tmp };
  copyFileSync(fixture('hermes-migration/config.yaml'), path.join(sb.hermesHome, 'config.yaml'));
});
afterEach(() => sb.cleanup());

const configToml = () => path.join(sb.codexHome, 'config.toml');
const read = (p: string) => readFileSync(p, 'utf8');

async function cli(args: string[]) {
  const r = await runCli([...args], env);
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr), json: () => JSON.parse(String(r.stdout)) };
}
const migrate = (extra: string[] = []) => cli(['migrate', '--json', '--hermes-python', '/usr/bin/python3', '--no-plugins', ...extra]);

describe("migrate on Hermes users' files (real codex)", () => {
  it('reads config.yaml as YAML 1.1: yes/off booleans and 1_000 migrate, and codex loads the result', async () => {
    const r = await migrate();
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.json().servers).toEqual({ migrated: ['github', 'docs', 'scratch'], failed: [], userDeclared: [] });
    const doc = parse(read(configToml())) as { mcp_servers: Record<string, Record<string, unknown>> };
    expect(doc.mcp_servers['github']!['tool_timeout_sec']).toBe(1000);
    expect(doc.mcp_servers['scratch']!['enabled']).toBe(false);
    expect(doc.mcp_servers['docs']!['enabled']).toBeUndefined();
    expect((await codexAccepts(sb.codexHome, env)).ok).toBe(true);
  });

  it('writes integers beyond 2^53 with every digit (Discord ids in env and args), and codex loads them', async () => {
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  discord:\n    command: npx\n    args: [-y, discord-mcp, 1234567890123456789]\n    env:\n      GUILD_ID: 9007199254740993\n');
    const r = await migrate();
    expect(r.exitCode).toBe(0);
    const text = read(configToml());
    expect(text).toContain('"1234567890123456789"');
    expect(text).toContain('GUILD_ID = "9007199254740993"');
    expect((await codexAccepts(sb.codexHome, env)).ok).toBe(true);
  });

  it("adopts a block Hermes' migration wrote: a server removed in Hermes goes, the rest is kept, re-run and --remove are clean", async () => {
    copyFileSync(fixture('hermes-migration/block-by-hermes.toml'), configToml());
    const r = await migrate();
    expect(r.exitCode).toBe(0);
    const text = read(configToml());
    const doc = parse(text) as { mcp_servers: Record<string, unknown>; model: string; features: unknown; plugins: unknown };
    expect(Object.keys(doc.mcp_servers).sort()).toEqual(['docs', 'github', 'hermes-tools', 'scratch']);
    expect(doc).toMatchObject({ model: 'gpt-5', features: { web_search: true }, plugins: { 'github@openai-curated': { enabled: true } } });
    expect((await codexAccepts(sb.codexHome, env)).ok).toBe(true);

    expect((await migrate()).json().changed).toBe(false);
    // codex sees the servers migrate wrote, and not the one the user removed from Hermes.
    const list = await runCodex(['mcp', 'list', '--json'], env);
    expect(String(list.stdout)).not.toContain('old-search');
    expect(String(list.stdout)).toContain('scratch');

    const removed = await cli(['migrate', '--remove', '--json']);
    expect(removed.exitCode).toBe(0);
    const after = parse(read(configToml())) as Record<string, unknown>;
    expect(after).toEqual({ model: 'gpt-5', features: { web_search: true }, plugins: { 'github@openai-curated': { enabled: true } } });
    expect((await codexAccepts(sb.codexHome, env)).ok).toBe(true);
  });

  it('keeps what `codex mcp add` put inside Hermes\' markers and names the command for a table it cannot classify', async () => {
    copyFileSync(fixture('hermes-migration/codex-added-inside.toml'), configToml());
    const r = await migrate();
    expect(r.exitCode).toBe(0);
    const report = r.json();
    expect(report.keptFromBlock).toEqual([
      { entry: 'mcp_servers.added', reason: expect.any(String) },
      { entry: 'mcp_servers.plain', reason: expect.any(String), removeWith: `CODEX_HOME=${sb.codexHome} codex mcp remove plain` },
    ]);
    expect((await codexAccepts(sb.codexHome, env)).ok).toBe(true);
    // The named command works on the result, and the next migrate leaves the rest alone.
    expect((await runCodex(['mcp', 'remove', 'plain'], env)).exitCode).toBe(0);
    const again = await migrate();
    expect(again.exitCode).toBe(0);
    const doc = parse(read(configToml())) as { mcp_servers: Record<string, unknown> };
    expect(Object.keys(doc.mcp_servers).sort()).toEqual(['added', 'docs', 'github', 'hermes-tools', 'scratch']);
  });

  it('repairs a file older Hermes versions damaged (a table inside and outside the block), which codex refuses as it is', async () => {
    copyFileSync(fixture('hermes-migration/damaged-duplicates.toml'), configToml());
    expect((await codexAccepts(sb.codexHome, env)).ok).toBe(false);
    const r = await migrate();
    expect(r.exitCode).toBe(0);
    expect(r.json().repaired.map((x: { entry: string }) => x.entry)).toEqual(['mcp_servers.github', 'plugins.github@openai-curated']);
    const doc = parse(read(configToml())) as { mcp_servers: Record<string, unknown>; plugins: unknown };
    expect(doc.mcp_servers['github']).toEqual({ command: '/usr/local/bin/my-github-mcp' });
    expect(doc.plugins).toEqual({ 'github@openai-curated': { enabled: false } });
    expect((await codexAccepts(sb.codexHome, env)).ok).toBe(true);
    expect(read(configToml() + '.hermes-codex.bak')).toBe(read(fixture('hermes-migration/damaged-duplicates.toml')));
  });

  it('moves a block that sat after a table so default_permissions is a root key again', async () => {
    copyFileSync(fixture('hermes-migration/damaged-scoped-permissions.toml'), configToml());
    const r = await migrate();
    expect(r.exitCode).toBe(0);
    expect(parse(read(configToml()))).toMatchObject({ default_permissions: ':workspace', features: { web_search: true } });
    expect((await codexAccepts(sb.codexHome, env)).ok).toBe(true);
  });

  it('refuses a broken file it cannot repair with exit 2, naming file and line, writing nothing', async () => {
    const broken = read(fixture('hermes-migration/damaged-duplicates.toml')) + '\n[mcp_servers.github]\ncommand = "third"\n';
    writeFileSync(configToml(), broken);
    const r = await migrate();
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/config\.toml:\d+:\d+: TOML error/);
    expect(read(configToml())).toBe(broken);
  });
});

/** Every path under dir with its type and content hash (files), link target (links). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = path.join(rel, name);
      const full = path.join(dir, r);
      const st = lstatSync(full);
      if (st.isSymbolicLink()) out[r] = `link ${readlinkSync(full)}`;
      else if (st.isDirectory()) {
        out[r] = 'dir';
        walk(r);
      } else out[r] = `file ${createHash('sha256').update(readFileSync(full)).digest('hex')} ${st.mode.toString(8)}`;
    }
  };
  walk('');
  return out;
}

describe('read-only commands leave CODEX_HOME exactly as it was (real codex)', () => {
  const readOnly: [string, string[]][] = [
    ['migrate --dry-run', ['migrate', '--dry-run', '--json', '--hermes-python', '/usr/bin/python3']],
    ['plugins', ['plugins', '--json']],
    ['doctor', ['doctor', '--json']],
  ];

  it('on an empty CODEX_HOME', async () => {
    const before = snapshot(sb.codexHome);
    expect(before).toEqual({});
    for (const [label, args] of readOnly) {
      const r = await cli(args);
      expect(r.stdout, label).not.toBe('');
      expect(snapshot(sb.codexHome), label).toEqual(before);
    }
  });

  it('on a populated CODEX_HOME (a migrated config and an installed plugin), still with the plugin preview', async () => {
    const market = path.join(sb.root, 'market');
    cpSync(fixture('plugins/marketplace'), market, { recursive: true });
    expect((await runCodex(['plugin', 'marketplace', 'add', market], env)).exitCode).toBe(0);
    expect((await runCodex(['plugin', 'add', 'demo@local-test'], env)).exitCode).toBe(0);
    expect((await migrate()).exitCode).toBe(0);
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), read(path.join(sb.hermesHome, 'config.yaml')).replace('enabled: off', 'enabled: on'));

    const before = snapshot(sb.codexHome);
    expect(Object.keys(before)).toContain('config.toml');
    for (const [label, args] of readOnly) {
      const r = await cli(args);
      expect(r.stdout, label).not.toBe('');
      if (label === 'migrate --dry-run') {
        const report = JSON.parse(r.stdout);
        expect(report.plugins).toMatchObject({ status: 'discovered', migrated: ['demo@local-test'] });
        expect(report.changed).toBe(true);
      }
      if (label === 'plugins') expect(JSON.parse(r.stdout).plugins.map((p: { key: string }) => p.key)).toContain('demo@local-test');
      expect(snapshot(sb.codexHome), label).toEqual(before);
    }
  });
});

/**
 * Plugins with the real pinned codex and a local marketplace fixture
 * (fixtures/plugins/marketplace: `demo` and `other`, both local).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TESTED_CODEX_VERSION } from '../../src/codex/capabilities.js';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'smol-toml';
import { END_MARKER, START_MARKER } from '../../src/migrate/block-render.js';
import { codexAccepts, fixture, runCli, runCodex, sandbox, type Sandbox } from '../helpers/codex.js';

let sb: Sandbox;
let market: string;
beforeEach(async () => {
  sb = sandbox();
  market = path.join(sb.root, 'market');
  cpSync(fixture('plugins/marketplace'), market, { recursive: true });
  writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  fs:\n    command: npx\n');
  expect((await runCodex(['plugin', 'marketplace', 'add', market], sb.env)).exitCode).toBe(0);
});
afterEach(() => sb.cleanup());

const configText = () => readFileSync(path.join(sb.codexHome, 'config.toml'), 'utf8');
const count = (s: string, sub: string) => s.split(sub).length - 1;
const inBlock = (text: string, needle: string) => {
  const i = text.indexOf(needle);
  return i > text.indexOf(START_MARKER) && i < text.indexOf(END_MARKER);
};
async function migrate(extra: string[] = []) {
  const r = await runCli(['migrate', '--json', '--hermes-python', '/usr/bin/python3', ...extra], sb.env);
  expect(r.stderr).toBe('');
  return { exitCode: r.exitCode, report: JSON.parse(String(r.stdout)) };
}

describe('plugins with real codex', () => {
  it('enables the installed plugin in one table even though `codex plugin add` wrote one; skips the other; re-run is a no-op', async () => {
    expect((await runCodex(['plugin', 'add', 'demo@local-test'], sb.env)).exitCode).toBe(0);
    expect(count(configText(), '[plugins."demo@local-test"]')).toBe(1);

    const first = await migrate();
    expect(first.exitCode).toBe(0);
    expect(first.report.plugins).toMatchObject({
      status: 'discovered',
      migrated: ['demo@local-test'],
      consolidated: ['demo@local-test'],
      skipped: [{ id: 'other@local-test', reason: expect.stringMatching(/not installed/) }],
    });
    const text = configText();
    expect(count(text, '[plugins."demo@local-test"]')).toBe(1);
    expect(inBlock(text, '[plugins."demo@local-test"]')).toBe(true);
    expect(parse(text)).toMatchObject({ plugins: { 'demo@local-test': { enabled: true } }, marketplaces: { 'local-test': { source: market } } });
    expect((await codexAccepts(sb.codexHome, sb.env)).ok).toBe(true);

    const second = await migrate();
    expect(second.report.changed).toBe(false);
    expect(configText()).toBe(text);
  });

  it('takes in a plugin added after a migration: appended at the end, or placed inside the markers next to a plugin table', async () => {
    // No plugin table in the block yet: codex appends the new table at the end of the file.
    await migrate();
    expect((await runCodex(['plugin', 'add', 'demo@local-test'], sb.env)).exitCode).toBe(0);
    expect(inBlock(configText(), '[plugins."demo@local-test"]')).toBe(false);
    let r = await migrate();
    expect(r.report.plugins.migrated).toEqual(['demo@local-test']);
    expect(count(configText(), '[plugins."demo@local-test"]')).toBe(1);
    expect(inBlock(configText(), '[plugins."demo@local-test"]')).toBe(true);

    // With a plugin table in the block, codex places the next one beside it: inside the markers.
    expect((await runCodex(['plugin', 'add', 'other@local-test'], sb.env)).exitCode).toBe(0);
    expect(inBlock(configText(), '[plugins."other@local-test"]')).toBe(true);
    r = await migrate();
    expect(r.report.plugins.migrated).toEqual(['demo@local-test', 'other@local-test']);
    expect(r.report.preservedUserTables).toEqual([]);
    expect(count(configText(), '[plugins."other@local-test"]')).toBe(1);
    expect(inBlock(configText(), '[plugins."other@local-test"]')).toBe(true);
    expect((await migrate()).report.changed).toBe(false);
  });

  it('drops a plugin codex no longer lists, even after `codex plugin marketplace remove` deleted the end marker', async () => {
    expect((await runCodex(['plugin', 'add', 'demo@local-test'], sb.env)).exitCode).toBe(0);
    await migrate();
    expect((await runCodex(['plugin', 'marketplace', 'remove', 'local-test'], sb.env)).exitCode).toBe(0);
    // Codex removed the table after the block together with the comment lines above it: our end marker.
    expect(configText()).not.toContain(END_MARKER);
    expect(configText()).toContain('[plugins."demo@local-test"]');

    const r = await migrate();
    expect(r.exitCode).toBe(0);
    expect(r.report.block.legacy).toBe(true);
    const text = configText();
    expect(text).not.toContain('demo@local-test');
    expect(count(text, START_MARKER)).toBe(1);
    expect(count(text, END_MARKER)).toBe(1);
    expect(parse(text)).toMatchObject({ mcp_servers: { fs: { command: 'npx' } } });
    expect((await codexAccepts(sb.codexHome, sb.env)).ok).toBe(true);
  });

  it('after `codex plugin remove`, the next run leaves no table for it and keeps the block whole', async () => {
    expect((await runCodex(['plugin', 'add', 'demo@local-test'], sb.env)).exitCode).toBe(0);
    await migrate();
    expect(inBlock(configText(), '[plugins."demo@local-test"]')).toBe(true);
    expect((await runCodex(['plugin', 'remove', 'demo@local-test'], sb.env)).exitCode).toBe(0);
    const r = await migrate();
    expect(r.exitCode).toBe(0);
    expect(r.report.plugins.migrated).toEqual([]);
    const text = configText();
    expect(text).not.toContain('[plugins."demo@local-test"]');
    expect(count(text, START_MARKER)).toBe(1);
    expect(count(text, END_MARKER)).toBe(1);
    expect((await migrate()).report.changed).toBe(false);
  });

  it('--no-plugins leaves plugin tables alone', async () => {
    expect((await runCodex(['plugin', 'add', 'demo@local-test'], sb.env)).exitCode).toBe(0);
    const before = configText();
    const r = await migrate(['--no-plugins']);
    expect(r.report.plugins).toMatchObject({ status: 'skipped' });
    const after = configText();
    expect(after.slice(after.indexOf(END_MARKER))).toContain(before.slice(before.indexOf('[plugins."demo@local-test"]')));
  });

  it('`hermes-codex plugins` lists every plugin with its decision and reason', async () => {
    expect((await runCodex(['plugin', 'add', 'demo@local-test'], sb.env)).exitCode).toBe(0);
    const json = await runCli(['plugins', '--json'], sb.env);
    expect(json.exitCode).toBe(0);
    const r = JSON.parse(String(json.stdout));
    expect(r).toMatchObject({ schemaVersion: 1, codexHome: sb.codexHome, codexVersion: TESTED_CODEX_VERSION });
    expect(r.plugins).toEqual([
      expect.objectContaining({ key: 'demo@local-test', marketplace: 'local-test', installed: true, enabled: true, availability: 'AVAILABLE', decision: 'migrate' }),
      expect.objectContaining({ key: 'other@local-test', installed: false, decision: 'skip' }),
    ]);
    const human = await runCli(['plugins'], sb.env);
    expect(String(human.stdout)).toMatch(/demo@local-test\s+local-test\s+installed\s+enabled\s+AVAILABLE\s+migrate/);
    expect(String(human.stdout)).toMatch(/other@local-test .*not installed .*skip\s+not installed/);
  });

  it("keeps codex's own state for discovery between runs, outside CODEX_HOME, and still sees what changed in CODEX_HOME", async () => {
    const installed = async () => {
      const r = await runCli(['plugins', '--json'], sb.env);
      expect(r.exitCode).toBe(0);
      return (JSON.parse(String(r.stdout)).plugins as { key: string; installed: boolean }[]).find((p) => p.key === 'demo@local-test')?.installed;
    };
    const kept = path.join(sb.root, 'discovery-homes');
    expect(await installed()).toBe(false);
    const [home] = readdirSync(kept).filter((n) => !n.endsWith('.lock'));
    const id = readFileSync(path.join(kept, home!, 'installation_id'), 'utf8');
    expect(readdirSync(path.join(kept, home!)).some((n) => /^state_\d+\.sqlite$/.test(n))).toBe(true);

    expect((await runCodex(['plugin', 'add', 'demo@local-test'], sb.env)).exitCode).toBe(0);
    expect(await installed()).toBe(true);
    expect(readdirSync(kept)).toEqual([home]); // the same home, lock released
    expect(readFileSync(path.join(kept, home!, 'installation_id'), 'utf8')).toBe(id);
    expect(existsSync(path.join(sb.codexHome, 'auth.json'))).toBe(false);
  });

  it("`hermes-codex plugins` on a config.toml codex cannot load names the file (not codex's private copy) and its place", async () => {
    const config = path.join(sb.codexHome, 'config.toml');
    writeFileSync(config, (existsSync(config) ? readFileSync(config, 'utf8') : '') + 'broken = "unterminated\n');
    const r = await runCli(['plugins'], sb.env);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toMatch(new RegExp(`^error: plugin discovery failed: codex cannot load ${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
  });
});

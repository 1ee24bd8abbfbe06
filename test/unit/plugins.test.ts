import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { decidePlugins, PluginDiscoveryError, type PluginRow } from '../../src/plugins/decide.js';
import { planMigration, type PlanInput } from '../../src/migrate/plan.js';
import { END_MARKER, START_MARKER } from '../../src/migrate/block-render.js';
import { hermesFrom } from '../helpers/hermes.js';

const plugin = (over: Record<string, unknown>) => ({ id: 'demo@local', name: 'demo', installed: true, enabled: true, availability: 'AVAILABLE', ...over });
const reply = (plugins: unknown[], extra: Record<string, unknown> = {}) => ({ marketplaces: [{ name: 'local', path: '/m', plugins }], marketplaceLoadErrors: [], featuredPluginIds: [], ...extra });

describe('decidePlugins', () => {
  it.each([
    ['AVAILABLE', 'migrate', /available/],
    ['ENABLED', 'migrate', /enabled by the service/],
    [undefined, 'migrate', /reports no availability/],
    ['DISABLED_BY_ADMIN', 'skip', /disabled by your workspace admin/],
    ['REGION_BLOCKED', 'skip', /availability REGION_BLOCKED is not one hermes-codex knows/],
  ])('availability %s → %s', (availability, decision, reason) => {
    const [row] = decidePlugins(reply([plugin({ availability })])).plugins;
    expect(row).toMatchObject({ key: 'demo@local', decision, availability: availability ?? null });
    expect(row!.reason).toMatch(reason);
  });

  it('skips plugins that are not installed, saying how to install them', () => {
    const [row] = decidePlugins(reply([plugin({ installed: false })])).plugins;
    expect(row).toMatchObject({ decision: 'skip', reason: expect.stringContaining('codex plugin add demo@local') });
  });

  it('keys by id, else name@marketplace; reports duplicates once; turns load errors into warnings', () => {
    const r = decidePlugins({
      marketplaces: [
        { name: 'a', plugins: [{ name: 'x', installed: true }, plugin({ id: 'dup@a' })] },
        { name: 'b', plugins: [plugin({ id: 'dup@a' })] },
      ],
      marketplaceLoadErrors: [{ marketplacePath: '/bad/marketplace.json', message: 'invalid JSON' }],
    });
    expect(r.plugins.map((p) => p.key)).toEqual(['x@a', 'dup@a']);
    expect(r.warnings).toEqual([
      'plugin dup@a is listed by 2 marketplaces (a, b); counted once',
      'a plugin marketplace failed to load: /bad/marketplace.json: invalid JSON',
    ]);
  });

  it('rejects a malformed reply', () => {
    expect(() => decidePlugins({ plugins: [] })).toThrow(PluginDiscoveryError);
    expect(() => decidePlugins(null)).toThrow(/malformed/);
  });
});

const row = (key: string, over: Partial<PluginRow> = {}): PluginRow => ({
  key, name: key.split('@')[0]!, marketplace: key.split('@')[1]!, installed: true, enabled: true, availability: 'AVAILABLE', decision: 'migrate', reason: 'installed and available', ...over,
});

function plan(existingText: string | null, plugins: PlanInput['plugins'], over: Partial<PlanInput> = {}) {
  return planMigration({
    hermes: hermesFrom({ mcp_servers: { s: { command: 'x' } } }),
    configPath: '/c/config.toml',
    existingText,
    state: null,
    hermesTools: null,
    permissions: null,
    plugins,
    now: new Date(0),
    ...over,
  });
}
const count = (s: string, sub: string) => s.split(sub).length - 1;
const found = (rows: PluginRow[]) => ({ status: 'discovered' as const, rows });

describe('plugins in the managed block', () => {
  it('writes each plugin to migrate inside the block, with enabled as codex reports it', () => {
    const p = plan('[features]\nx = 1\n', found([row('demo@local'), row('off@local', { enabled: false }), row('gone@local', { installed: false, decision: 'skip', reason: 'not installed' })]));
    const block = p.newText.slice(p.newText.indexOf(START_MARKER), p.newText.indexOf(END_MARKER));
    expect(block).toContain('[plugins."demo@local"]\nenabled = true');
    expect(block).toContain('[plugins."off@local"]\nenabled = false');
    expect(p.plugins).toMatchObject({ status: 'discovered', migrated: ['demo@local', 'off@local'], skipped: [{ id: 'gone@local', reason: 'not installed' }] });
  });

  it("consolidates the table `codex plugin add` wrote outside the block: one table per key, a user's enabled=false kept", () => {
    const user = 'model = "o3"\n\n[plugins."demo@local"]\nenabled = false\n\n[marketplaces.local]\nsource = "/m"\n';
    const p = plan(user, found([row('demo@local')]));
    expect(count(p.newText, '[plugins."demo@local"]')).toBe(1);
    expect(p.newText.indexOf('[plugins."demo@local"]')).toBeLessThan(p.newText.indexOf(END_MARKER));
    expect(parse(p.newText)).toMatchObject({ plugins: { 'demo@local': { enabled: false } }, marketplaces: { local: { source: '/m' } }, model: 'o3' });
    expect(p.plugins.consolidated).toEqual(['demo@local']);
  });

  it('consolidates a table another writer put inside the markers, instead of moving it out', () => {
    const first = plan('[features]\nx = 1\n', found([]));
    const added = first.newText.replace(END_MARKER, '[plugins."demo@local"]\nenabled = true\n' + END_MARKER);
    const p = plan(added, found([row('demo@local')]), { state: first.newState });
    expect(count(p.newText, '[plugins."demo@local"]')).toBe(1);
    expect(p.preservedUserTables).toEqual([]);
    const again = plan(p.newText, found([row('demo@local')]), { state: p.newState });
    expect(again.changed).toBe(false);
  });

  it("lets a plugin table with the user's own settings win, never duplicating it", () => {
    const user = '[plugins."demo@local"]\nenabled = true\nextra = "mine"\n';
    const p = plan(user, found([row('demo@local')]));
    expect(count(p.newText, '[plugins."demo@local"]')).toBe(1);
    expect(p.plugins.skipped[0]).toMatchObject({ id: 'demo@local', reason: expect.stringMatching(/yours is kept/) });
    expect(parse(p.newText)).toMatchObject({ plugins: { 'demo@local': { extra: 'mine' } } });
  });

  it('removes a plugin that is no longer installed from the block on the next run', () => {
    const first = plan(null, found([row('demo@local')]));
    const p = plan(first.newText, found([row('demo@local', { installed: false, decision: 'skip', reason: 'not installed' })]), { state: first.newState });
    expect(p.newText).not.toContain('demo@local');
  });

  it('without discovery (skipped or failed) keeps every plugin table exactly as it was', () => {
    const first = plan('[plugins."outside@x"]\nenabled = true\n', found([row('demo@local')]));
    for (const plugins of [{ status: 'skipped' as const, reason: '--no-plugins' }, { status: 'failed' as const, error: 'codex crashed' }]) {
      const p = plan(first.newText, plugins, { state: first.newState });
      expect(p.newText).toBe(first.newText);
      expect(p.changed).toBe(false);
      expect(p.plugins.status).toBe(plugins.status);
      // And the record still owns the kept table, so a later discovery run manages it.
      const later = plan(p.newText, found([]), { state: p.newState });
      expect(later.newText).not.toContain('demo@local');
      expect(later.newText).toContain('[plugins."outside@x"]');
    }
  });

  it("keeps plugin tables of a block Hermes' own migration wrote when discovery fails, as the user's (never claimed)", () => {
    const hermesBlock = `${START_MARKER}\n[mcp_servers.s]\ncommand = "old"\n\n[plugins."github@openai-curated"]\nenabled = true\n${END_MARKER}\n`;
    const p = plan(hermesBlock, { status: 'failed', error: 'timeout' });
    expect(parse(p.newText)).toMatchObject({ mcp_servers: { s: { command: 'x' } }, plugins: { 'github@openai-curated': { enabled: true } } });
    // Without a record the block cannot claim the table: it stays as it was, outside the block, and no record owns it.
    expect(p.preservedUserTables).toEqual(['plugins.github@openai-curated']);
    expect(p.newState.entries.map((e) => e.ref.name)).not.toContain('github@openai-curated');
  });
});

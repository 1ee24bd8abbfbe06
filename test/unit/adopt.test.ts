/**
 * Coming from Hermes' own migration: adopting a block it wrote (no
 * hermes-codex ownership record), keeping what Codex put inside it, and
 * repairing the damage older Hermes versions left. Inputs are the files in
 * fixtures/hermes-migration (rendered the way Hermes renders them).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { planMigration, type PlanInput, type PluginInput } from '../../src/migrate/plan.js';
import { removalText } from '../../src/migrate/remove.js';
import { stripBlock } from '../../src/migrate/block.js';
import { END_MARKER, START_MARKER } from '../../src/migrate/block-render.js';
import { parseHermesConfig } from '../../src/config/hermes-config.js';
import { ConfigSyntaxError } from '../../src/core/errors.js';
import { fixture } from '../helpers/codex.js';
import type { PluginRow } from '../../src/plugins/decide.js';

const hermesText = readFileSync(fixture('hermes-migration/config.yaml'), 'utf8');
const toml = (name: string) => readFileSync(fixture(`hermes-migration/${name}`), 'utf8');
const python = { command: '/venv/bin/python', source: 'venv' as const };
const githubPlugin: PluginRow = { key: 'github@openai-curated', name: 'github', marketplace: 'openai-curated', installed: true, enabled: true, availability: 'AVAILABLE', decision: 'migrate', reason: 'installed and available' };
const discovered: PluginInput = { status: 'discovered', rows: [githubPlugin] };
const skipped: PluginInput = { status: 'skipped', reason: '--no-plugins' };

function plan(existingText: string | null, over: Partial<PlanInput> = {}) {
  return planMigration({
    hermes: parseHermesConfig(hermesText, '/h/config.yaml'),
    configPath: '/c/config.toml',
    existingText,
    state: null,
    hermesTools: { python },
    permissions: ':workspace',
    plugins: skipped,
    now: new Date('2026-11-29T00:00:00Z'),
    ...over,
  });
}
type Doc = { mcp_servers: Record<string, Record<string, unknown>>; plugins?: Record<string, { enabled: boolean }>; default_permissions?: string; features?: Record<string, unknown> };
const data = (text: string) => parse(text) as unknown as Doc;

describe("adopting a block Hermes' own migration wrote", () => {
  it('replaces the servers Hermes wrote, drops one the user removed from Hermes, and keeps everything outside', () => {
    const before = toml('block-by-hermes.toml');
    const p = plan(before, { plugins: discovered });
    const doc = data(p.newText);
    expect(Object.keys(doc.mcp_servers).sort()).toEqual(['docs', 'github', 'hermes-tools', 'scratch']);
    expect(doc.mcp_servers['hermes-tools']!['command']).toBe('/venv/bin/python');
    // Hermes pinned secret redaction for the callback's output; adopting its block keeps the pin.
    expect(data(before).mcp_servers['hermes-tools']!['env']).toMatchObject({ HERMES_REDACT_SECRETS: 'true' });
    expect(doc.mcp_servers['hermes-tools']!['env']).toMatchObject({ HERMES_QUIET: '1', HERMES_REDACT_SECRETS: 'true' });
    expect(doc.mcp_servers['scratch']).toMatchObject({ enabled: false });
    expect(doc.default_permissions).toBe(':workspace');
    expect(doc.plugins).toEqual({ 'github@openai-curated': { enabled: true } });
    expect(p.keptFromBlock).toEqual([]);
    expect(p.preservedUserTables).toEqual([]);
    // The plugin table Hermes wrote is consolidated (remembered for --remove), never claimed as written by us.
    expect(p.plugins.consolidated).toEqual(['github@openai-curated']);
    expect(p.newState.consolidated).toEqual([{ key: 'github@openai-curated', enabled: true }]);
    expect(stripBlock(p.newText, 'f')).toBe(stripBlock(before, 'f'));

    const again = plan(p.newText, { plugins: discovered, state: p.newState });
    expect(again.changed).toBe(false);

    // --remove after adoption: the block goes, the plugin table the user had comes back, the rest is as it was.
    const removed = removalText(p.newText, '/c/config.toml', p.newState, new Set());
    expect(data(removed.text)).toEqual({ model: 'gpt-5', features: { web_search: true }, plugins: { 'github@openai-curated': { enabled: true } } });
  });

  it('without discovery keeps the plugin table as the user\'s (moved out of the block), and --remove leaves it', () => {
    const p = plan(toml('block-by-hermes.toml'));
    expect(p.keptFromBlock).toEqual([{ entry: 'plugins.github@openai-curated', reason: expect.any(String) }]);
    expect(data(p.newText).plugins).toEqual({ 'github@openai-curated': { enabled: true } });
    const removed = removalText(p.newText, '/c/config.toml', p.newState, new Set());
    expect(data(removed.text).plugins).toEqual({ 'github@openai-curated': { enabled: true } });
  });

  it('keeps what `codex mcp add` put inside the markers, and reports a table it cannot classify with the command that removes it', () => {
    const p = plan(toml('codex-added-inside.toml'));
    const doc = data(p.newText);
    expect(doc.mcp_servers['added']).toEqual({ command: 'node', args: ['/opt/mcp/added.js'], env: { ADDED_KEY: 'value' } });
    expect(doc.mcp_servers['plain']).toEqual({ command: 'plain-mcp', args: ['--stdio'] });
    expect(p.keptFromBlock).toEqual([
      { entry: 'mcp_servers.added', reason: expect.stringMatching(/sub-tables such as \[mcp_servers\.added\.env\]/) },
      { entry: 'mcp_servers.plain', reason: expect.stringMatching(/could have been written by Hermes' migration or by `codex mcp add`/), removeWith: 'CODEX_HOME=/c codex mcp remove plain' },
    ]);
    expect(p.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/kept mcp_servers\.plain .*remove it with `CODEX_HOME=\/c codex mcp remove plain`/));
    // Both now stand outside the block, and the next run leaves them alone.
    const outside = data(stripBlock(p.newText, 'f'));
    expect(Object.keys(outside.mcp_servers)).toEqual(['added', 'plain']);
    const again = plan(p.newText, { state: p.newState });
    expect(again.changed).toBe(false);
    expect(again.keptFromBlock).toEqual([]);
  });

  it("keeps a default_permissions that is not what Hermes' migration writes", () => {
    const text = toml('block-by-hermes.toml').replace('default_permissions = ":workspace"', 'default_permissions = ":read-only"');
    const p = plan(text);
    expect(data(p.newText).default_permissions).toBe(':read-only');
    expect(p.permissions).toMatchObject({ written: false, reason: expect.stringMatching(/kept/) });
  });
});

describe('repairing what older Hermes migrations left', () => {
  it('removes the managed copy of a table that also stands outside the block; the user\'s copy stays', () => {
    const before = toml('damaged-duplicates.toml');
    expect(() => parse(before)).toThrow();
    const p = plan(before);
    const doc = data(p.newText);
    expect(doc.mcp_servers['github']).toEqual({ command: '/usr/local/bin/my-github-mcp' });
    expect(doc.plugins).toEqual({ 'github@openai-curated': { enabled: false } });
    expect(p.repaired.map((r) => r.entry)).toEqual(['mcp_servers.github', 'plugins.github@openai-curated']);
    expect(p.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/^repaired mcp_servers\.github: /));
    expect(p.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/declares \[mcp_servers\.github\] outside the managed block; your table wins/));
    expect(plan(p.newText, { state: p.newState }).changed).toBe(false);
  });

  it('with discovery, the user\'s plugin choice (enabled = false) survives the repair', () => {
    const p = plan(toml('damaged-duplicates.toml'), { plugins: discovered });
    expect(data(p.newText).plugins).toEqual({ 'github@openai-curated': { enabled: false } });
  });

  it('moves a block that sat after a table, so default_permissions is a root key again', () => {
    const before = toml('damaged-scoped-permissions.toml');
    expect(data(before).features).toMatchObject({ default_permissions: ':workspace' });
    const p = plan(before);
    const doc = data(p.newText);
    expect(doc.default_permissions).toBe(':workspace');
    expect(doc.features).toEqual({ web_search: true });
  });

  it('removes the managed copy of a root key the user set outside the block too (Hermes\' migration writes default_permissions without looking)', () => {
    // The user's permissions kept outside the block (Codex's settings changed them), then Hermes' own migration wrote its block again.
    const before = `model = "o3"\ndefault_permissions = ":read-only"\n${START_MARKER}\ndefault_permissions = ":workspace"\n\n[mcp_servers.github]\ncommand = "npx"\n\n${END_MARKER}\n\n[features]\nx = true\n`;
    expect(() => parse(before)).toThrow();
    const p = plan(before);
    expect(data(p.newText).default_permissions).toBe(':read-only');
    expect(p.repaired.map((r) => r.entry)).toEqual(['default_permissions']);
    expect(p.permissions).toMatchObject({ written: false });
    expect(p.newText.startsWith('model = "o3"\ndefault_permissions = ":read-only"\n')).toBe(true);
    expect(plan(p.newText, { state: p.newState }).changed).toBe(false);
    // After a table, the block's keys are that table's: nothing to repair there, the file stays refused.
    expect(() => plan(`[a]\nx = 1\n${START_MARKER}\nx = 2\n${END_MARKER}\n`)).toThrow(ConfigSyntaxError);
  });

  it('still refuses, writing nothing, a broken file it cannot repair with certainty', () => {
    const broken = toml('damaged-duplicates.toml').replace('[features]', '').replace('model = "gpt-5"', 'model = "gpt-5"\nmodel = "o3"');
    expect(() => plan(broken)).toThrow(ConfigSyntaxError);
    // A duplicate outside the block only is the user's to fix.
    expect(() => plan('[mcp_servers.a]\ncommand = "x"\n[mcp_servers.a]\ncommand = "y"\n')).toThrow(ConfigSyntaxError);
  });
});

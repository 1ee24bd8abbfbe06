/**
 * migrate's report for people: every Hermes server is accounted for
 * (migrated, failed with why, or declared by the user outside the block).
 * A run whose only server the user declares said "none in the Hermes config".
 */
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/migrate.js';
import { renderMigrationReport } from '../../src/cli/render/migrate.js';
import { renderPlugins } from '../../src/cli/render/plugins.js';
import { decidePlugins } from '../../src/plugins/decide.js';
import { plainStyle } from '../../src/cli/output.js';
import { memFileSystem } from '../helpers/memfs.js';

const HOME = '/home/me';

async function report(yaml: string, toml: string) {
  const fs = memFileSystem({ [`${HOME}/.hermes/config.yaml`]: yaml, '/venv/bin/python': '', [`${HOME}/.codex/config.toml`]: toml });
  return migrate({ fs, env: { PATH: '/nowhere' }, home: HOME, cwd: HOME, hermesPython: '/venv/bin/python', now: () => new Date('2026-11-30T00:00:00Z'), validateWithCodex: false, plugins: false, dryRun: true });
}

describe('renderMigrationReport', () => {
  it('names a server the user declares outside the block, once, instead of "none in the Hermes config"', async () => {
    const r = await report('mcp_servers:\n  a:\n    command: npx\n', 'model = "o3"\n\n[mcp_servers.a]\ncommand = "mine"\n');
    expect(r.servers).toEqual({ migrated: [], failed: [], userDeclared: ['a'] });
    const text = renderMigrationReport(r, plainStyle());
    expect(text).not.toContain('none in the Hermes config');
    expect(text).toContain('MCP servers: 0 migrated, 1 declared by you outside the block\n');
    expect(text).toContain("  – a: your [mcp_servers.a] outside the block wins; Hermes' entry is not written\n");
    expect(text).not.toContain('your table wins'); // the warning is in --json, not repeated here
    expect(r.warnings.some((w) => w.server === 'a' && /your table wins/.test(w.message))).toBe(true);
  });

  it('marks the hermes-tools line with a warning when there is one about it (an interpreter that is not there)', async () => {
    const fs = memFileSystem({ [`${HOME}/.hermes/config.yaml`]: 'mcp_servers: {}\n' });
    const r = await migrate({ fs, env: { PATH: '/nowhere' }, home: HOME, cwd: HOME, hermesPython: '/nope/python', now: () => new Date('2026-11-30T00:00:00Z'), validateWithCodex: false, plugins: false, dryRun: true });
    expect(r.warnings).toContainEqual(expect.objectContaining({ server: 'hermes-tools', message: expect.stringMatching(/is not an executable file/) }));
    expect(renderMigrationReport(r, plainStyle())).toContain('⚠ hermes-tools callback: /nope/python (from --hermes-python)\n');
    const fine = await report('mcp_servers: {}\n', '');
    expect(fine.warnings.filter((w) => w.server === 'hermes-tools')).toEqual([]);
    expect(renderMigrationReport(fine, plainStyle())).toContain('✓ hermes-tools callback: /venv/bin/python (from --hermes-python)\n');
    // Where the interpreter came from is said in words, never as the report's short form.
    const fromPath = renderMigrationReport({ ...fine, hermesTools: { ...fine.hermesTools, command: '/usr/bin/python3', pythonSource: 'path' } }, plainStyle());
    expect(fromPath).toContain('hermes-tools callback: /usr/bin/python3 (python3 on PATH; Hermes has no virtualenv here)\n');
    expect(fromPath).not.toContain('(path)');
  });

  it('a first run that creates CODEX_HOME does not also say it does not exist', async () => {
    const fs = memFileSystem({ [`${HOME}/.hermes/config.yaml`]: 'mcp_servers: {}\n' });
    const r = await migrate({ fs, env: { PATH: '/nowhere' }, home: HOME, cwd: HOME, hermesPython: '/venv/bin/python', now: () => new Date('2026-11-30T00:00:00Z'), validateWithCodex: false });
    const text = renderMigrationReport(r, plainStyle());
    expect(text).toContain(`created CODEX_HOME ${HOME}/.codex (0700)`);
    expect(text).not.toMatch(/does not exist/);
    expect(r.plugins.reason).toBe(`CODEX_HOME ${HOME}/.codex is new (this run creates it), so no plugins are installed in it yet`);
  });

  it('still says so when the Hermes config has no servers', async () => {
    const r = await report('mcp_servers: {}\n', 'model = "o3"\n');
    expect(renderMigrationReport(r, plainStyle())).toContain('MCP servers: none in the Hermes config\n');
  });

  it('shows control characters in what marketplaces report (plugin ids, reasons, codex errors) as escapes', async () => {
    const r = await report('mcp_servers: {}\n', '');
    const evil = 'ok\u001b[2K\rgood@m';
    const discovered = { ...r, plugins: { status: 'discovered' as const, migrated: [evil], consolidated: [], skipped: [{ id: 'x\u0007@m', reason: 'not installed\u001b[31m' }] } };
    const text = renderMigrationReport(discovered, plainStyle());
    expect(text).toContain('  ✓ ok\\u001b[2K\\u000dgood@m\n');
    expect(text).toContain('  – x\\u0007@m: not installed\\u001b[31m\n');
    const failed = renderMigrationReport({ ...r, plugins: { status: 'failed' as const, migrated: [], skipped: [], consolidated: [], error: 'codex said \u009b2J' } }, plainStyle());
    expect(failed).toContain('plugins left as they were: codex said \\u009b2J\n');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('renderPlugins', () => {
  it('shows control characters in plugin ids, marketplace names and codex warnings as escapes', () => {
    const listing = decidePlugins({
      marketplaces: [{ name: 'm\u001b]0;title\u0007', path: '/m', plugins: [{ name: 'p\u001b[2K', installed: true, enabled: true, availability: 'AVAILABLE' }] }],
      marketplaceLoadErrors: [{ path: '/bad\u001b[1A', message: 'oops' }],
      featuredPluginIds: [],
    });
    const text = renderPlugins({ ...listing, codexVersion: '0.169.0' }, '/home/me/.codex', plainStyle());
    expect(text).toContain('p\\u001b[2K@m\\u001b]0;title\\u0007');
    expect(text).toContain('/bad\\u001b[1A');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});

import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { migrate, type MigrateOptions } from '../../src/migrate/migrate.js';
import { removeManagedBlock, restoreBackup } from '../../src/migrate/remove.js';
import { END_MARKER, START_MARKER } from '../../src/migrate/block-render.js';
import { STATE_FILE_NAME } from '../../src/migrate/state.js';
import { FileAccessError } from '../../src/core/errors.js';
import { memFileSystem } from '../helpers/memfs.js';

const HOME = '/home/me';
const CODEX = `${HOME}/.codex`;
const CONFIG = `${CODEX}/config.toml`;
const USER = '# mine\nmodel = "o3"\n\n[features]\nweb_search = true\n\n[projects."/w"]\ntrust_level = "trusted"\n';
const demo = { key: 'demo@local', name: 'demo', marketplace: 'local', installed: true, enabled: true, availability: 'AVAILABLE', decision: 'migrate' as const, reason: 'ok' };

function setup(toml = USER, plugins: (typeof demo)[] = []) {
  const fs = memFileSystem({ [`${HOME}/.hermes/config.yaml`]: 'mcp_servers:\n  gh:\n    command: npx\n', [CONFIG]: toml });
  const base: MigrateOptions = { fs, env: { PATH: '/nowhere' }, home: HOME, cwd: HOME, hermesPython: '/py', validateWithCodex: false, discover: async () => ({ plugins, warnings: [] }), codexBin: '/bin/codex' };
  const undo = { fs, env: { PATH: '/nowhere' }, home: HOME, cwd: HOME };
  return { fs, base, undo };
}

describe('migrate --remove', () => {
  it('returns the file to exactly what it was before the first migration, and drops the ownership record', async () => {
    const { fs, base, undo } = setup();
    await migrate(base);
    const migrated = fs.text(CONFIG);
    expect(migrated).toContain(START_MARKER);
    const r = await removeManagedBlock(undo);
    expect(r).toMatchObject({ action: 'remove', changed: true, backup: `${CONFIG}.hermes-codex.bak` });
    expect(r.removed.sort()).toEqual(['default_permissions', 'mcp_servers.gh', 'mcp_servers.hermes-tools']);
    expect(fs.text(CONFIG)).toBe(USER);
    expect(fs.text(r.backup!)).toBe(migrated);
    expect(fs.exists(`${CODEX}/${STATE_FILE_NAME}`)).toBe(false);
    expect((await removeManagedBlock(undo)).changed).toBe(false);
  });

  it('keeps tables others wrote inside the block, and takes out its own tables that escaped it', async () => {
    const { fs, base, undo } = setup();
    await migrate(base);
    const withForeign = fs.text(CONFIG).replace(END_MARKER, '[mcp_servers.mine]\ncommand = "node"\n' + END_MARKER);
    await fs.writeFileAtomic(CONFIG, withForeign.replace(START_MARKER + '\n', '').replace(END_MARKER + '\n', ''));
    await removeManagedBlock(undo);
    const doc = parse(fs.text(CONFIG)) as Record<string, unknown>;
    expect(doc['mcp_servers']).toEqual({ mine: { command: 'node' } });
    expect(doc).not.toHaveProperty('default_permissions');
    expect(doc).toMatchObject({ model: 'o3', features: { web_search: true } });
  });

  it('puts back a plugin table that was consolidated into the block, with the user\'s enabled = false', async () => {
    const original = USER + '\n[plugins."demo@local"]\nenabled = false\n';
    const { fs, base, undo } = setup(original, [demo]);
    const m = await migrate(base);
    expect(m.plugins.consolidated).toEqual(['demo@local']);
    const r = await removeManagedBlock(undo);
    expect(r.restoredPluginTables).toEqual(['demo@local']);
    expect(fs.text(CONFIG)).toBe(original);
  });

  it('shows a diff on --dry-run and writes nothing', async () => {
    const { fs, base, undo } = setup();
    await migrate(base);
    const before = fs.text(CONFIG);
    const r = await removeManagedBlock({ ...undo, dryRun: true });
    expect(r.diff).toContain(`-${START_MARKER}`);
    expect(fs.text(CONFIG)).toBe(before);
    expect(fs.exists(`${CODEX}/${STATE_FILE_NAME}`)).toBe(true);
  });
});

describe('migrate --restore', () => {
  it('puts the last backup back with its ownership record, and can itself be undone', async () => {
    const { fs, base, undo } = setup();
    await migrate(base);
    const migrated = fs.text(CONFIG);
    await fs.writeFileAtomic(`${HOME}/.hermes/config.yaml`, 'mcp_servers:\n  gh:\n    command: npx\n  more:\n    command: node\n');
    await migrate(base);
    const second = fs.text(CONFIG);
    const r = await restoreBackup(undo);
    expect(r).toMatchObject({ action: 'restore', target: CONFIG });
    expect(fs.text(CONFIG)).toBe(migrated);
    // The restored file's record came back with it: the next migrate sees no foreign tables.
    const again = await migrate({ ...base, dryRun: true });
    expect(again.preservedUserTables).toEqual([]);
    await restoreBackup(undo);
    expect(fs.text(CONFIG)).toBe(second);
  });

  it('--remove, --restore, --restore: each file goes back with its record (none for the file without a block)', async () => {
    const { fs, base, undo } = setup();
    await migrate(base);
    const migrated = fs.text(CONFIG);
    const record = fs.text(`${CODEX}/${STATE_FILE_NAME}`);
    await removeManagedBlock(undo);
    await restoreBackup(undo);
    expect(fs.text(CONFIG)).toBe(migrated);
    expect(fs.text(`${CODEX}/${STATE_FILE_NAME}`)).toBe(record);
    await restoreBackup(undo);
    expect(fs.text(CONFIG)).toBe(USER);
    // The file without a block has no record: a stale one would claim tables the user may write later.
    expect(fs.exists(`${CODEX}/${STATE_FILE_NAME}`)).toBe(false);
    await restoreBackup(undo);
    expect(fs.text(CONFIG)).toBe(migrated);
    expect(fs.text(`${CODEX}/${STATE_FILE_NAME}`)).toBe(record);
  });

  it('--remove, migrate, --restore: the file without a block comes back without a record', async () => {
    const { fs, base, undo } = setup();
    await migrate(base);
    await removeManagedBlock(undo);
    await migrate(base);
    await restoreBackup(undo);
    expect(fs.text(CONFIG)).toBe(USER);
    expect(fs.exists(`${CODEX}/${STATE_FILE_NAME}`)).toBe(false);
  });

  it('a restore that fails or finds config.toml changed loses neither the backup nor the file it would replace', async () => {
    const enospc = () => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    for (const [label, failing, removeConfig] of [
      ['the write fails', async () => Promise.reject(enospc()), false],
      ['config.toml changed', async () => false, false],
      ['config.toml appeared while restoring to a missing one', async () => false, true],
    ] as const) {
      const { fs, base, undo } = setup();
      await migrate(base);
      await fs.writeFileAtomic(`${HOME}/.hermes/config.yaml`, 'mcp_servers:\n  other:\n    command: node\n');
      await migrate(base);
      if (removeConfig) await fs.rm(CONFIG);
      const files = () => Object.fromEntries(Object.entries(fs.vol.toJSON()).filter(([p]) => p.startsWith(CODEX)));
      const before = files();
      const broken = { ...fs, replaceIfUnchanged: failing };
      const err = await restoreBackup({ ...undo, fs: broken }).then(() => null, (e: unknown) => e);
      expect(err, label).toBeInstanceOf(Error);
      expect(files(), label).toEqual(before);
    }
  });

  it('when the replaced content cannot become the backup, says where it is instead of losing it', async () => {
    const { fs, base, undo } = setup();
    await migrate(base);
    await fs.writeFileAtomic(`${HOME}/.hermes/config.yaml`, 'mcp_servers:\n  other:\n    command: node\n');
    await migrate(base);
    const second = fs.text(CONFIG);
    const first = fs.text(`${CONFIG}.hermes-codex.bak`);
    const broken = {
      ...fs,
      replaceIfUnchanged: (p: string, data: string | Buffer, o: { mode?: number; ownMode?: boolean }, verify: () => Promise<boolean>) =>
        p === `${CONFIG}.hermes-codex.bak` ? Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' })) : fs.replaceIfUnchanged(p, data, o, verify),
    };
    const err = await restoreBackup({ ...undo, fs: broken }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(FileAccessError);
    expect((err as Error).message).toContain(`it is in ${CONFIG}.hermes-codex.bak.replaced`);
    expect(fs.text(CONFIG)).toBe(first);
    expect(fs.text(`${CONFIG}.hermes-codex.bak.replaced`)).toBe(second);
  });

  it('a table equal to one the record names, standing outside an intact block, is the user\'s: --remove keeps it', async () => {
    const { fs, base, undo } = setup(USER, [demo]);
    await migrate(base);
    // Hermes' own migration rewrote the block without the plugin table; then `codex plugin add` wrote one equal to ours outside it.
    const text = fs.text(CONFIG).replace(/\n\[plugins\."demo@local"\]\nenabled = true\n/, '\n');
    await fs.writeFileAtomic(CONFIG, `${text}\n[plugins."demo@local"]\nenabled = true\n`);
    await migrate(base);
    await removeManagedBlock(undo);
    expect((parse(fs.text(CONFIG)) as { plugins?: unknown }).plugins).toEqual({ 'demo@local': { enabled: true } });
  });

  it('puts a consolidated plugin table back with the enabled the block holds now (Codex\'s settings turned it off)', async () => {
    const { fs, base, undo } = setup(`${USER}\n[plugins."demo@local"]\nenabled = true\n`, [demo]);
    await migrate(base);
    await fs.writeFileAtomic(CONFIG, fs.text(CONFIG).replace(/(\[plugins\."demo@local"\]\nenabled = )true/, '$1false'));
    // The next migrate: plugin/list reports the plugin off now, so the block keeps it off (and the record takes that value).
    await migrate({ ...base, discover: async () => ({ plugins: [{ ...demo, enabled: false }], warnings: [] }) });
    await removeManagedBlock(undo);
    expect((parse(fs.text(CONFIG)) as { plugins?: unknown }).plugins).toEqual({ 'demo@local': { enabled: false } });
  });

  it('repairs a default_permissions both in the block and outside it (as Hermes\' migration leaves it) instead of stopping', async () => {
    const { fs, base, undo } = setup();
    await migrate(base);
    await fs.writeFileAtomic(CONFIG, `default_permissions = ":read-only"\n${fs.text(CONFIG)}`);
    expect(() => parse(fs.text(CONFIG))).toThrow();
    await removeManagedBlock(undo);
    expect(parse(fs.text(CONFIG))).toMatchObject({ default_permissions: ':read-only', model: 'o3' });
  });

  it('fails clearly without a backup, writing nothing', async () => {
    const { fs, undo } = setup();
    const err = await restoreBackup(undo).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(FileAccessError);
    expect((err as Error).message).toMatch(/no backup to restore/);
    expect(fs.text(CONFIG)).toBe(USER);
  });
});

/**
 * Doctor check `migration.block` on memfs with scripted process results.
 */
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/migrate/migrate.js';
import { START_MARKER, END_MARKER } from '../../../src/migrate/block-render.js';
import { HOME, HERMES, CODEX, NOW, fakeRun, HERMES_YAML, setup } from '../../helpers/doctor.js';

describe('migration.block', () => {
  async function migrated(files: Record<string, string | null> = {}) {
    const s = setup({ [CODEX]: null, ...files });
    await migrate({ fs: s.fs, run: fakeRun(), env: { PATH: '/bin' }, home: HOME, cwd: HOME, codexBin: '/bin/codex', hermesPython: '/venv/bin/python', plugins: false, now: () => NOW });
    return s;
  }

  it('is ok right after a migration and warns (fixable) about drift when the Hermes config changes', async () => {
    const s = await migrated();
    expect(await s.check('migration.block')).toMatchObject({ status: 'ok', summary: expect.stringMatching(/present .* and current/), facts: { block: 'current' } });
    await s.fs.writeFileAtomic(`${HERMES}/config.yaml`, HERMES_YAML + '  new:\n    command: node\n');
    const r = await s.check('migration.block');
    expect(r).toMatchObject({ status: 'warn', fix: 'migrate', summary: expect.stringMatching(/no longer matches/), facts: { block: 'drift' } });
    expect(r.details.join('\n')).toContain('+[mcp_servers.new]');
  });


  it('never calls the block current when it could not be compared: a Hermes config that cannot be read, or none', async () => {
    const s = await migrated();
    await s.fs.writeFileAtomic(`${HERMES}/config.yaml`, HERMES_YAML + 'mcp_servers:\n  again:\n    command: node\n');
    expect(await s.check('migration.block')).toMatchObject({
      status: 'ok',
      summary: expect.stringMatching(/^present \(lines 1–\d+\); not compared with the Hermes config: it cannot be read \(.*config\.yaml:\d+:\d+: .*mcp_servers/),
      facts: { block: 'unknown' },
    });
    expect(await s.check('hermes.auxiliary')).toMatchObject({ status: 'skip', summary: 'the Hermes config cannot be read (hermes.runtime says why)' });
    // Damage is still reported; its details say the drift was not checked, and why.
    const text = s.fs.text(`${CODEX}/config.toml`);
    await s.fs.writeFileAtomic(`${CODEX}/config.toml`, text.replace(END_MARKER + '\n', ''));
    const damaged = await s.check('migration.block');
    expect(damaged).toMatchObject({ status: 'warn', facts: { block: 'damaged' } });
    expect(damaged.details).toContainEqual(expect.stringMatching(/^drift not checked: not compared with the Hermes config: it cannot be read/));
    await s.fs.writeFileAtomic(`${CODEX}/config.toml`, text);
    await s.fs.rm(`${HERMES}/config.yaml`);
    expect(await s.check('migration.block')).toMatchObject({ status: 'ok', summary: expect.stringMatching(/; no Hermes config to compare it with$/), facts: { block: 'unknown' } });
    expect(await s.check('hermes.auxiliary')).toMatchObject({ status: 'skip', summary: 'no Hermes config' });
  });

  it('reports a missing block, a missing end marker, a block after a table, and two blocks', async () => {
    expect(await setup({ [`${CODEX}/config.toml`]: 'model = "x"\n' }).check('migration.block')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/no managed block/), facts: { block: 'missing' } });
    const s = await migrated();
    const text = s.fs.text(`${CODEX}/config.toml`);
    await s.fs.writeFileAtomic(`${CODEX}/config.toml`, text.replace(END_MARKER + '\n', ''));
    expect(await s.check('migration.block')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/end marker is missing/), facts: { block: 'damaged' } });
    await s.fs.writeFileAtomic(`${CODEX}/config.toml`, '[features]\nx = 1\n\n' + text);
    expect(await s.check('migration.block')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/after the table \[features\]/) });
    await s.fs.writeFileAtomic(`${CODEX}/config.toml`, text + '\n' + text);
    expect(await s.check('migration.block')).toMatchObject({ status: 'fail', summary: expect.stringMatching(/2 managed blocks/) });
  });


  it("tells a profile with its own CODEX_HOME to migrate into that one, not into ~/.codex", async () => {
    // A Hermes root with a space in it: the command must come out shell-quoted.
    const root = '/home/me/my hermes';
    const own = `${root}/profiles/work/codex`;
    const s = setup({ [`${root}/profiles/work/config.yaml`]: HERMES_YAML, [`${own}/config.toml`]: 'model = "x"\n' });
    const r = await s.check('migration.block', { profile: 'work', hermesRoot: root });
    expect(r).toMatchObject({ status: 'warn', summary: `no managed block in ${own}/config.toml` });
    expect(r.remediation).toBe(`Run \`hermes-codex migrate --profile work --hermes-root '${root}' --codex-home '${own}'\` (or add --fix to this doctor run).`);
    expect((await s.check('migration.block')).remediation).toBe('Run `hermes-codex migrate` (or add --fix to this doctor run).');
  });


  it('reports owned tables outside the block and foreign tables inside it', async () => {
    const s = await migrated();
    const text = s.fs.text(`${CODEX}/config.toml`);
    await s.fs.writeFileAtomic(`${CODEX}/config.toml`, text.replace(END_MARKER, '[mcp_servers.mine]\ncommand = "x"\n' + END_MARKER));
    const inside = await s.check('migration.block');
    // Codex's (or your) tables inside the markers are yours, not damage: reported, block still current.
    expect(inside.status).toBe('ok');
    expect(inside.details.join('\n')).toMatch(/inside the block but yours .*mcp_servers\.mine: not written by hermes-codex/);
    await s.fs.writeFileAtomic(`${CODEX}/config.toml`, text.replace(START_MARKER + '\n', '').replace(END_MARKER + '\n', ''));
    const outside = await s.check('migration.block');
    expect(outside.status).toBe('warn');
  });
});

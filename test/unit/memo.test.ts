/**
 * migrate's no-change memo (src/migrate/memo.ts): a re-run whose inputs are
 * byte for byte those of the last run that changed nothing answers from the
 * memo, with the report a full plan gives; any changed input, a damaged memo
 * or another build plans in full; with plugin discovery, so does another
 * listing from codex. Planning is observed on its phase span
 * (`hermes-codex:migrate.plan`), so "answered from the memo" means the plan
 * did not run.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tracingChannel } from 'node:diagnostics_channel';
import { migrate, type MigrateOptions } from '../../src/migrate/migrate.js';
import { removeManagedBlock } from '../../src/migrate/remove.js';
import { MEMO_FILE_NAME, memoKey, parseMemo, type MemoInputs } from '../../src/migrate/memo.js';
import { STATE_FILE_NAME } from '../../src/migrate/state.js';
import { phaseChannelName } from '../../src/core/trace.js';
import { isOurTempFile } from '../../src/fs/filesystem.js';
import type { MigrationReport } from '../../src/migrate/report.js';
import { memFileSystem, type MemFs } from '../helpers/memfs.js';
import { offlineMigration } from '../helpers/migrate.js';

const HOME = '/home/me';
const HERMES = `${HOME}/.hermes`;
const CODEX = `${HOME}/.codex`;
const MEMO = `${CODEX}/${MEMO_FILE_NAME}`;
const YAML = [
  'mcp_servers:',
  '  gh:',
  '    command: npx',
  '    args: ["-y", "@modelcontextprotocol/server-github"]',
  '    env:',
  '      GITHUB_TOKEN: "${GITHUB_TOKEN}"',
  '  docs:',
  '    url: https://docs.example.com/mcp',
  '    headers:',
  '      Authorization: "Bearer ${DOCS_KEY}"',
  '  broken:',
  '    args: ["no command"]',
  '',
].join('\n');

/** Counts runs of the plan (its span's starts). */
let plans = 0;
const onPlan = { start: () => void plans++, end: () => undefined, asyncStart: () => undefined, asyncEnd: () => undefined, error: () => undefined };
beforeEach(() => {
  plans = 0;
  tracingChannel(phaseChannelName('plan')).subscribe(onPlan as never);
});
afterEach(() => tracingChannel(phaseChannelName('plan')).unsubscribe(onPlan as never));

function setup(files: Record<string, string | null> = {}) {
  return offlineMigration(HOME, YAML, { files });
}

/** Migrate until a memo is kept: the first run writes, the second finds nothing to change and keeps the memo. */
async function withMemo(fs: MemFs, base: MigrateOptions): Promise<void> {
  // With discovery, the first run (a new CODEX_HOME: no plugins yet) and the second (the plugins' tables) write.
  for (let run = 0; run < (base.plugins === false ? 1 : 2); run++) {
    expect((await migrate(base)).changed).toBe(true);
    expect(fs.exists(MEMO)).toBe(false); // a run that writes keeps none
  }
  const again = await migrate(base);
  expect(again.changed).toBe(false);
  expect(fs.exists(MEMO)).toBe(true);
}

/** The report of a full plan on the same files (no memo read or kept). */
async function planned(base: MigrateOptions): Promise<MigrationReport> {
  const before = plans;
  const r = await migrate({ ...base, memo: false });
  expect(plans).toBeGreaterThan(before); // twice with discovery: the preflight plan too
  return r;
}

describe('a re-run with unchanged inputs', () => {
  it('answers from the memo, with the report a full plan gives', async () => {
    const { fs, base } = setup();
    await withMemo(fs, base);
    const files = { toml: fs.text(`${CODEX}/config.toml`), record: fs.text(`${CODEX}/${STATE_FILE_NAME}`), memo: fs.text(MEMO) };
    plans = 0;
    const recalled = await migrate(base);
    expect(plans).toBe(0);
    expect(JSON.stringify(recalled)).toBe(JSON.stringify(await planned(base)));
    // The report is a real one: the failed server and the warnings are there.
    expect(recalled.changed).toBe(false);
    expect(recalled.servers.migrated).toEqual(['gh', 'docs']);
    expect(recalled.servers.failed.map((f) => f.name)).toEqual(['broken']);
    // It wrote nothing, the memo included.
    expect({ toml: fs.text(`${CODEX}/config.toml`), record: fs.text(`${CODEX}/${STATE_FILE_NAME}`), memo: fs.text(MEMO) }).toEqual(files);
    expect(fs.modeOf(MEMO)).toBe(0o600);
  });

  it("gives codex's verdict as a full run does: validation on finds codex through the memo's model.codex_bin", async () => {
    const yaml = `model:\n  codex_bin: /opt/codex/bin/codex\n${YAML}`;
    const { fs, base } = setup({ [`${HERMES}/config.yaml`]: yaml, '/opt/codex/bin/codex': '#!/bin/sh\n' });
    await fs.chmod('/opt/codex/bin/codex', 0o755);
    const opts = { ...base, validateWithCodex: true };
    await withMemo(fs, opts);
    plans = 0;
    const recalled = await migrate(opts);
    expect(plans).toBe(0);
    expect(recalled.validation).toEqual({ codex: 'skipped', reason: 'nothing to change', bin: '/opt/codex/bin/codex' });
    expect(JSON.stringify(recalled)).toBe(JSON.stringify(await planned(opts)));
  });
});

describe('with plugin discovery', () => {
  const demo = { key: 'demo@local', name: 'demo', marketplace: 'local', installed: true, enabled: true, availability: 'AVAILABLE', decision: 'migrate' as const, reason: 'installed and available' };
  /** Options whose discovery lists `listing()` at the time of each call, counting the calls. */
  function discovering(base: MigrateOptions, listing: () => { plugins: (typeof demo)[]; warnings: string[] } | Error) {
    const calls = { n: 0 };
    const opts: MigrateOptions = {
      ...base,
      codexBin: '/opt/codex',
      plugins: true,
      discover: async () => {
        calls.n++;
        const l = listing();
        if (l instanceof Error) throw l;
        return l;
      },
    };
    return { opts, calls };
  }

  it('still asks codex, and answers from the memo when codex lists the same plugins', async () => {
    const { fs, base } = setup();
    const { opts, calls } = discovering(base, () => ({ plugins: [demo], warnings: ['a marketplace failed'] }));
    await withMemo(fs, opts);
    plans = 0;
    const recalled = await migrate(opts);
    expect(plans).toBe(0);
    expect(calls.n).toBe(3); // the CODEX_HOME existed on the second run, the third and this one
    expect(recalled.plugins).toMatchObject({ status: 'discovered', migrated: ['demo@local'] });
    expect(recalled.warnings.map((w) => w.message)).toContain('a marketplace failed');
    expect(JSON.stringify(recalled)).toBe(JSON.stringify(await planned(opts)));
  });

  it('plans in full when codex lists other plugins, or fails, and discovers only once', async () => {
    for (const then of [{ plugins: [], warnings: [] }, { plugins: [demo], warnings: [] }, new Error('plugin discovery failed: codex timed out')]) {
      const { fs, base } = setup();
      let now: { plugins: (typeof demo)[]; warnings: string[] } | Error = { plugins: [demo], warnings: ['a marketplace failed'] };
      const { opts, calls } = discovering(base, () => now);
      await withMemo(fs, opts);
      now = then;
      const copy = memFileSystem(Object.fromEntries(Object.entries(fs.vol.toJSON()).filter(([p, t]) => t !== null && !p.endsWith(MEMO_FILE_NAME))) as Record<string, string>);
      const full = await migrate({ ...opts, fs: copy, memo: false });
      plans = 0;
      calls.n = 0;
      const r = await migrate(opts);
      expect(plans).toBe(1);
      expect(calls.n).toBe(1);
      expect(JSON.stringify(r)).toBe(JSON.stringify(full));
    }
  });

  it('a memo kept without discovery is not used with it, nor the other way round', async () => {
    const { fs, base } = setup();
    await withMemo(fs, base);
    const { opts } = discovering(base, () => ({ plugins: [], warnings: [] }));
    plans = 0;
    await migrate(opts);
    expect(plans).toBeGreaterThanOrEqual(1);
  });
});

describe('any changed input plans in full', () => {
  const edits: [string, (fs: MemFs) => Promise<void> | void, (o: MigrateOptions) => MigrateOptions][] = [
    ['a comment added to config.yaml', (fs) => fs.writeFileAtomic(`${HERMES}/config.yaml`, `# mine\n${YAML}`), (o) => o],
    ['a server added to config.yaml', (fs) => fs.writeFileAtomic(`${HERMES}/config.yaml`, `${YAML}  more:\n    command: uvx\n`), (o) => o],
    ['a setting of the user in config.toml', async (fs) => fs.writeFileAtomic(`${CODEX}/config.toml`, `model = "o3"\n${fs.text(`${CODEX}/config.toml`)}`), (o) => o],
    ['the ownership record', async (fs) => fs.writeFileAtomic(`${CODEX}/${STATE_FILE_NAME}`, fs.text(`${CODEX}/${STATE_FILE_NAME}`).replace('"updatedAt"', '"updatedAt" ')), (o) => o],
    ['another permissions profile', () => undefined, (o) => ({ ...o, permissions: ':read-only' })],
    ['another hermes-tools interpreter', (fs) => fs.mkdir('/venv2/bin', { recursive: true }).then(() => fs.writeFileAtomic('/venv2/bin/python', '')), (o) => ({ ...o, hermesPython: '/venv2/bin/python' })],
    ['the hermes-tools interpreter gone (a file-system fact)', (fs) => fs.rm('/venv/bin/python'), (o) => o],
    ['no hermes-tools entry', () => undefined, (o) => ({ ...o, hermesTools: false })],
    ['another home directory', (fs) => fs.mkdir('/home/other', { recursive: true }), (o) => ({ ...o, home: '/home/other', env: { ...o.env, CODEX_HOME: CODEX, HERMES_HOME: HERMES } })],
  ];
  it.each(edits)('%s', async (_what, edit, options) => {
    const { fs, base } = setup();
    await withMemo(fs, base);
    await edit(fs);
    const opts = options(base);
    // The same files, planned in full without any memo.
    const copy = memFileSystem(Object.fromEntries(Object.entries(fs.vol.toJSON()).filter(([p, t]) => t !== null && !p.endsWith(MEMO_FILE_NAME))) as Record<string, string>);
    const full = await migrate({ ...opts, fs: copy, memo: false });
    plans = 0;
    const r = await migrate(opts);
    expect(plans).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(r)).toBe(JSON.stringify(full));
  });

  it('a Codex edit of a managed server is kept, not answered away', async () => {
    const { fs, base } = setup();
    await withMemo(fs, base);
    const toml = fs.text(`${CODEX}/config.toml`);
    await fs.writeFileAtomic(`${CODEX}/config.toml`, toml.replace('[mcp_servers.gh]\n', '[mcp_servers.gh]\nenabled = false\n'));
    const r = await migrate(base);
    expect(r.keptCodexEdits).toEqual([{ entry: 'mcp_servers.gh', keys: ['enabled'] }]);
    expect(fs.text(`${CODEX}/config.toml`)).toContain('enabled = false');
  });
});

describe('what never answers from a memo', () => {
  it('a damaged memo, or one of another schema, is a miss and is replaced', async () => {
    for (const damage of ['{', '{"schemaVersion":2}', 'null', JSON.stringify({ schemaVersion: 1, key: 'k', codexBinSetting: null })]) {
      const { fs, base } = setup();
      await withMemo(fs, base);
      const key = (JSON.parse(fs.text(MEMO)) as { key: string }).key;
      await fs.writeFileAtomic(MEMO, damage.replace('"k"', JSON.stringify(key)));
      plans = 0;
      const r = await migrate(base);
      expect(plans).toBe(1);
      expect(r.servers.migrated).toEqual(['gh', 'docs']);
      expect(parseMemo(fs.text(MEMO))?.key).toBe(key);
    }
  });

  it('dry runs and --diff neither use nor keep one', async () => {
    const { fs, base } = setup();
    await withMemo(fs, base);
    for (const opts of [{ dryRun: true }, { includeDiff: true }] as MigrateOptions[]) {
      plans = 0;
      await migrate({ ...base, ...opts }); // with the memo there: not used
      expect(plans).toBeGreaterThanOrEqual(1);
      const kept = fs.text(MEMO);
      await fs.rm(MEMO);
      await migrate({ ...base, ...opts }); // without: not kept
      expect(fs.exists(MEMO)).toBe(false);
      await fs.writeFileAtomic(MEMO, kept);
    }
  });

  it('a memo that cannot be written leaves the run as it was', async () => {
    const { fs, base } = setup();
    await migrate(base);
    const failing = {
      ...fs,
      replaceIfUnchanged: async (p: string, d: string | Buffer, o: { mode?: number; ownMode?: boolean }, verify: () => Promise<boolean>) =>
        p === MEMO ? Promise.reject(Object.assign(new Error('EROFS'), { code: 'EROFS' })) : fs.replaceIfUnchanged(p, d, o, verify),
    };
    const r = await migrate({ ...base, fs: failing });
    expect(r.changed).toBe(false);
    expect(fs.exists(MEMO)).toBe(false);
  });

  it("a killed writer's temporary memo is swept by the next lock holder", async () => {
    const temp = `.${MEMO_FILE_NAME}.hermes-codex-4242-0a1b2c.tmp`; // the name the memo's writer gives its temp file
    expect(isOurTempFile(temp)).toBe(true);
    expect(isOurTempFile(MEMO_FILE_NAME)).toBe(false);
    const { fs, base } = setup();
    await migrate(base);
    await fs.writeFileAtomic(`${CODEX}/${temp}`, '{');
    await fs.writeFileAtomic(`${HERMES}/config.yaml`, `${YAML}  more:\n    command: uvx\n`);
    await migrate(base); // writes, so it takes the lock and sweeps
    expect(fs.exists(`${CODEX}/${temp}`)).toBe(false);
  });

  it('--remove takes the memo away with the record', async () => {
    const { fs, base } = setup();
    await withMemo(fs, base);
    await removeManagedBlock({ fs, env: base.env!, home: HOME, cwd: HOME });
    expect(fs.exists(MEMO)).toBe(false);
    expect(fs.exists(`${CODEX}/${STATE_FILE_NAME}`)).toBe(false);
  });
});

describe('memoKey', () => {
  const inputs: MemoInputs = {
    build: '0.1.0+abc',
    hermesLocation: { path: '/h/config.yaml', source: 'default' },
    hermesText: 'mcp_servers: {}\n',
    codexHome: { path: '/c', source: 'default', exists: true },
    configPath: '/c/config.toml',
    configText: 'a = 1\n',
    recordText: '{}\n',
    options: { hermesTools: true, permissions: ':workspace', plugins: false },
    hermesTools: { python: { command: '/p', source: 'flag' } },
    homeDir: '/home/me',
  };
  it('changes with every input, including another build', () => {
    const base = memoKey(inputs);
    expect(memoKey({ ...inputs })).toBe(base);
    const variants: Partial<MemoInputs>[] = [
      { build: '0.1.0+abd' },
      { hermesLocation: { path: '/h/config.yaml', source: 'HERMES_HOME' } },
      { hermesText: 'mcp_servers: {} \n' },
      { codexHome: { path: '/c', source: 'CODEX_HOME', exists: true } },
      { configPath: '/d/config.toml' },
      { configText: null },
      { configText: '' },
      { recordText: null },
      { options: { hermesTools: true, permissions: null, plugins: false } },
      { hermesTools: null },
      { homeDir: undefined },
    ];
    const keys = variants.map((v) => memoKey({ ...inputs, ...v }));
    expect(new Set([base, ...keys]).size).toBe(variants.length + 1);
  });
  it('does not let one text run into the next', () => {
    expect(memoKey({ ...inputs, configText: 'a', recordText: 'b' })).not.toBe(memoKey({ ...inputs, configText: 'ab', recordText: '' }));
  });
});

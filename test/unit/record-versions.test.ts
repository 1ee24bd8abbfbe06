/**
 * Ownership records written before version 3 (src/migrate/state.ts): a
 * CODEX_HOME that an older hermes-codex migrated is judged by its record
 * exactly as by a record of today, and the next write replaces it with a
 * version 3 record. The old records are made here the way those releases
 * made them, from the same canonical JSON (`canonicalJson`, unchanged
 * since), per entry and per generated key: SHA-256 (hex) for version 1,
 * cyrb53 (`fingerprint`) for version 2.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { migrate } from '../../src/migrate/migrate.js';
import { removeManagedBlock } from '../../src/migrate/remove.js';
import { STATE_FILE_NAME, STATE_SCHEMA_VERSION, entryValue, readState, type OwnershipState } from '../../src/migrate/state.js';
import { canonicalJson, parseCodexToml } from '../../src/config/codex-toml.js';
import { fingerprint } from '../../src/core/fingerprint.js';
import type { MemFs } from '../helpers/memfs.js';
import { offlineMigration } from '../helpers/migrate.js';

const HOME = '/home/me';
const CODEX = `${HOME}/.codex`;
const RECORD = `${CODEX}/${STATE_FILE_NAME}`;
const YAML = [
  'mcp_servers:',
  '  gh:',
  '    command: npx',
  '    args: ["-y", "@modelcontextprotocol/server-github"]',
  '  docs:',
  '    url: https://docs.example.com/mcp',
  '',
].join('\n');

const setup = () => offlineMigration(HOME, YAML, { now: '2026-12-08T00:00:00Z' });

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** An earlier record version: 1 (SHA-256 fingerprints) or 2 (cyrb53 fingerprints). */
type Earlier = 1 | 2;

/** Rewrite today's record as a record of `version` for the same config.toml. */
async function downgradeRecord(fs: MemFs, version: Earlier): Promise<OwnershipState> {
  const hash = version === 1 ? sha256 : (text: string) => fingerprint(text);
  const now = JSON.parse(fs.text(RECORD)) as OwnershipState;
  const doc = parseCodexToml(fs.text(`${CODEX}/config.toml`), `${CODEX}/config.toml`);
  const old: OwnershipState = {
    ...now,
    schemaVersion: version,
    entries: now.entries.map((e) => {
      const value = entryValue(doc, e.ref);
      const digest = hash(canonicalJson(value) ?? 'undefined');
      const generated = e.value ? Object.keys(e.value).filter((k) => !e.carried?.includes(k)) : e.keys ? Object.keys(e.keys) : null;
      if (!generated) return { ref: e.ref, digest };
      const table = value as Record<string, unknown>;
      return { ref: e.ref, digest, keys: Object.fromEntries(generated.map((k) => [k, hash(canonicalJson(table[k]) ?? 'undefined')])) };
    }),
  };
  await fs.writeFileAtomic(RECORD, JSON.stringify(old, null, 2) + '\n');
  return old;
}

/** A CODEX_HOME one run migrated, its record rewritten as one of `version` (3: left as written). */
async function migrated(version: Earlier | 3): Promise<ReturnType<typeof setup>> {
  const ran = setup();
  await migrate(ran.base);
  if (version !== 3) await downgradeRecord(ran.fs, version);
  return ran;
}

/** Another writer's change to config.toml: `edit` of its text, which must change it. */
async function editConfig(fs: MemFs, edit: (toml: string) => string): Promise<void> {
  const toml = fs.text(`${CODEX}/config.toml`);
  const edited = edit(toml);
  expect(edited).not.toBe(toml);
  await fs.writeFileAtomic(`${CODEX}/config.toml`, edited);
}

describe("today's record (version 3)", () => {
  it('holds each server table by its value and everything else by a 14-hex-digit fingerprint', async () => {
    const { fs } = await migrated(3);
    const record = JSON.parse(fs.text(RECORD)) as OwnershipState;
    expect(record.schemaVersion).toBe(STATE_SCHEMA_VERSION);
    expect(STATE_SCHEMA_VERSION).toBe(3);
    const doc = parseCodexToml(fs.text(`${CODEX}/config.toml`), `${CODEX}/config.toml`);
    for (const e of record.entries) {
      if (e.ref.kind === 'mcp_servers') expect(e).toEqual({ ref: e.ref, value: entryValue(doc, e.ref) });
      else expect(e.digest).toMatch(/^[0-9a-f]{14}$/);
    }
    expect(record.entries.filter((e) => e.value).map((e) => e.ref.name)).toEqual(['gh', 'docs', 'hermes-tools']);
  });

  it('is read back as written; an entry by value that is not a server table, or in an older version, makes the record malformed', async () => {
    const { fs } = await migrated(3);
    const record = JSON.parse(fs.text(RECORD)) as OwnershipState;
    expect((await readState(fs, CODEX)).state).toEqual(record);
    const gh = { ref: { kind: 'mcp_servers', name: 'gh' }, value: { command: 'npx' } };
    const bad: unknown[] = [
      { ...gh, ref: { kind: 'plugins', name: 'gh' } },
      { ...gh, value: ['npx'] },
      { ...gh, value: null },
      { ...gh, carried: 'enabled' },
      { ...gh, carried: [1] },
      { ...gh, digest: 'ab' },
      { ref: gh.ref },
    ];
    for (const entry of bad) {
      await fs.writeFileAtomic(RECORD, JSON.stringify({ ...record, entries: [entry] }));
      expect((await readState(fs, CODEX)).problem, JSON.stringify(entry)).toMatch(/is malformed; ignored$/);
    }
    await fs.writeFileAtomic(RECORD, JSON.stringify({ ...record, schemaVersion: 2, entries: [gh] }));
    expect((await readState(fs, CODEX)).problem).toMatch(/is malformed; ignored$/);
    await fs.writeFileAtomic(RECORD, JSON.stringify({ ...record, entries: [{ ...gh, carried: ['enabled'] }] }));
    expect((await readState(fs, CODEX)).state?.entries).toEqual([{ ...gh, carried: ['enabled'] }]);
    await fs.writeFileAtomic(RECORD, JSON.stringify({ ...record, schemaVersion: 4 }));
    expect((await readState(fs, CODEX)).problem).toMatch(/has an unknown format; ignored$/);
  });
});

describe.each([
  { version: 1 as const, scheme: 'SHA-256', digits: 64 },
  { version: 2 as const, scheme: 'cyrb53', digits: 14 },
])('a version $version ownership record ($scheme fingerprints)', ({ version, scheme, digits }) => {
  it('a re-run on an unchanged CODEX_HOME changes nothing in config.toml, and the record becomes version 3', async () => {
    const { fs, base } = await migrated(3);
    const toml = fs.text(`${CODEX}/config.toml`);
    const today = fs.text(RECORD);
    const old = await downgradeRecord(fs, version);
    expect(old.entries[0]!.digest).toMatch(new RegExp(`^[0-9a-f]{${digits}}$`));
    const r = await migrate(base);
    expect(r.keptCodexEdits).toEqual([]);
    expect(r.servers.migrated).toEqual(['gh', 'docs']);
    expect(fs.text(`${CODEX}/config.toml`)).toBe(toml);
    // The record is rewritten in today's form: the same as a run of today's would have left.
    expect(JSON.parse(fs.text(RECORD))).toEqual(JSON.parse(today));
  });

  it(`tells a key Codex edited from the keys it generated, by the ${scheme} per-key fingerprints`, async () => {
    const outcome = async (v: Earlier | 3) => {
      const { fs, base } = await migrated(v);
      await editConfig(fs, (toml) => toml.replace('[mcp_servers.gh]\n', '[mcp_servers.gh]\nenabled = false\n'));
      // Hermes changes gh's arguments meanwhile: a generated key, replaced; the edit is carried over.
      await fs.writeFileAtomic(`${HOME}/.hermes/config.yaml`, YAML.replace('server-github"]', 'server-github", "--read-only"]'));
      const r = await migrate(base);
      return { edits: r.keptCodexEdits, toml: fs.text(`${CODEX}/config.toml`), record: JSON.parse(fs.text(RECORD)) as OwnershipState };
    };
    const old = await outcome(version);
    expect(old.edits).toEqual([{ entry: 'mcp_servers.gh', keys: ['enabled'] }]);
    expect(old.toml).toContain('enabled = false');
    expect(old.toml).toContain('"--read-only"');
    expect(old.record.schemaVersion).toBe(3);
    expect(old.record.entries.find((e) => e.ref.name === 'gh')!.carried).toEqual(['enabled']);
    expect(old).toEqual(await outcome(3));
  });

  it('--remove takes out what the record says is ours and keeps a table Codex added inside the markers, as with a record of today', async () => {
    const outcome = async (v: Earlier | 3) => {
      const { fs, base } = await migrated(v);
      await editConfig(fs, (toml) => toml.replace('[mcp_servers.gh]\n', '[mcp_servers.added]\ncommand = "mine"\n\n[mcp_servers.gh]\n'));
      await removeManagedBlock({ fs, env: base.env!, home: HOME, cwd: HOME });
      return fs.text(`${CODEX}/config.toml`);
    };
    const old = await outcome(version);
    expect(old).toContain('[mcp_servers.added]');
    expect(old).not.toContain('[mcp_servers.gh]');
    expect(old).not.toContain('[mcp_servers.docs]');
    expect(old).toBe(await outcome(3));
  });

  it("recognises its tables after another writer removed the block's markers, as a record of today does", async () => {
    const outcome = async (v: Earlier | 3) => {
      const { fs, base } = await migrated(v);
      await editConfig(fs, (toml) => toml.split('\n').filter((l) => !/^# (managed by|end of)/.test(l)).join('\n'));
      const r = await migrate(base);
      return { recovered: r.recoveredTables, toml: fs.text(`${CODEX}/config.toml`), record: JSON.parse(fs.text(RECORD)) as OwnershipState };
    };
    const old = await outcome(version);
    expect(old.recovered).toEqual(expect.arrayContaining(['mcp_servers.gh', 'mcp_servers.docs']));
    expect(old.toml.match(/^\[mcp_servers\.gh\]$/gm)).toHaveLength(1);
    expect(old).toEqual(await outcome(3));
  });
});

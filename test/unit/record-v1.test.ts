/**
 * An ownership record written before version 2 (SHA-256 fingerprints,
 * src/migrate/state.ts): a CODEX_HOME that an older hermes-codex migrated is
 * judged by it exactly as by a record of today, and the next write replaces
 * it with a version 2 record. The version 1 record is made here the way
 * those releases made it: SHA-256 (hex) of the same canonical JSON
 * (`canonicalJson`, unchanged since), per entry and per generated key.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { migrate } from '../../src/migrate/migrate.js';
import { removeManagedBlock } from '../../src/migrate/remove.js';
import { STATE_FILE_NAME, STATE_SCHEMA_VERSION, entryValue, type OwnershipState } from '../../src/migrate/state.js';
import { canonicalJson, parseCodexToml } from '../../src/config/codex-toml.js';
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

/** Rewrite today's record as a version 1 record of the same config.toml. */
async function downgradeRecord(fs: MemFs): Promise<OwnershipState> {
  const now = JSON.parse(fs.text(RECORD)) as OwnershipState;
  const doc = parseCodexToml(fs.text(`${CODEX}/config.toml`), `${CODEX}/config.toml`);
  const v1: OwnershipState = {
    ...now,
    schemaVersion: 1,
    entries: now.entries.map((e) => {
      const value = entryValue(doc, e.ref);
      const digest = sha256(canonicalJson(value) ?? 'undefined');
      if (!e.keys) return { ref: e.ref, digest };
      const table = value as Record<string, unknown>;
      return { ref: e.ref, digest, keys: Object.fromEntries(Object.keys(e.keys).map((k) => [k, sha256(canonicalJson(table[k]) ?? 'undefined')])) };
    }),
  };
  await fs.writeFileAtomic(RECORD, JSON.stringify(v1, null, 2) + '\n');
  return v1;
}

/** A CODEX_HOME one run migrated, its record rewritten as version 1 when `v1`. */
async function migrated(v1: boolean): Promise<ReturnType<typeof setup>> {
  const ran = setup();
  await migrate(ran.base);
  if (v1) await downgradeRecord(ran.fs);
  return ran;
}

/** Another writer's change to config.toml: `edit` of its text, which must change it. */
async function editConfig(fs: MemFs, edit: (toml: string) => string): Promise<void> {
  const toml = fs.text(`${CODEX}/config.toml`);
  const edited = edit(toml);
  expect(edited).not.toBe(toml);
  await fs.writeFileAtomic(`${CODEX}/config.toml`, edited);
}

describe('a version 1 ownership record (SHA-256 fingerprints)', () => {
  it('today writes version 2, with 14-hex-digit fingerprints', async () => {
    const { fs } = await migrated(false);
    const record = JSON.parse(fs.text(RECORD)) as OwnershipState;
    expect(record.schemaVersion).toBe(STATE_SCHEMA_VERSION);
    expect(STATE_SCHEMA_VERSION).toBe(2);
    for (const e of record.entries) {
      expect(e.digest).toMatch(/^[0-9a-f]{14}$/);
      for (const d of Object.values(e.keys ?? {})) expect(d).toMatch(/^[0-9a-f]{14}$/);
    }
  });

  it('a re-run on an unchanged CODEX_HOME changes nothing in config.toml, and the record becomes version 2', async () => {
    const { fs, base } = await migrated(false);
    const toml = fs.text(`${CODEX}/config.toml`);
    const today = fs.text(RECORD);
    const v1 = await downgradeRecord(fs);
    expect(v1.entries[0]!.digest).toMatch(/^[0-9a-f]{64}$/);
    const r = await migrate(base);
    expect(r.keptCodexEdits).toEqual([]);
    expect(r.servers.migrated).toEqual(['gh', 'docs']);
    expect(fs.text(`${CODEX}/config.toml`)).toBe(toml);
    // The record is rewritten in today's scheme: the same as a run of today's would have left.
    expect(JSON.parse(fs.text(RECORD))).toEqual(JSON.parse(today));
  });

  it('tells a key Codex edited from the keys it generated, by the SHA-256 per-key fingerprints', async () => {
    const { fs, base } = await migrated(true);
    await editConfig(fs, (toml) => toml.replace('[mcp_servers.gh]\n', '[mcp_servers.gh]\nenabled = false\n'));
    // Hermes changes gh's arguments meanwhile: a generated key, replaced; the edit is carried over.
    await fs.writeFileAtomic(`${HOME}/.hermes/config.yaml`, YAML.replace('server-github"]', 'server-github", "--read-only"]'));
    const r = await migrate(base);
    expect(r.keptCodexEdits).toEqual([{ entry: 'mcp_servers.gh', keys: ['enabled'] }]);
    const after = fs.text(`${CODEX}/config.toml`);
    expect(after).toContain('enabled = false');
    expect(after).toContain('"--read-only"');
    expect((JSON.parse(fs.text(RECORD)) as OwnershipState).schemaVersion).toBe(2);
  });

  it('--remove takes out what the record says is ours and keeps a table Codex added inside the markers, as with a record of today', async () => {
    const outcome = async (v1: boolean) => {
      const { fs, base } = await migrated(v1);
      await editConfig(fs, (toml) => toml.replace('[mcp_servers.gh]\n', '[mcp_servers.added]\ncommand = "mine"\n\n[mcp_servers.gh]\n'));
      await removeManagedBlock({ fs, env: base.env!, home: HOME, cwd: HOME });
      return fs.text(`${CODEX}/config.toml`);
    };
    const v1 = await outcome(true);
    expect(v1).toContain('[mcp_servers.added]');
    expect(v1).not.toContain('[mcp_servers.gh]');
    expect(v1).not.toContain('[mcp_servers.docs]');
    expect(v1).toBe(await outcome(false));
  });

  it('recognises its tables after another writer removed the block\'s markers, as a record of today does', async () => {
    const outcome = async (v1: boolean) => {
      const { fs, base } = await migrated(v1);
      await editConfig(fs, (toml) => toml.split('\n').filter((l) => !/^# (managed by|end of)/.test(l)).join('\n'));
      const r = await migrate(base);
      return { recovered: r.recoveredTables, toml: fs.text(`${CODEX}/config.toml`), record: JSON.parse(fs.text(RECORD)) as OwnershipState };
    };
    const v1 = await outcome(true);
    expect(v1.recovered).toEqual(expect.arrayContaining(['mcp_servers.gh', 'mcp_servers.docs']));
    expect(v1.toml.match(/^\[mcp_servers\.gh\]$/gm)).toHaveLength(1);
    expect(v1).toEqual(await outcome(false));
  });
});

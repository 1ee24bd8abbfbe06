/**
 * Random sequences of migrate (with and without plugin discovery), --remove,
 * --restore, dry runs, changes to Hermes' servers, the user's own edits
 * outside the block, what codex does to the file (`codex mcp add` inside the
 * block, its config writer editing a managed server or turning a plugin off,
 * `codex plugin add`, an end marker lost) and Hermes' own migration rewriting
 * the block, on memfs, from starting files that include CRLF line ends, a
 * byte-order mark and a block Hermes' own migration wrote. After every step of
 * ours: config.toml parses and has at most one block (Hermes' migration may
 * leave a key both in its block and outside it, which codex refuses: the next
 * migrate or --remove heals it); the ownership record goes with the file (a
 * record only beside a file with a block, every entry it claims present), and
 * so does the record's backup with config.toml's backup (what --restore brings
 * back together); --remove keeps the user's data, and gives back the starting
 * file byte for byte after only migrate runs; what codex added or edited
 * survives migrate and --remove, a plugin table `codex plugin add` wrote comes
 * back from --remove as written, a plugin turned off stays off; right after
 * migrate a re-run changes nothing and the block inspects as current (doctor,
 * `runtime status`). Runs HERMES_CODEX_PROPERTY_RUNS sequences (default 150).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'smol-toml';
import { migrate, BACKUP_SUFFIX, type MigrateOptions } from '../../src/migrate/migrate.js';
import { removeManagedBlock, restoreBackup } from '../../src/migrate/remove.js';
import { inspectManagedBlock } from '../../src/migrate/inspect.js';
import { END_MARKER, START_MARKER } from '../../src/migrate/block-render.js';
import { stripBlock, entryId, type EntryRef } from '../../src/migrate/block.js';
import { STATE_FILE_NAME, entryValue, type OwnershipState } from '../../src/migrate/state.js';
import { STATE_BACKUP_SUFFIX } from '../../src/migrate/backup.js';
import { ConfigSyntaxError, FileAccessError } from '../../src/core/errors.js';
import { memFileSystem, type MemFs } from '../helpers/memfs.js';

const RUNS = Number(process.env['HERMES_CODEX_PROPERTY_RUNS'] ?? 150);
const HOME = '/home/me';
const CODEX = `${HOME}/.codex`;
const CONFIG = `${CODEX}/config.toml`;
const STATE = `${CODEX}/${STATE_FILE_NAME}`;
const YAML = `${HOME}/.hermes/config.yaml`;

/** Hermes configs the sequence switches between (server sets overlap, one is empty). */
const HERMES = [
  'mcp_servers:\n  gh:\n    command: npx\n',
  'mcp_servers:\n  gh:\n    command: npx\n    args: ["-y", "gh"]\n  docs:\n    url: https://d.example/mcp\n',
  'mcp_servers: {}\n',
  'mcp_servers:\n  docs:\n    url: https://d.example/mcp\n    enabled: false\n',
];
const USER_START = [
  '',
  'model = "o3"\n',
  '# mine\nmodel = "o3"\n\n[features]\nweb_search = true\n',
  '[projects."/w"]\ntrust_level = "trusted"\n',
  // Windows line ends and a byte-order mark, no final line end.
  '\uFEFFmodel = "o3"\r\n\r\n[features]\r\nweb_search = true',
  // A block Hermes' own Python migration wrote (no record: adopted on the first run).
  `model = "o3"\n\n${START_MARKER}\ndefault_permissions = ":workspace"\n\n[mcp_servers.gh]\ncommand = "old"\n\n[mcp_servers.hermes-tools]\ncommand = "python3"\nargs = ["-m", "agent.transports.hermes_tools_mcp_server"]\n${END_MARKER}\n\n[features]\nx = 1\n`,
];

type Step =
  | { kind: 'migrate'; hermes: number; permissions: boolean; hermesTools: boolean; plugins: boolean }
  | { kind: 'dry-run' }
  | { kind: 'remove' }
  | { kind: 'restore' }
  | { kind: 'user-edit'; n: number }
  | { kind: 'codex-add'; n: number }
  | { kind: 'codex-edit' }
  | { kind: 'drop-end-marker' }
  | { kind: 'plugin-add'; enabled: boolean }
  | { kind: 'plugin-disable' }
  | { kind: 'hermes-migrate' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('migrate' as const), hermes: fc.integer({ min: 0, max: HERMES.length - 1 }), permissions: fc.boolean(), hermesTools: fc.boolean(), plugins: fc.boolean() }),
  fc.constant({ kind: 'dry-run' as const }),
  fc.constant({ kind: 'remove' as const }),
  fc.constant({ kind: 'restore' as const }),
  fc.record({ kind: fc.constant('user-edit' as const), n: fc.integer({ min: 0, max: 99 }) }),
  fc.record({ kind: fc.constant('codex-add' as const), n: fc.integer({ min: 0, max: 99 }) }),
  fc.constant({ kind: 'codex-edit' as const }),
  fc.constant({ kind: 'drop-end-marker' as const }),
  fc.record({ kind: fc.constant('plugin-add' as const), enabled: fc.boolean() }),
  fc.constant({ kind: 'plugin-disable' as const }),
  fc.constant({ kind: 'hermes-migrate' as const }),
);

/**
 * What Hermes' own Python migration does to a file with a block: the text
 * between the markers replaced with its own rendering of Hermes' servers
 * (the shape of the blocks it writes; it keeps no record of ours).
 */
function hermesMigrate(text: string, hermesIndex: number): string {
  const start = text.indexOf(START_MARKER);
  const endAt = text.indexOf(END_MARKER);
  if (start === -1 || endAt === -1 || endAt < start) return text;
  const servers = (HERMES[hermesIndex]!.includes('  gh:') ? '[mcp_servers.gh]\ncommand = "npx"\n\n' : '') + (HERMES[hermesIndex]!.includes('  docs:') ? '[mcp_servers.docs]\nurl = "https://d.example/mcp"\n\n' : '');
  const block = `${START_MARKER}\ndefault_permissions = ":workspace"\n\n${servers}[mcp_servers.hermes-tools]\ncommand = "python3"\nargs = ["-m", "agent.transports.hermes_tools_mcp_server"]\n${END_MARKER}`;
  return text.slice(0, start) + block + text.slice(endAt + END_MARKER.length);
}

/** An installed plugin discovery reports, to be enabled in the block. */
const DEMO = { key: 'demo@local', name: 'demo', marketplace: 'local', installed: true, enabled: true, availability: 'AVAILABLE', decision: 'migrate' as const, reason: 'ok' };

/** A file's data, or null when it does not parse (Hermes' migration can leave such a file for the next run to heal). */
function tryParse(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    return parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return null;
  }
}

/** The plugin's `enabled` as codex reads it from a file (true when the file does not say). */
function pluginEnabled(text: string | null): boolean {
  if (text === null) return true;
  const d = tryParse(text);
  const v = d ? (entryValue(d, { kind: 'plugins', name: DEMO.key }) as { enabled?: unknown } | undefined) : undefined;
  return v?.enabled !== false;
}

/** The `[plugins.*]` keys a file has. */
function pluginKeys(text: string | null): string[] {
  if (text === null) return [];
  return Object.keys(((tryParse(text) ?? {}) as { plugins?: Record<string, unknown> }).plugins ?? {}).sort();
}

/** What Codex's config writer does to a managed server: a key set in place, in the table inside the block. */
function codexEdit(text: string): string {
  const m = /^\[mcp_servers\.(gh|docs)\]\r?\n/m.exec(text);
  if (!m || !text.includes(START_MARKER) || /^startup_timeout_sec = 42\.0$/m.test(text)) return text;
  const at = m.index + m[0].length;
  // Codex's config writer sets a key in place: an existing line in the table takes the new value.
  const next = text.slice(at).search(/^\[/m);
  const end = next === -1 ? text.length : at + next;
  const table = text.slice(at, end);
  if (/^startup_timeout_sec = .*$/m.test(table)) return text.slice(0, at) + table.replace(/^startup_timeout_sec = .*$/m, 'startup_timeout_sec = 42.0') + text.slice(end);
  return `${text.slice(0, at)}startup_timeout_sec = 42.0\n${text.slice(at)}`;
}

/** What `codex mcp add` does to a file with a block: its table lands inside the block, before the end marker. */
function codexAdd(text: string, name: string): string {
  const table = `[mcp_servers.${name}]\ncommand = "added"\n`;
  const end = text.indexOf(END_MARKER);
  if (end === -1) return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}\n${table}`;
  const lineStart = text.lastIndexOf('\n', end) + 1;
  return `${text.slice(0, lineStart)}\n${table}${text.slice(lineStart)}`;
}

/** A file's data without the `codex mcp add` tables (and without an `mcp_servers` they leave empty). */
function withoutAdded(text: string): Record<string, unknown> {
  const doc = parse(text.replace(/^\uFEFF/, '')) as { mcp_servers?: Record<string, unknown> };
  const servers = Object.fromEntries(Object.entries(doc.mcp_servers ?? {}).filter(([k]) => !k.startsWith('added_')));
  const { mcp_servers: _, ...rest } = doc;
  return Object.keys(servers).length ? { ...rest, mcp_servers: servers } : rest;
}

/** The `codex mcp add` tables a file has. */
function addedTables(text: string | null): Record<string, unknown> {
  if (text === null) return {};
  const servers = ((tryParse(text) ?? {}) as { mcp_servers?: Record<string, unknown> }).mcp_servers ?? {};
  return Object.fromEntries(Object.entries(servers).filter(([k]) => k.startsWith('added_')));
}

function readRecord(fs: MemFs, p: string): OwnershipState | null {
  return fs.exists(p) ? (JSON.parse(fs.text(p)) as OwnershipState) : null;
}

/** A record only beside a file with a block, and every entry it claims is in that file. */
function recordMatches(text: string | null, record: OwnershipState | null, where: string): void {
  const hasBlock = text !== null && text.includes(START_MARKER);
  if (!hasBlock) {
    expect(record, `${where}: a record beside a file without a block`).toBeNull();
    return;
  }
  if (!record) return; // a block without a record: adopted as Hermes' own on the next run
  const doc = parse(text.replace(/^\uFEFF/, ''));
  for (const e of record.entries) {
    expect(entryValue(doc, e.ref as EntryRef), `${where}: the record claims ${entryId(e.ref as EntryRef)}, which the file does not have`).not.toBeUndefined();
  }
}

describe('sequences of commands', () => {
  it('keep config.toml, the record and their backups consistent, and the user\'s data intact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: USER_START.length - 1 }), fc.array(step, { minLength: 1, maxLength: 10 }), async (start, steps) => {
        const fs = memFileSystem({ [YAML]: HERMES[0]!, '/venv/bin/python': '', '/bin/codex': '', ...(USER_START[start] ? { [CONFIG]: USER_START[start]! } : { [`${CODEX}/.keep`]: '' }) });
        const base: MigrateOptions = { fs, env: { PATH: '/nowhere' }, home: HOME, cwd: HOME, hermesPython: '/venv/bin/python', validateWithCodex: false, plugins: false, now: () => new Date(0) };
        const undo = { fs, env: { PATH: '/nowhere' }, home: HOME, cwd: HOME };
        // Only migrate, dry runs and --remove so far: --remove must give back the starting file byte for byte.
        let pristine = true;
        let userPlugin = false;
        // Hermes' own migration rewrote the block since our last write: our record may claim what it took out.
        let foreign = false;
        let hermesRan = false;
        let markerDropped = false;
        let hermesIndex = 0;
        let userEnabled = true;
        let restored = false;
        for (const [i, s] of steps.entries()) {
          const where = `step ${i} (${JSON.stringify(s)})`;
          const before = fs.exists(CONFIG) ? fs.text(CONFIG) : null;
          const hadRecord = fs.exists(STATE);
          // One tangle the tools refuse rather than guess at: Hermes' migration put a key both in its block and
          // outside it, and the end marker went too, so the block swallows the outside copy (Hermes' own reading of a
          // block without an end marker does the same). Our commands must then refuse with the file's line, writing nothing.
          if (hermesRan && markerDropped && before !== null && tryParse(before) === null && (s.kind === 'migrate' || s.kind === 'dry-run' || s.kind === 'remove')) {
            const refused = await (s.kind === 'remove' ? removeManagedBlock(undo) : migrate({ ...base, dryRun: s.kind === 'dry-run' })).then(() => null, (e: unknown) => e);
            if (refused !== null) {
              expect(refused, where).toBeInstanceOf(ConfigSyntaxError);
              expect(fs.text(CONFIG), where).toBe(before);
              continue;
            }
          }
          if (s.kind === 'migrate') {
            fs.vol.writeFileSync(YAML, HERMES[s.hermes]!);
            hermesIndex = s.hermes;
            // Like codex's plugin/list, discovery reports the plugin's `enabled` as config.toml has it.
            const discover = async () => ({ plugins: [{ ...DEMO, enabled: pluginEnabled(fs.exists(CONFIG) ? fs.text(CONFIG) : null) }], warnings: [] });
            const opts: MigrateOptions = { ...base, permissions: s.permissions ? ':workspace' : false, hermesTools: s.hermesTools, ...(s.plugins ? { plugins: true, codexBin: '/bin/codex', discover } : {}) };
            await migrate(opts);
            // Right after a run: a second run changes nothing, and doctor, `runtime status` and `profile list` call the block current.
            expect((await migrate({ ...opts, dryRun: true })).changed, `${where}: a re-run would change it`).toBe(false);
            expect((await inspectManagedBlock(CODEX, undo)).state, `${where}: the block is not current right after migrate`).toBe('current');
          } else if (s.kind === 'dry-run') {
            await migrate({ ...base, dryRun: true });
            expect(fs.exists(CONFIG) ? fs.text(CONFIG) : null, where).toBe(before);
          } else if (s.kind === 'remove') {
            await removeManagedBlock(undo);
            const after = fs.exists(CONFIG) ? fs.text(CONFIG) : null;
            if (pristine && USER_START[start] && !USER_START[start]!.includes(START_MARKER)) expect(after, `${where}: --remove did not give back the starting file byte for byte`).toBe(USER_START[start]);
            if (before !== null) {
              expect(after!.includes(START_MARKER), where).toBe(false);
              // What is left holds the user's data as it stood outside the block (and what others put inside it: checked below).
              expect(withoutAdded(after!), where).toMatchObject(withoutAdded(stripBlock(before, CONFIG)));
            }
          } else if (s.kind === 'restore') {
            userPlugin = false; // an older file: whose the table is there is not tracked
            const had = fs.exists(CONFIG + BACKUP_SUFFIX);
            const err = await restoreBackup(undo).then(() => null, (e: unknown) => e);
            restored = err === null;
            if (had) expect(err, where).toBeNull();
            else expect(err, where).toBeInstanceOf(FileAccessError);
          } else if (s.kind === 'codex-edit') {
            if (before !== null) fs.vol.writeFileSync(CONFIG, codexEdit(before));
          } else if (s.kind === 'drop-end-marker') {
            markerDropped = true;
            userPlugin = false; // a plugin table after the block now reads as inside it (Hermes reads such a block the same way)
            // What `codex plugin marketplace remove` was seen to do (doctor's migration.block names it).
            if (before !== null) fs.vol.writeFileSync(CONFIG, before.split('\n').filter((l) => l.trim() !== END_MARKER).join('\n'));
          } else if (s.kind === 'hermes-migrate') {
            if (before !== null) fs.vol.writeFileSync(CONFIG, hermesMigrate(before, hermesIndex));
            foreign = true;
            hermesRan = true;
            userPlugin = false; // its rewrite drops the plugin table: what the user last chose is no longer in the file
          } else if (s.kind === 'plugin-disable') {
            // Codex's settings turning the plugin off: its config writer sets the key in place, inside the block or not.
            if (before !== null) fs.vol.writeFileSync(CONFIG, before.replace(/^(\[plugins\."demo@local"\]\r?\nenabled = )true$/m, '$1false'));
            if (before !== null && pluginKeys(before).includes(DEMO.key)) userEnabled = false;
          } else if (s.kind === 'plugin-add') {
            // What `codex plugin add` writes, outside the block.
            // (Not into a file codex refuses: `codex plugin add` would not get that far.)
            if (before !== null && tryParse(before) !== null && !pluginKeys(before).includes(DEMO.key)) {
              fs.vol.writeFileSync(CONFIG, `${before}${before === '' || before.endsWith('\n') ? '' : '\n'}\n[plugins."${DEMO.key}"]\nenabled = ${s.enabled}\n`);
              // Appended after a block whose end marker is gone, it lands in that block (Hermes reads such a block the same way): not tracked as the user's.
              userPlugin = !(before.includes(START_MARKER) && !before.includes(END_MARKER));
              userEnabled = s.enabled;
            }
          } else if (s.kind === 'codex-add') {
            if (before !== null) fs.vol.writeFileSync(CONFIG, codexAdd(before, `added_${s.n}_${i}`));
          } else if (before !== null) {
            // The user's own edit, appended outside the block.
            fs.vol.writeFileSync(CONFIG, `${before}${before.endsWith('\n') || before === '' ? '' : '\n'}\n[user_table_${s.n}_${i}]\nx = ${s.n}\n`);
          }
          if (s.kind !== 'migrate' && s.kind !== 'dry-run' && s.kind !== 'remove') pristine = false;
          const text = fs.exists(CONFIG) ? fs.text(CONFIG) : null;
          // What codex added, inside the block or not, survives migrate and --remove (a restore brings back an older file on purpose).
          // (Compared with the file before the step only when it parsed: one Hermes' migration broke is healed, not compared.)
          const comparable = (s.kind === 'migrate' || s.kind === 'remove') && (before === null || tryParse(before) !== null);
          if (comparable) expect(addedTables(text), `${where}: a table codex added was lost`).toEqual(addedTables(before));
          // The plugin table `codex plugin add` wrote is there after migrate and --remove (consolidated into the block, or put back).
          if (comparable && userPlugin) expect(pluginKeys(text), `${where}: [plugins."${DEMO.key}"] was lost`).toContain(DEMO.key);
          // A plugin turned off stays off: migrate never turns it back on.
          if (comparable && s.kind === 'migrate' && pluginKeys(before).includes(DEMO.key) && !pluginEnabled(before)) expect(pluginEnabled(text), `${where}: a disabled plugin was enabled`).toBe(false);
          // --remove puts it back as the user wrote it.
          if (s.kind === 'remove' && userPlugin) expect(entryValue(parse(text!), { kind: 'plugins', name: DEMO.key }), where).toEqual({ enabled: userEnabled });
          // Codex's edit to a managed server is kept while Hermes still has that server (once the record tells what
          // hermes-codex wrote: a block without one, as Hermes' own migration leaves it, is adopted as written by Hermes).
          if (comparable && s.kind === 'migrate' && before !== null && hadRecord) {
            const edited = /^\[mcp_servers\.(gh|docs)\]\r?\nstartup_timeout_sec = 42\.0$/m.exec(before)?.[1];
            const stillThere = edited !== undefined && new RegExp(`^  ${edited}:`, 'm').test(HERMES[s.hermes]!);
            if (stillThere) expect(entryValue(parse(text!), { kind: 'mcp_servers', name: edited }), `${where}: codex's edit of ${edited} was lost`).toMatchObject({ startup_timeout_sec: 42 });
          }
          if (s.kind === 'migrate' || s.kind === 'remove') foreign = false;
          // A restored pair may be the file Hermes' migration changed (even one codex refuses) with the record of what we wrote before it.
          if (s.kind === 'restore' && restored) foreign = hermesRan;
          // Hermes' own migration may leave a file codex refuses (a key both in its block and outside it); the next migrate heals it.
          if (text !== null && s.kind !== 'hermes-migrate' && !(foreign && s.kind !== 'migrate' && s.kind !== 'remove')) {
            parse(text.replace(/^\uFEFF/, ''));
            expect(text.split(START_MARKER).length - 1, where).toBeLessThanOrEqual(1);
          }
          if (!foreign) recordMatches(text, readRecord(fs, STATE), `${where}, config.toml`);
          const backup = fs.exists(CONFIG + BACKUP_SUFFIX) ? fs.text(CONFIG + BACKUP_SUFFIX) : null;
          // A backup of a file Hermes' migration changed goes with the record of what we wrote before it: not compared.
          if (backup !== null && !hermesRan) recordMatches(backup, readRecord(fs, STATE + STATE_BACKUP_SUFFIX), `${where}, the backups`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * The ownership record: which entries the last run wrote into the managed
 * block, each with its parsed value (an `[mcp_servers.*]` table) or a
 * fingerprint of it (everything else, and a table plain JSON cannot hold).
 * Kept beside config.toml so a re-run can tell its own tables from the
 * user's, even when another writer moved tables into the block or removed
 * the markers.
 */
import * as path from 'node:path';
import { fingerprint } from '../core/fingerprint.js';
import { canonicalJson, canonicalMembers, jsonFaithful, type TomlTable } from '../config/codex-toml.js';
import { errnoCode, writeOwnFile, type FileSystem } from '../fs/filesystem.js';
import { entryId, type EntryRef } from './block.js';


export const STATE_FILE_NAME = '.hermes-codex-state.json';
/**
 * 3: an `[mcp_servers.*]` entry holds its parsed value as written
 * ({@link OwnedEntry.value}); a later run fingerprints it only when it needs
 * to. Making the fingerprints was most of the record's cost: at 1,000
 * servers its phase took 42 ms of a first run, and 5 ms by value
 * (docs/performance.md). 2: every entry held cyrb53 fingerprints (14 hex
 * digits, src/core/fingerprint.ts), which version 3 still writes for
 * entries without a value. 1: they were SHA-256 (64 hex digits). Records of
 * versions 1 and 2 are still read and judged by their own fingerprints, and
 * the next write replaces them with a version 3 record.
 */
export const STATE_SCHEMA_VERSION = 3;
/** The record versions {@link readState} accepts. */
const READABLE_VERSIONS: ReadonlySet<unknown> = new Set([1, 2, 3]);

/** How a record's fingerprints are made: `cyrb53` (versions 2 and 3, what is written) or `sha256` (version 1 records). */
export type FingerprintScheme = 'cyrb53' | 'sha256';

/** The scheme of a record's fingerprints: SHA-256 for a version 1 record, else cyrb53 (also with no record). */
export function schemeOf(state: Pick<OwnershipState, 'schemaVersion'> | null | undefined): FingerprintScheme {
  return state?.schemaVersion === 1 ? 'sha256' : 'cyrb53';
}

/**
 * One recorded entry: either `value` (version 3, `[mcp_servers.*]` tables)
 * or `digest` (everything else, and every entry of versions 1 and 2). Judge
 * either kind through {@link recordedPrints}, which gives the fingerprints
 * of both.
 */
export interface OwnedEntry {
  ref: EntryRef;
  /** Fingerprint of the canonical JSON of the entry's parsed value, in the record's scheme ({@link schemeOf}); absent when `value` is recorded. */
  digest?: string;
  /**
   * For `[mcp_servers.*]` entries recorded by fingerprint: the fingerprint of
   * each top-level key this tool generated (keys carried over from Codex's
   * edits are left out), so a later run can tell which keys Codex changed or
   * added.
   */
  keys?: Record<string, string>;
  /**
   * Version 3, `[mcp_servers.*]` tables: the entry's parsed value as written,
   * as plain JSON (only values {@link jsonFaithful} holds; others are recorded
   * by fingerprint). The same data config.toml holds, in a file as private
   * (0600).
   */
  value?: Record<string, unknown>;
  /** With `value`: its top-level keys carried over from another writer's edits (not this tool's; `keys` leaves them out). */
  carried?: string[];
}

/** The options the last migrate ran with, so doctor's drift check compares like with like. */
export interface RecordedOptions {
  hermesTools: boolean;
  /** `--hermes-python`, when given. */
  hermesPython?: string;
  /** `default_permissions` profile, or null for `--no-permissions`. */
  permissions: string | null;
  plugins: boolean;
}

export interface OwnershipState {
  schemaVersion: number;
  /** config.toml this record describes. */
  configPath: string;
  entries: OwnedEntry[];
  updatedAt: string;
  options?: RecordedOptions;
  /**
   * Blank lines the block's insertion added before/after it, and whether it
   * gave a file without a final newline one (so --remove can take them out again).
   */
  insertion?: { before: boolean; after: boolean; finalEol?: true };
  /** Plain `[plugins."k"]` tables another writer had added, now managed in the block (--remove puts them back). */
  consolidated?: { key: string; enabled: boolean }[];
}

/** Path of the state file for a CODEX_HOME. */
export function statePath(codexHome: string): string {
  return path.join(codexHome, STATE_FILE_NAME);
}

/** The parsed value of an entry in a TOML document, or undefined. */
export function entryValue(doc: TomlTable, ref: EntryRef): unknown {
  if (ref.kind === 'other') return undefined;
  if (ref.kind === 'root') return Object.hasOwn(doc, ref.name) ? doc[ref.name] : undefined;
  const table = Object.hasOwn(doc, ref.kind) ? doc[ref.kind] : undefined;
  return typeof table === 'object' && table !== null && Object.hasOwn(table, ref.name)
    ? (table as Record<string, unknown>)[ref.name]
    : undefined;
}

/** Fingerprint of a value (see {@link OwnedEntry.digest}), in `scheme` (default: what a record is written with). */
export function digestOf(value: unknown, scheme: FingerprintScheme = 'cyrb53'): string {
  return digestOfCanonical(canonicalJson(value), scheme);
}

/**
 * Fingerprint of a canonical JSON text (`undefined` for an undefined value). SHA-256 only for a
 * version 1 record: `node:crypto` is loaded then, and only then (loading it costs 6–7 ms).
 */
function digestOfCanonical(text: string | undefined, scheme: FingerprintScheme): string {
  const t = text ?? 'undefined';
  return scheme === 'cyrb53' ? fingerprint(t) : process.getBuiltinModule('node:crypto').hash('sha256', t, 'hex');
}

/**
 * Fingerprints for one run, each table's made once whoever asks first:
 * ownership judges the entries of config.toml as found (and the recorded
 * values it cannot tell by their JSON text), then the record fingerprints
 * what it does not hold by value, in the new document, which on a re-run
 * that changes nothing is the same parse. Keyed by object: parsed documents
 * and records are never changed, so a fingerprint cannot go stale within a
 * run. Digests are exactly {@link digestOf}'s.
 */
export class Fingerprints {
  /** @param scheme how digests are made: a version 1 record's are compared with `sha256` ones. */
  constructor(readonly scheme: FingerprintScheme = 'cyrb53') {}

  private readonly tables = new WeakMap<object, { text: string; members: Map<string, string | undefined>; digest?: string }>();
  /** Digests by canonical text: members repeat across servers (`command = "npx"`, the timeouts, `env_vars`), each text is hashed once. */
  private readonly byText = new Map<string, string>();

  /** A table's canonical text and each member's (see `canonicalMembers`). */
  table(value: Record<string, unknown>): { text: string; members: ReadonlyMap<string, string | undefined> } {
    return this.entry(value);
  }

  /** {@link digestOf}, remembered for tables. */
  digest(value: unknown): string {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) return digestOf(value, this.scheme);
    const t = this.entry(value as Record<string, unknown>);
    return (t.digest ??= digestOfCanonical(t.text, this.scheme));
  }

  private entry(value: Record<string, unknown>): { text: string; members: Map<string, string | undefined>; digest?: string } {
    let t = this.tables.get(value);
    if (!t) {
      t = canonicalMembers(value);
      this.tables.set(value, t);
    }
    return t;
  }

  private readonly recorded = new WeakMap<object, { digest: string; keys?: Record<string, string> }>();

  /** `make()`'s fingerprints of a recorded value, made once per value in a run (see {@link recordedPrints}). */
  ofRecorded(value: object, make: () => { digest: string; keys?: Record<string, string> }): { digest: string; keys?: Record<string, string> } {
    let p = this.recorded.get(value);
    if (!p) this.recorded.set(value, (p = make()));
    return p;
  }

  /** The fingerprint of a member's canonical text (see {@link Fingerprints.table}), hashed once per distinct text in a run. */
  ofMember(text: string | undefined): string {
    if (text === undefined) return digestOfCanonical(text, this.scheme);
    let d = this.byText.get(text);
    if (d === undefined) this.byText.set(text, (d = digestOfCanonical(text, this.scheme)));
    return d;
  }
}

/** Whether two values have the same fingerprint: compares canonical texts, no hashing. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * Build the record for the entries written, from the parsed new document:
 * an `[mcp_servers.*]` table plain JSON holds ({@link jsonFaithful}) is
 * recorded by value, with the keys carried over from another writer's edits
 * named; anything else by fingerprint (`digest`, and `keys` for a table).
 * No fingerprint is made for a table recorded by value.
 * @param carried per entry id, the keys carried over from another writer's edits (not fingerprinted as ours)
 * @param fingerprints this run's, cyrb53 (throws otherwise: a record is written in the current scheme)
 */
export function buildState(
  configPath: string,
  doc: TomlTable,
  written: readonly EntryRef[],
  now: Date,
  carried: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
  fingerprints: Fingerprints = new Fingerprints(),
): OwnershipState {
  if (fingerprints.scheme !== 'cyrb53') throw new Error('buildState: a record is written with cyrb53 fingerprints');
  return {
    schemaVersion: STATE_SCHEMA_VERSION,
    configPath,
    entries: written.map((ref): OwnedEntry => {
      const value = entryValue(doc, ref);
      if (ref.kind !== 'mcp_servers' || typeof value !== 'object' || value === null || Array.isArray(value)) {
        return { ref, digest: fingerprints.digest(value) };
      }
      const table = value as Record<string, unknown>;
      const skip = carried.get(entryId(ref));
      if (jsonFaithful(table)) {
        const theirs = skip ? Object.keys(table).filter((k) => skip.has(k)) : [];
        return theirs.length ? { ref, value: table, carried: theirs } : { ref, value: table };
      }
      return { ref, ...fingerprintsOf(table, skip, fingerprints) };
    }),
    updatedAt: now.toISOString(),
  };
}

/** A table's fingerprint and each of its keys' but `skip`'s (version 2's form of an entry). */
function fingerprintsOf(table: Record<string, unknown>, skip: ReadonlySet<string> | undefined, fingerprints: Fingerprints): { digest: string; keys: Record<string, string> } {
  // The entry's text and each key's from one canonical pass.
  const { members } = fingerprints.table(table);
  const keys: Record<string, string> = {};
  for (const k of Object.keys(table)) if (!skip?.has(k)) keys[k] = fingerprints.ofMember(members.get(k));
  return { digest: fingerprints.digest(table), keys };
}

/**
 * A recorded entry's fingerprints, in `fingerprints`' scheme: as recorded, or
 * (an entry recorded by value) made from its value, its carried keys left out
 * of `keys`; made once per entry and run.
 */
export function recordedPrints(rec: OwnedEntry, fingerprints: Fingerprints): { digest: string; keys?: Record<string, string> } {
  if (!rec.value) return { digest: rec.digest ?? '', ...(rec.keys ? { keys: rec.keys } : {}) };
  return fingerprints.ofRecorded(rec.value, () => fingerprintsOf(rec.value!, rec.carried ? new Set(rec.carried) : undefined, fingerprints));
}

/**
 * Whether a value found in config.toml is exactly an entry recorded by value
 * (the common case on a re-run), told without fingerprints: both written as
 * plain JSON give the same text. False means "not told this way": compare
 * fingerprints ({@link recordedPrints}), which also see through reordered keys.
 */
export function sameAsRecordedValue(found: unknown, rec: OwnedEntry): boolean {
  return rec.value !== undefined && typeof found === 'object' && found !== null && jsonFaithful(found) && JSON.stringify(found) === JSON.stringify(rec.value);
}

/** Index a state by entry id. */
export function stateIndex(state: OwnershipState | null): Map<string, OwnedEntry> {
  return new Map((state?.entries ?? []).map((e) => [entryId(e.ref), e]));
}

/**
 * Read the state file. A missing, unreadable or malformed file reads as
 * null (the migration then falls back to what Hermes' own migration
 * recognises as its own); it never blocks a migration. `text` is the file's
 * text whenever it could be read (migrate's no-change memo is keyed by it).
 */
export async function readState(fs: FileSystem, codexHome: string): Promise<{ state: OwnershipState | null; problem?: string; text?: string }> {
  const p = statePath(codexHome);
  let raw: string;
  try {
    raw = (await fs.readFile(p)).toString('utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return { state: null };
    return { state: null, problem: `could not read ${p}: ${(err as Error).message}` };
  }
  try {
    const parsed = JSON.parse(raw) as OwnershipState;
    if (!READABLE_VERSIONS.has(parsed.schemaVersion) || !Array.isArray(parsed.entries)) {
      return { state: null, problem: `${p} has an unknown format; ignored`, text: raw };
    }
    const valid = parsed.entries.every((e) => e && e.ref && typeof e.ref.name === 'string' && ['mcp_servers', 'plugins', 'root', 'other'].includes(e.ref.kind) && wellFormed(e, parsed.schemaVersion));
    return valid ? { state: parsed, text: raw } : { state: null, problem: `${p} is malformed; ignored`, text: raw };
  } catch {
    return { state: null, problem: `${p} is not valid JSON; ignored`, text: raw };
  }
}

/** An entry holds a fingerprint, or (version 3, an `[mcp_servers.*]` entry) a table with the names of its carried keys. */
function wellFormed(e: OwnedEntry, version: unknown): boolean {
  if (e.value === undefined) return typeof e.digest === 'string';
  return (
    version === 3 && e.ref.kind === 'mcp_servers' && e.digest === undefined && typeof e.value === 'object' && e.value !== null && !Array.isArray(e.value) &&
    (e.carried === undefined || (Array.isArray(e.carried) && e.carried.every((k) => typeof k === 'string')))
  );
}

/**
 * Write the state file atomically (0600): compact JSON, one line. Indented,
 * a 1,000-server record (its tables recorded by value) was twice the size
 * of config.toml and took 2–3 ms more to write.
 */
export async function writeState(fs: FileSystem, codexHome: string, state: OwnershipState): Promise<void> {
  await writeOwnFile(fs, statePath(codexHome), `${JSON.stringify(state)}\n`);
}

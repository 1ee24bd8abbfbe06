/**
 * The ownership record: which entries the last run wrote into the managed
 * block, each with a fingerprint of its parsed value. Kept beside
 * config.toml so a re-run can tell its own tables from the user's, even when
 * another writer moved tables into the block or removed the markers.
 */
import * as path from 'node:path';
import { fingerprint } from '../core/fingerprint.js';
import { canonicalJson, canonicalMembers, type TomlTable } from '../config/codex-toml.js';
import { errnoCode, writeOwnFile, type FileSystem } from '../fs/filesystem.js';
import { entryId, type EntryRef } from './block.js';


export const STATE_FILE_NAME = '.hermes-codex-state.json';
/**
 * 2: fingerprints are cyrb53 (14 hex digits, src/core/fingerprint.ts). 1: they
 * were SHA-256 (64 hex digits); such a record is still read, and judged with
 * SHA-256, and the next write replaces it with a version 2 record.
 */
export const STATE_SCHEMA_VERSION = 2;
/** The record versions {@link readState} accepts. */
const READABLE_VERSIONS: ReadonlySet<unknown> = new Set([1, 2]);

/** How a record's fingerprints are made: `cyrb53` (version 2, what is written) or `sha256` (version 1 records). */
export type FingerprintScheme = 'cyrb53' | 'sha256';

/** The scheme of a record's fingerprints: SHA-256 for a version 1 record, else cyrb53 (also with no record). */
export function schemeOf(state: Pick<OwnershipState, 'schemaVersion'> | null | undefined): FingerprintScheme {
  return state?.schemaVersion === 1 ? 'sha256' : 'cyrb53';
}

export interface OwnedEntry {
  ref: EntryRef;
  /** Fingerprint of the canonical JSON of the entry's parsed value, in the record's scheme ({@link schemeOf}). */
  digest: string;
  /**
   * For `[mcp_servers.*]` entries: the fingerprint of each top-level key this
   * tool generated (keys carried over from Codex's edits are left out), so
   * a later run can tell which keys Codex changed or added.
   */
  keys?: Record<string, string>;
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
 * ownership judges the entries of config.toml as found, then the record
 * fingerprints the new document's, which on a re-run that changes nothing
 * is the same parse. Keyed by object: parsed documents are never changed,
 * so a table's fingerprint cannot go stale within a run. Digests are
 * exactly {@link digestOf}'s.
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
 * Build the record for the entries written, from the parsed new document.
 * @param carried per entry id, the keys carried over from another writer's edits (not fingerprinted as ours)
 * @param fingerprints this run's, cyrb53 (throws otherwise: a record is written in the current scheme)
 * @param previous the record as found: an `[mcp_servers.*]` entry whose digest and recorded key
 *   names are unchanged keeps its per-key fingerprints instead of hashing every key again (equal
 *   digests mean equal canonical texts, so equal members: the result is the same, a few µs
 *   less per unchanged server)
 */
export function buildState(
  configPath: string,
  doc: TomlTable,
  written: readonly EntryRef[],
  now: Date,
  carried: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
  fingerprints: Fingerprints = new Fingerprints(),
  previous: OwnershipState | null = null,
): OwnershipState {
  if (fingerprints.scheme !== 'cyrb53') throw new Error('buildState: a record is written with cyrb53 fingerprints');
  // A version 1 record's per-key fingerprints are SHA-256: none can be kept.
  const before = stateIndex(previous?.schemaVersion === STATE_SCHEMA_VERSION ? previous : null);
  return {
    schemaVersion: STATE_SCHEMA_VERSION,
    configPath,
    entries: written.map((ref) => {
      const value = entryValue(doc, ref);
      if (ref.kind !== 'mcp_servers' || typeof value !== 'object' || value === null || Array.isArray(value)) {
        return { ref, digest: fingerprints.digest(value) };
      }
      // The entry's text and each key's from one canonical pass.
      const { members } = fingerprints.table(value as Record<string, unknown>);
      const skip = carried.get(entryId(ref));
      const names = Object.keys(value).filter((k) => !skip?.has(k));
      const digest = fingerprints.digest(value);
      const kept = before.get(entryId(ref));
      const reuse = kept?.keys && kept.digest === digest && sameKeyNames(kept.keys, names) ? kept.keys : undefined;
      const keys: Record<string, string> = {};
      for (const k of names) keys[k] = reuse ? reuse[k]! : fingerprints.ofMember(members.get(k));
      return { ref, digest, keys };
    }),
    updatedAt: now.toISOString(),
  };
}

/** Whether a recorded entry's per-key fingerprints name exactly `names`. */
function sameKeyNames(keys: Readonly<Record<string, string>>, names: readonly string[]): boolean {
  const recorded = Object.keys(keys);
  return recorded.length === names.length && names.every((k) => Object.hasOwn(keys, k));
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
    const valid = parsed.entries.every(
      (e) => e && typeof e.digest === 'string' && e.ref && typeof e.ref.name === 'string' && ['mcp_servers', 'plugins', 'root', 'other'].includes(e.ref.kind),
    );
    return valid ? { state: parsed, text: raw } : { state: null, problem: `${p} is malformed; ignored`, text: raw };
  } catch {
    return { state: null, problem: `${p} is not valid JSON; ignored`, text: raw };
  }
}

/** Write the state file atomically (0600). */
export async function writeState(fs: FileSystem, codexHome: string, state: OwnershipState): Promise<void> {
  await writeOwnFile(fs, statePath(codexHome), JSON.stringify(state, null, 2) + '\n');
}

/**
 * What the managed block owns: for each entry found inside the markers,
 * whether this run regenerates it, regenerates it keeping what Codex
 * changed in it, or leaves it to the user. Pure: the parsed file, the
 * ownership record and a few facts in, a judgement out. migrate's plan and
 * `migrate --remove` both ask here.
 *
 * With a record (hermes-codex wrote the block), an entry is ours while its
 * value is what we wrote; Codex's own config writer (`config/value/write`,
 * what its UIs use; `codex mcp add`) edits tables in place, so:
 * - keys Codex changed or added on a managed server (`enabled = false`,
 *   `[mcp_servers.x.tools.t] approval_mode`) are carried over as found;
 * - a server whose `command` or `url` changed was replaced (`codex mcp add
 *   NAME` over ours) and is the user's now;
 * - a changed `default_permissions` or plugin table is the user's choice.
 *
 * With a record, an entry inside the block that the record does not name
 * (and that is not exactly what this run writes) was put there by someone
 * else: the user's.
 *
 * Without a record (a block written by Hermes' own migration,
 * `hermes_cli/codex_runtime_plugin_migration.py` upstream), an entry is
 * adopted when it has the shape Hermes renders: `[mcp_servers.X]` with only
 * the keys Hermes writes, `env`/`http_headers` as inline tables, no
 * sub-tables; `default_permissions = ":workspace"`. Codex's shapes (env as a
 * `[mcp_servers.X.env]` sub-table, keys Hermes never writes) are the
 * user's. A table both could have written (only `command`/`args`/`cwd`/
 * `url`/`enabled`, for a server Hermes no longer configures) is kept and
 * reported with the command that removes it.
 */
import { isRecord } from '../config/hermes-config.js';
import type { TomlTable } from '../config/codex-toml.js';
import { formatString } from '../config/toml-format.js';
import { entryId, type EntryRef } from './block.js';
import { HERMES_TOOLS_NAME } from './hermes-tools.js';
import { Fingerprints, entryValue, recordedPrints, sameAsRecordedValue, sameValue, schemeOf, stateIndex, type OwnedEntry, type OwnershipState } from './state.js';
import { traced } from '../core/trace.js';

/** Keys Hermes' own migration writes into an `[mcp_servers.*]` table (its `_translate_one_server` and hermes-tools entry). */
export const HERMES_MIGRATION_SERVER_KEYS: ReadonlySet<string> = new Set([
  'command', 'args', 'env', 'cwd', 'url', 'http_headers', 'tool_timeout_sec', 'startup_timeout_sec', 'enabled',
]);

/** The `default_permissions` value Hermes' own migration writes. */
export const HERMES_MIGRATION_PERMISSIONS = ':workspace';

/** Keys whose change means the table now describes another server. */
const IDENTITY_KEYS = ['command', 'url'] as const;

export type Judgement =
  /** Ours: regenerate it. */
  | { verdict: 'owned' }
  /** Ours, edited by Codex: regenerate it, carrying these keys as found. */
  | { verdict: 'edited'; carry: ReadonlySet<string> }
  /** The user's (or Codex's): keep it unchanged. */
  | { verdict: 'user'; why: string }
  /** Could be either: keep it, and tell the user how to remove it (codex's arguments). */
  | { verdict: 'unsure'; why: string; removeWith: readonly string[] };

export interface OwnershipFacts {
  /** The ownership record of the last run, or null (first run, or a block Hermes' migration wrote). */
  state: OwnershipState | null;
  /** The parsed config.toml as it is now. */
  doc: TomlTable;
  /** Header paths inside the block (see block.headersInBlock); asked for only when there is no record. */
  blockHeaders: () => readonly string[][];
  /** Server names Hermes configures now. */
  hermesNames: ReadonlySet<string>;
  /** The `default_permissions` this run would write, or null. */
  permissions: string | null;
  /**
   * The parsed value this run would write for a server, when Hermes
   * configures it. A table that already holds exactly that is the block's
   * own whatever the record says (the record may lag behind config.toml
   * after a crash between the two writes, or be missing).
   */
  expected?(name: string): unknown;
  /** This run's fingerprints (shared with the record it writes); a fresh set without, or when the record's scheme is another ({@link schemeOf}). */
  fingerprints?: Fingerprints;
  /**
   * Whether config.toml has a managed block (a start marker). With one, a
   * recorded entry found outside it is not taken for this tool's own (see
   * {@link Ownership.escaped}).
   */
  blockExists?: boolean;
}

/** Decides ownership of entries inside the managed block (see module doc). */
export class Ownership {
  private readonly index: Map<string, OwnedEntry>;
  private subTablesCache: Set<string> | null = null;
  private readonly memo = new Map<string, Judgement>();
  private readonly fp: Fingerprints;

  constructor(private readonly facts: OwnershipFacts) {
    this.index = stateIndex(facts.state);
    // The record's entries are compared in its own scheme: a version 1 record's are SHA-256.
    const scheme = schemeOf(facts.state);
    this.fp = facts.fingerprints?.scheme === scheme ? facts.fingerprints : new Fingerprints(scheme);
  }

  /** The record's entry for `ref`, if any. */
  recorded(ref: EntryRef): OwnedEntry | undefined {
    return this.index.get(entryId(ref));
  }

  /**
   * An owned entry found outside the block unchanged: the markers are gone
   * (another writer removed them), so the tables this tool wrote stand
   * outside any block. While a block exists, a recorded entry outside it is
   * someone else's: Hermes' own migration rewrites the block without our
   * tables, and a table the user or `codex plugin add` writes can equal ours
   * (`[plugins."x"] enabled = true`); taking it for ours would move it into
   * the block and let --remove delete it.
   */
  escaped(ref: EntryRef): boolean {
    if (this.facts.blockExists) return false;
    const rec = this.recorded(ref);
    return rec !== undefined && traced('judge', () => this.isAsRecorded(entryValue(this.facts.doc, ref), rec));
  }

  /** The judgement for an entry inside the block. */
  judge(ref: EntryRef): Judgement {
    const id = entryId(ref);
    let j = this.memo.get(id);
    if (!j) {
      j = traced('judge', () => this.judgeAfresh(ref));
      this.memo.set(id, j);
    }
    return j;
  }

  private judgeAfresh(ref: EntryRef): Judgement {
    const rec = this.recorded(ref);
    // The record first (cheap); what this run writes is compared only when the record does not settle it.
    const byRecord: Judgement | null = rec ? this.judgeRecorded(ref, rec) : null;
    return byRecord?.verdict === 'owned'
      ? byRecord
      : this.isExpected(ref)
        ? { verdict: 'owned' }
        : byRecord ??
          (this.facts.state !== null
            ? { verdict: 'user', why: 'not written by hermes-codex (for example `codex mcp add` or Codex\'s settings put it there)' }
            : this.judgeUnrecorded(ref));
  }

  private isExpected(ref: EntryRef): boolean {
    if (ref.kind !== 'mcp_servers' || !this.facts.expected) return false;
    const want = this.facts.expected(ref.name);
    return want !== undefined && sameValue(entryValue(this.facts.doc, ref), want);
  }

  /** True when the block regenerates this entry (owned, possibly edited). */
  owns(ref: EntryRef): boolean {
    const v = this.judge(ref).verdict;
    return v === 'owned' || v === 'edited';
  }

  /** Whether a value found is what the record holds for its entry (by value or by fingerprint). */
  private isAsRecorded(value: unknown, rec: OwnedEntry): boolean {
    return sameAsRecordedValue(value, rec) || this.fp.digest(value) === recordedPrints(rec, this.fp).digest;
  }

  private judgeRecorded(ref: EntryRef, rec: OwnedEntry): Judgement {
    const value = entryValue(this.facts.doc, ref);
    // Exactly what we wrote, none of it someone else's: ours (no fingerprint made, the common case).
    if (!rec.carried?.length && sameAsRecordedValue(value, rec)) return { verdict: 'owned' };
    const recorded = recordedPrints(rec, this.fp);
    if (ref.kind === 'mcp_servers' && recorded.keys && isRecord(value)) {
      const keys = recorded.keys;
      // Unchanged since we wrote it, and no keys of someone else's: ours (one hash).
      if (Object.keys(value).every((k) => Object.hasOwn(keys, k)) && this.fp.digest(value) === recorded.digest) return { verdict: 'owned' };
      // Key by key: what we generated and is unchanged is ours; anything else is Codex's (or the user's).
      const changed = (k: string) => !Object.hasOwn(keys, k) || this.fp.digest(value[k]) !== keys[k];
      const replaced = IDENTITY_KEYS.some((k) => Object.hasOwn(keys, k) !== Object.hasOwn(value, k) || (Object.hasOwn(keys, k) && changed(k)));
      if (replaced) {
        return { verdict: 'user', why: `its ${Object.hasOwn(value, 'url') ? 'url' : 'command'} is no longer what migrate wrote (replaced, e.g. by \`codex mcp add ${ref.name}\`), so it is yours now` };
      }
      const carry = new Set(Object.keys(value).filter(changed));
      return carry.size ? { verdict: 'edited', carry } : { verdict: 'owned' };
    }
    // A root key of a block that sat after a table is not at the root (TOML filed it under that table): ours, misplaced.
    if (this.fp.digest(value) === recorded.digest || (ref.kind === 'root' && value === undefined)) return { verdict: 'owned' };
    // A record written before per-key fingerprints: ours by name, as those releases decided.
    if (ref.kind === 'mcp_servers' && !recorded.keys) return { verdict: 'owned' };
    return { verdict: 'user', why: `changed since migrate wrote it (for example through Codex's settings), so it is yours now` };
  }

  private judgeUnrecorded(ref: EntryRef): Judgement {
    const value = entryValue(this.facts.doc, ref);
    if (ref.kind === 'root' && ref.name === 'default_permissions') {
      // undefined: the block sat after a table, so TOML filed the key under it (what older Hermes versions wrote).
      if (value === undefined || value === HERMES_MIGRATION_PERMISSIONS || value === this.facts.permissions) return { verdict: 'owned' };
      return { verdict: 'user', why: `default_permissions = ${typeof value === 'string' ? formatString(value) : String(value)} is not what Hermes' migration writes, so it is kept as your choice` };
    }
    if (ref.kind !== 'mcp_servers') return { verdict: 'user', why: 'set inside the block by another writer (for example Codex\'s settings), not by a migration' };
    const name = ref.name;
    this.subTablesCache ??= new Set(this.facts.blockHeaders().filter((h) => h[0] === 'mcp_servers' && h.length > 2).map((h) => h[1]!));
    if (this.subTablesCache.has(name)) {
      return { verdict: 'user', why: `it has sub-tables such as [mcp_servers.${name}.env], which Hermes' migration never writes (codex mcp add does)` };
    }
    if (!isRecord(value)) return { verdict: 'user', why: 'not a table' };
    // The callback entry is the block's (Hermes' migration and hermes-codex both write it, in their own forms).
    if (name === HERMES_TOOLS_NAME) return { verdict: 'owned' };
    const foreign = Object.keys(value).filter((k) => !HERMES_MIGRATION_SERVER_KEYS.has(k));
    if (foreign.length > 0) return { verdict: 'user', why: `it sets ${foreign.join(', ')}, which Hermes' migration never writes` };
    // Traits only Hermes' renderer has: inline env/header tables and timeouts.
    const hermesOnly = ['env', 'http_headers', 'tool_timeout_sec', 'startup_timeout_sec'].some((k) => Object.hasOwn(value, k));
    if (hermesOnly || this.facts.hermesNames.has(name)) return { verdict: 'owned' };
    return {
      verdict: 'unsure',
      why: `Hermes no longer configures "${name}", and the table could have been written by Hermes' migration or by \`codex mcp add\``,
      removeWith: ['mcp', 'remove', name],
    };
  }
}

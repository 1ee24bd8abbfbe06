/**
 * The no-change memo: what the last run that found nothing to change
 * reported, kept beside config.toml with a key over every input its plan
 * read, so that a re-run whose inputs are byte for byte the same answers
 * from it instead of parsing, translating and planning again (at 1,000
 * servers that work is most of a re-run; docs/performance.md).
 *
 * Sound because a plan is a pure function of its input (`planMigration`):
 * the key covers config.yaml's text and where it was found, config.toml's
 * text, the ownership record's text, the options that reach the plan, the
 * resolved hermes-tools interpreter (with its warning, a file-system fact),
 * the home directory and the build of hermes-codex that planned. Only a run
 * that wrote nothing keeps a memo (so a recalled report is itself a
 * no-change report). Plugin discovery's answer comes from codex at run
 * time, so with discovery on the memo also holds what discovery gave, and a
 * run answers from it only after codex lists the same (discovery still runs;
 * the planning is what is saved). Codex's loader is not part of it: a run
 * that changes nothing never asks the loader (see migrate.ts).
 *
 * A cache, not a record: a missing, unreadable, malformed or stale memo is a
 * miss, and failing to keep one is not an error.
 */
import * as path from 'node:path';
import { fingerprintTwice } from '../core/fingerprint.js';
import { writeOwnFile, type FileSystem } from '../fs/filesystem.js';
import { toolVersion } from '../core/version.js';
import type { MigrationOutcome } from './plan.js';

declare const __HERMES_CODEX_BUILD__: string | undefined;

export const MEMO_FILE_NAME = '.hermes-codex-memo.json';
/** 2: the key is two cyrb53 fingerprints; 1 (a SHA-256 key) is a miss. */
export const MEMO_SCHEMA_VERSION = 2;

/** Path of the memo for a CODEX_HOME. */
export function memoPath(codexHome: string): string {
  return path.join(codexHome, MEMO_FILE_NAME);
}

/**
 * The build that plans: the package version plus, in the bundles, a digest
 * of the compiled sources (`__HERMES_CODEX_BUILD__`, scripts/bundle-plugins.mjs),
 * so a rebuilt hermes-codex never trusts an older build's memo.
 */
export function planningBuild(): string {
  return `${toolVersion()}+${typeof __HERMES_CODEX_BUILD__ === 'string' ? __HERMES_CODEX_BUILD__ : 'unbundled'}`;
}

/** Every input of a plan, as read (texts, not parses). */
export interface MemoInputs {
  /** {@link planningBuild}. */
  build: string;
  /** Where config.yaml was found (path, profile, how it was chosen). */
  hermesLocation: unknown;
  hermesText: string;
  /** CODEX_HOME (path, how it was chosen, whether it existed). */
  codexHome: unknown;
  configPath: string;
  /** config.toml's text, or null when there is none. */
  configText: string | null;
  /** The ownership record's text, or null when there is none. */
  recordText: string | null;
  /** The options the run records (hermes-tools, --hermes-python, permissions, plugins). */
  options: unknown;
  /** The resolved hermes-tools input (interpreter, where it came from, its warning), or null. */
  hermesTools: unknown;
  homeDir: string | undefined;
}

/**
 * The memo's key: the inputs, each length-prefixed so no two input sets share a text, fingerprinted
 * twice ({@link fingerprint} with seeds 0 and 1: 28 hex digits). Twice because a memo that answers
 * for changed inputs would skip a write without a word, where the record's fingerprints only decide
 * one entry's ownership; the second pass costs about 1 ms at 1,000 servers.
 */
export function memoKey(inputs: MemoInputs): string {
  const parts = [
    MEMO_SCHEMA_VERSION,
    inputs.build,
    JSON.stringify(inputs.hermesLocation),
    inputs.hermesText,
    JSON.stringify(inputs.codexHome),
    inputs.configPath,
    JSON.stringify(inputs.configText === null ? null : inputs.configText.length),
    inputs.configText ?? '',
    JSON.stringify(inputs.recordText === null ? null : inputs.recordText.length),
    inputs.recordText ?? '',
    JSON.stringify(inputs.options),
    JSON.stringify(inputs.hermesTools ?? null),
    JSON.stringify(inputs.homeDir ?? null),
  ].map(String);
  const text = parts.map((p) => `${p.length}:${p}`).join('\n');
  return fingerprintTwice(text);
}

/** What a memo holds: the plan's outcome as reported, and the one setting of config.yaml a run reads outside the plan. */
export interface Memo {
  schemaVersion: typeof MEMO_SCHEMA_VERSION;
  key: string;
  /** config.yaml's `model.codex_bin` (where migrate looks for codex), or null. */
  codexBinSetting: string | null;
  /**
   * With plugin discovery: what discovery gave the plan (listing or failure, and warnings) as
   * JSON text; the memo stands only when this run's discovery gives the same. Null without.
   */
  discovery: string | null;
  outcome: MigrationOutcome;
}

/**
 * Parse a memo's text.
 * @returns the memo, or null for anything that is not one (never throws)
 */
export function parseMemo(raw: string): Memo | null {
  try {
    const m = JSON.parse(raw) as Partial<Memo> | null;
    if (!m || m.schemaVersion !== MEMO_SCHEMA_VERSION || typeof m.key !== 'string') return null;
    if (m.codexBinSetting !== null && typeof m.codexBinSetting !== 'string') return null;
    if (m.discovery !== null && typeof m.discovery !== 'string') return null;
    const o = m.outcome as Partial<MigrationOutcome> | undefined;
    if (!o || typeof o !== 'object' || !o.servers || !Array.isArray(o.warnings) || !o.permissions || !o.hermesTools || !o.plugins || !o.block) return null;
    return m as Memo;
  } catch {
    return null;
  }
}

/**
 * The memo kept in a CODEX_HOME when its key is `key`.
 * @returns the memo, or null (none, unreadable, malformed or another key)
 */
export async function recallMemo(fs: FileSystem, codexHome: string, key: string): Promise<Memo | null> {
  const raw = await fs.readFile(memoPath(codexHome)).catch(() => null);
  const memo = raw === null ? null : parseMemo(raw.toString('utf8'));
  return memo?.key === key ? memo : null;
}

/**
 * Keep a memo in a CODEX_HOME, as hermes-codex's other files beside
 * config.toml are written (atomically, 0600). Never throws (a read-only
 * CODEX_HOME just keeps no memo).
 */
export async function keepMemo(fs: FileSystem, codexHome: string, memo: Omit<Memo, 'schemaVersion'>): Promise<void> {
  try {
    await writeOwnFile(fs, memoPath(codexHome), JSON.stringify({ schemaVersion: MEMO_SCHEMA_VERSION, ...memo }) + '\n');
  } catch {
    // A cache: the next run plans in full.
  }
}

/** Remove the memo (`--remove`, `--restore`); a missing one is fine. */
export async function forgetMemo(fs: FileSystem, codexHome: string): Promise<void> {
  await fs.rm(memoPath(codexHome), { force: true }).catch(() => undefined);
}

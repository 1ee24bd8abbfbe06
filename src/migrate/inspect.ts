/**
 * The managed block's state, in one place: doctor's `migration.block`,
 * `runtime status` and `profile list` all ask here (none of them runs
 * doctor). {@link inspectBlock} is pure: config.toml's text, its parse, and
 * the plan of what migrate would write now in; the state, the findings and
 * details out. {@link inspectManagedBlock} reads a CODEX_HOME and plans
 * with the options the last migrate recorded, then inspects.
 */
import * as path from 'node:path';
import { resolveWorkspace, withLocations, type WorkspaceOptions } from '../core/workspace.js';
import { parseCodexToml, type TomlTable } from '../config/codex-toml.js';
import { scanToml } from '../config/toml-scan.js';
import { HermesCodexError } from '../core/errors.js';
import { readTextFile } from '../fs/read-text.js';
import { entryId, locateBlock } from './block.js';
import { unifiedDiff } from './diff.js';
import { optionsFromRecord, prepareMigration } from './migrate.js';
import { planMigration, type MigrationPlan } from './plan.js';
import { entryValue, readState, sameValue, type OwnershipState } from './state.js';

/** What `runtime status` and `profile list` show, and `facts.block` of doctor's check. */
export type BlockState = 'current' | 'drift' | 'missing' | 'damaged' | 'unknown';

export interface BlockInspection {
  state: BlockState;
  /** As a doctor row: ok, warn, fail, or skip when it cannot be judged. */
  status: 'ok' | 'warn' | 'fail' | 'skip';
  summary: string;
  details: string[];
  /** Whether running migrate would heal what was found. */
  migrateHeals: boolean;
  /** The remediation an error itself carries (two blocks). */
  remediation?: string;
}

export interface BlockInput {
  file: string;
  /** Whether CODEX_HOME exists. */
  homeExists: boolean;
  /** config.toml's text (null: no file, or unreadable when `readError`). */
  text: string | null;
  readError?: boolean;
  /** The parsed text, or null when it does not parse. */
  doc: TomlTable | null;
  state: OwnershipState | null;
  /** What migrate would write now, or why that could not be worked out. */
  plan: { plan: MigrationPlan } | { error: string } | null;
}

/** The block's state and findings (see module doc). Pure. */
export function inspectBlock(input: BlockInput): BlockInspection {
  const result = (state: BlockState, status: BlockInspection['status'], summary: string, details: string[] = [], migrateHeals = false): BlockInspection => ({ state, status, summary, details, migrateHeals });
  if (!input.homeExists) return result('missing', 'warn', 'no CODEX_HOME, so no managed block yet', [], true);
  if (input.text === null) return input.readError ? result('unknown', 'skip', 'config.toml cannot be read (see codex.config)') : result('missing', 'warn', 'no config.toml, so no managed block yet', [], true);
  const lines = scanToml(input.text.replace(/^\uFEFF/, ''));
  let located;
  try {
    // Structure first: two blocks usually also make the TOML invalid, and this names the cause.
    located = locateBlock(lines, input.file);
  } catch (err) {
    return { ...result('damaged', 'fail', (err as Error).message), ...((err as HermesCodexError).remediation ? { remediation: (err as HermesCodexError).remediation! } : {}) };
  }
  if (!input.doc) return result('unknown', 'skip', 'config.toml does not parse (see codex.config)');
  const { block, orphanEnds } = located;
  if (!block) {
    return orphanEnds.length
      ? result('damaged', 'warn', `the block's start marker is gone (stray end marker at line ${orphanEnds[0]! + 1})`, [], true)
      : result('missing', 'warn', `no managed block in ${input.file}`, [], true);
  }

  const findings: { status: 'warn' | 'fail'; text: string }[] = [];
  const details: string[] = [];
  let drift = false;
  if (block.legacy) findings.push({ status: 'warn', text: `the end marker is missing (start marker at line ${block.start + 1}); codex edits such as \`codex plugin marketplace remove\` can delete it` });
  if (orphanEnds.length) findings.push({ status: 'warn', text: `stray end marker at line ${orphanEnds.map((i) => i + 1).join(', ')}` });
  const firstHeader = lines.find((l) => l.kind === 'header');
  if (firstHeader && firstHeader.index < block.start) {
    findings.push({ status: 'warn', text: `the block starts at line ${block.start + 1}, after the table [${firstHeader.headerPath!.join('.')}] at line ${firstHeader.index + 1}: its root keys (default_permissions) belong to a table there` });
  }
  // Without a plan the block cannot be called current: say why it was not compared.
  const unchecked = !input.plan ? 'no Hermes config to compare it with' : 'error' in input.plan ? `not compared with the Hermes config: ${input.plan.error}` : null;
  if (input.plan && !('error' in input.plan)) {
    const plan = input.plan.plan;
    if (plan.recoveredTables.length) findings.push({ status: 'warn', text: `tables hermes-codex wrote stand outside the block: ${plan.recoveredTables.join(', ')}` });
    // Tables Codex (or you) put inside the markers are yours: migrate moves them out unchanged. Not damage.
    for (const k of plan.keptFromBlock) {
      if (k.removeWith) findings.push({ status: 'warn', text: `${k.entry} inside the block may be left over from Hermes' migration (${k.reason}); if it is not yours: \`${k.removeWith}\`` });
      else details.push(`inside the block but yours (migrate moves it out unchanged): ${k.entry}: ${k.reason}`);
    }
    for (const k of plan.keptCodexEdits) details.push(`Codex's edits kept on ${k.entry}: ${k.keys.join(', ')}`);
    if (ownedContentDiffers(input.doc, plan, input.state)) {
      drift = true;
      findings.push({ status: 'warn', text: 'the block no longer matches what `hermes-codex migrate` would write from the current Hermes config' });
      details.push(...unifiedDiff(input.text, plan.newText, 'config.toml').split('\n').slice(0, 40));
    }
  }
  const lineRange = `lines ${block.start + 1}–${block.end + 1}`;
  if (!findings.length) return unchecked ? result('unknown', 'ok', `present (${lineRange}); ${unchecked}`, details) : result('current', 'ok', `present (${lineRange}) and current`, details);
  if (unchecked) details.push(`drift not checked: ${unchecked}`);
  // Drift alone is "drift"; anything structural makes the block "damaged".
  return result(drift && findings.length === 1 ? 'drift' : 'damaged', findings.some((f) => f.status === 'fail') ? 'fail' : 'warn', findings[0]!.text, [...findings.slice(1).map((f) => f.text), ...details], true);
}

/**
 * Whether the entries the block owns (before or after) would change: drift
 * in what migrate writes, leaving aside tables it would only move out.
 */
function ownedContentDiffers(doc: TomlTable, plan: MigrationPlan, state: OwnershipState | null): boolean {
  const next = parseCodexToml(plan.newText, 'config.toml');
  const refs = new Map([...(state?.entries ?? []), ...plan.newState.entries].map((e) => [entryId(e.ref), e.ref]));
  for (const ref of refs.values()) if (!sameValue(entryValue(doc, ref), entryValue(next, ref))) return true;
  return false;
}

/** The workspace to inspect in (or the effect and location options to resolve one from). */
export type InspectOptions = WorkspaceOptions;

/**
 * What migrate would write now into `codexHome`, with the options the last
 * migrate recorded there (plugins left as they are: nothing is started).
 * @returns the plan, or why there is none (no Hermes config is `null`)
 */
export async function planWithRecordedOptions(codexHome: string, text: string | null, state: OwnershipState | null, opts: InspectOptions): Promise<BlockInput['plan']> {
  const o = state?.options;
  try {
    const ws = withLocations(resolveWorkspace(opts), { codexHome });
    const prepared = await prepareMigration({
      workspace: ws,
      ...(o ? optionsFromRecord(o) : {}),
    });
    const plan = planMigration({
      hermes: prepared.hermes,
      configPath: prepared.configPath,
      existingText: text,
      state,
      hermesTools: prepared.hermesTools,
      permissions: prepared.permissions,
      plugins: { status: 'skipped', reason: 'inspection' },
      now: ws.now(),
      homeDir: ws.e.home,
    });
    return { plan };
  } catch (err) {
    if (/Hermes config .* does not exist/.test((err as Error).message)) return null;
    return { error: (err as Error).message };
  }
}

/** Read a CODEX_HOME's config.toml and ownership record, plan, and inspect (see {@link inspectBlock}). */
export async function inspectManagedBlock(codexHome: string, opts: InspectOptions = {}): Promise<BlockInspection> {
  const ws = resolveWorkspace(opts);
  const fs = ws.fs;
  const file = path.join(codexHome, 'config.toml');
  const homeExists = (await fs.stat(codexHome).catch(() => null))?.isDirectory() ?? false;
  let text: string | null = null;
  let readError = false;
  try {
    text = homeExists ? (await readTextFile(fs, file, 'Codex config', { missingOk: true }))?.text ?? null : null;
  } catch {
    readError = true;
  }
  let doc: TomlTable | null = null;
  try {
    doc = text === null ? null : parseCodexToml(text, file);
  } catch {
    doc = null;
  }
  const state = homeExists ? (await readState(fs, codexHome)).state : null;
  const plan = text !== null && doc ? await planWithRecordedOptions(codexHome, text, state, { workspace: ws }) : null;
  return inspectBlock({ file, homeExists, text, readError, doc, state, plan });
}

/**
 * `migrate --remove` and `migrate --restore`.
 *
 * --remove takes the managed block out, together with the tables this tool
 * owns wherever they stand, the blank lines its insertion added, and puts
 * back plain plugin tables that were consolidated into the block; everything
 * else stays as it is (foreign tables found in the block stay, moved out).
 * --restore puts the last backup back and keeps the current file as the
 * backup, so a restore can itself be undone. Both are atomic and take the
 * writer lock.
 */
import { resolveWorkspace, type WorkspaceOptions } from '../core/workspace.js';
import * as path from 'node:path';
import { FileAccessError, HermesCodexError } from '../core/errors.js';
import { parseCodexToml } from '../config/codex-toml.js';
import { formatKeyPath } from '../config/toml-format.js';
import type { FileSystem } from '../fs/filesystem.js';
import { readTextFile } from '../fs/read-text.js';
import { resolveCodexHomeFor, resolveHermesConfig } from '../core/paths.js';
import { parseHermesConfig, isRecord } from '../config/hermes-config.js';
import { assertSingleBlock, dissect, dropServerSubTables, entryLabel, hasBlock, headersInBlock, type EntryRef } from './block.js';
import { Ownership } from './ownership.js';
import { readExistingConfig } from './plan.js';
import { unifiedDiff } from './diff.js';
import { readState, statePath, type OwnershipState } from './state.js';
import { forgetMemo } from './memo.js';
import { diskLock, type LockFn } from './lock.js';
import { retryWhileChanging, type WriteRetryBounds } from './retry.js';
import { BACKUP_SUFFIX, READ_ONLY_ELSEWHERE, STATE_BACKUP_SUFFIX, keepStateBackup, replaceConfigWithBackup } from './backup.js';
import { asWriteError, refuseReadOnlyFile, writeOwnFile } from '../fs/filesystem.js';

/** The workspace (or the options to resolve one from: `--codex-home`, and the Hermes config naming a block's servers) and the undo's own settings. */
export interface UndoOptions extends WorkspaceOptions {
  dryRun?: boolean;
  /** `--remove` on a real run: include the diff in the report too (a dry run always does). */
  includeDiff?: boolean;
  showSecrets?: boolean;
  lock?: LockFn;
  /** Bounds on re-planning when config.toml keeps changing (default 40 attempts, 15 s). */
  writeRetry?: WriteRetryBounds;
}

export interface RemoveReport {
  schemaVersion: 1;
  action: 'remove';
  dryRun: boolean;
  target: string;
  changed: boolean;
  backup: string | null;
  /** Entries taken out (`mcp_servers.x`, `default_permissions`, …). */
  removed: string[];
  /** Plugin tables put back as they were before they were consolidated into the block. */
  restoredPluginTables: string[];
  diff?: string;
}

export interface RestoreReport {
  schemaVersion: 1;
  action: 'restore';
  target: string;
  restoredFrom: string;
  /** Where the content it replaced was kept (restore again to undo). */
  savedCurrentAs: string;
}

/**
 * The text without the managed block and this tool's tables. Pure.
 * @param hermesServerNames without an ownership record, the servers a Hermes-written block holds
 */
export function removalText(found: string, file: string, state: OwnershipState | null, hermesServerNames: ReadonlySet<string>): { text: string; removed: EntryRef[]; restoredPlugins: string[] } {
  // A file Hermes' migration left with a key both in the block and outside it is repaired first, as migrate does.
  const { text, doc, scanned: foundScan } = readExistingConfig(found, file);
  const scanned = foundScan ?? assertSingleBlock(text, file);
  // The same ownership rules as migrate: what the block regenerates is what --remove takes out.
  const ownership = new Ownership({ state, doc, blockHeaders: () => headersInBlock(text, file), hermesNames: hermesServerNames, permissions: null, blockExists: hasBlock(text, scanned) });
  const d = dissect(text, { file, scanned, ownedInBlock: (ref) => ownership.owns(ref), absorb: (ref) => ownership.escaped(ref) });
  const outside = d.outside.slice();
  // Take out the blank lines the first insertion added, when they are still the block's neighbours.
  if (d.hadBlock && state?.insertion) {
    if (state.insertion.after && outside[d.blockAt]?.text.trim() === '') outside.splice(d.blockAt, 1);
    if (state.insertion.before && d.blockAt > 0 && outside[d.blockAt - 1]?.text.trim() === '') outside.splice(d.blockAt - 1, 1);
  }
  // The line terminator the first insertion gave a last line that had none.
  if (d.hadBlock && state?.insertion?.finalEol && d.blockAt === d.outside.length && outside.length > 0) {
    const last = outside[outside.length - 1]!;
    outside[outside.length - 1] = { ...last, eol: '' };
  }
  let out = d.bom + outside.map((l) => l.text + l.eol).join('');
  // Sub-tables left outside for a server that went with the block (Codex's per-tool approvals) would make codex refuse the file.
  const removedSubTables: EntryRef[] = [];
  for (const ref of d.replaced) {
    if (ref.kind !== 'mcp_servers') continue;
    const left = parseCodexToml(out, file)['mcp_servers'];
    const server = isRecord(left) && Object.hasOwn(left, ref.name) ? left[ref.name] : undefined;
    if (!isRecord(server) || 'command' in server || 'url' in server) continue;
    const dropped = dropServerSubTables(out, ref.name);
    out = dropped.text;
    for (const p of dropped.removed) removedSubTables.push({ kind: 'other', name: formatKeyPath(p) });
  }
  const restoredPlugins: string[] = [];
  for (const c of state?.consolidated ?? []) {
    const user = parseCodexToml(out, file);
    if (isRecord(user['plugins']) && Object.hasOwn(user['plugins'], c.key)) continue;
    if (out.length && !out.endsWith('\n')) out += d.eol;
    // One blank line before it, as `codex plugin add` writes; the blank line that preceded it may still be there.
    const sep = out.length === 0 || out.endsWith(d.eol + d.eol) ? '' : d.eol;
    out += `${sep}[${formatKeyPath(['plugins', c.key])}]${d.eol}enabled = ${c.enabled}${d.eol}`;
    restoredPlugins.push(c.key);
  }
  parseCodexToml(out, file); // must still parse
  return { text: out, removed: [...d.replaced, ...d.absorbed, ...removedSubTables], restoredPlugins };
}

async function writeUnderLock(fs: FileSystem, lock: LockFn | undefined, codexHome: string, fn: () => Promise<void>): Promise<void> {
  const release = await (lock ?? (fs.lock ? (h: string) => fs.lock!(h) : diskLock()))(codexHome);
  try {
    await fn();
  } finally {
    await release();
  }
}

/**
 * Take the managed block and this tool's tables out of config.toml.
 * @throws ConfigSyntaxError, BlockStructureError, FileAccessError (nothing written)
 */
export async function removeManagedBlock(opts: UndoOptions = {}): Promise<RemoveReport> {
  const { fs, e, locations } = resolveWorkspace(opts);
  const home = await resolveCodexHomeFor(fs, e, locations);
  const configPath = path.join(home.path, 'config.toml');
  const report: RemoveReport = { schemaVersion: 1, action: 'remove', dryRun: opts.dryRun ?? false, target: configPath, changed: false, backup: null, removed: [], restoredPluginTables: [] };
  if (!home.exists) return report;
  // Without an ownership record, the Hermes config says which servers a Hermes-written block holds.
  const names = new Set<string>();
  try {
    const loc = await resolveHermesConfig(fs, e, locations);
    const file = await readTextFile(fs, loc.path, 'Hermes config', { missingOk: true });
    const data = file ? parseHermesConfig(file.text, loc.path).data : null;
    if (isRecord(data) && isRecord(data['mcp_servers'])) for (const n of Object.keys(data['mcp_servers'])) names.add(n);
  } catch {
    /* the Hermes config is optional here */
  }

  const run = async () => {
    await retryWhileChanging(configPath, '--remove', async () => {
      const current = await readTextFile(fs, configPath, 'Codex config', { missingOk: true });
      if (!current) return 'done';
      const { state } = await readState(fs, home.path);
      const r = removalText(current.text, configPath, state, names);
      report.removed = r.removed.map(entryLabel);
      report.restoredPluginTables = r.restoredPlugins;
      report.changed = r.text !== current.text;
      if (opts.dryRun || opts.includeDiff) report.diff = unifiedDiff(current.text, r.text, 'config.toml', { showSecrets: opts.showSecrets ?? false });
      if (opts.dryRun) return 'done';
      if (!report.changed) {
        await fs.rm(statePath(home.path), { force: true });
        await forgetMemo(fs, home.path);
        return 'done';
      }
      const written = await replaceConfigWithBackup(fs, configPath, current.text, r.text);
      if (written === 'changed') return 'changed';
      report.backup = written.backup;
      await keepStateBackup(fs, home.path);
      await fs.rm(statePath(home.path), { force: true });
      await forgetMemo(fs, home.path);
      return 'done';
    }, opts.writeRetry);
  };
  if (opts.dryRun) await run();
  else await writeUnderLock(fs, opts.lock, home.path, run);
  return report;
}

/** Beside the backup during --restore: the content being replaced, until it has become the backup. */
export const REPLACED_SUFFIX = '.replaced';

/**
 * Put the last backup of config.toml back (and the ownership record that
 * went with it). The replaced content becomes the backup.
 * @throws FileAccessError when there is no backup
 */
export async function restoreBackup(opts: UndoOptions = {}): Promise<RestoreReport> {
  const { fs, e, locations } = resolveWorkspace(opts);
  const home = await resolveCodexHomeFor(fs, e, locations);
  const configPath = path.join(home.path, 'config.toml');
  const backupPath = configPath + BACKUP_SUFFIX;
  const backup = await readTextFile(fs, backupPath, 'backup', { missingOk: true });
  if (!backup) {
    throw new FileAccessError(`there is no backup to restore (${backupPath} does not exist)`, {
      location: { file: backupPath },
      remediation: 'migrate keeps a backup the first time it changes config.toml; nothing was written.',
    });
  }
  await asWriteError('config.toml', configPath, () => writeUnderLock(fs, opts.lock, home.path, async () => {
    const current = await readTextFile(fs, configPath, 'Codex config', { missingOk: true });
    if (current) await refuseReadOnlyFile(fs, configPath, await fs.realpath(configPath), READ_ONLY_ELSEWHERE);
    // The content being replaced is set aside first and the backup is touched only once config.toml
    // holds its content, so a failed or refused step below loses neither.
    const aside = backupPath + REPLACED_SUFFIX;
    if (current) await writeOwnFile(fs, aside, current.text);
    const target = current ? await fs.realpath(configPath) : configPath;
    const ok = await fs
      .replaceIfUnchanged(target, backup.text, { mode: 0o600 }, async () => (await readTextFile(fs, configPath, 'Codex config', { missingOk: true }))?.text === current?.text)
      .catch(async (err: unknown) => {
        await fs.rm(aside, { force: true }).catch(() => undefined);
        throw err;
      });
    if (!ok) {
      await fs.rm(aside, { force: true });
      throw new HermesCodexError(`${configPath} changed while --restore ran; nothing was restored`, { location: { file: configPath }, remediation: 'Run it again.' });
    }
    if (current) {
      await writeOwnFile(fs, backupPath, current.text).catch((err: unknown) => {
        throw new FileAccessError(`${configPath} was restored, but the content it replaced could not be kept as the backup (${(err as Error).message}); it is in ${aside}`, {
          location: { file: aside },
          remediation: `Move ${aside} to ${backupPath} yourself (it is the file as it was before --restore).`,
          cause: err,
        });
      });
      await fs.rm(aside, { force: true });
    } else await fs.rm(backupPath, { force: true });
    // Swap the ownership records too, so the next migrate judges the restored file correctly.
    const st = statePath(home.path);
    const [now, saved] = await Promise.all([fs.readFile(st).catch(() => null), fs.readFile(st + STATE_BACKUP_SUFFIX).catch(() => null)]);
    if (saved) await writeOwnFile(fs, st, saved);
    else await fs.rm(st, { force: true });
    // The replaced file's record (none: it had no block, or came from --remove) becomes the record's backup.
    if (now) await writeOwnFile(fs, st + STATE_BACKUP_SUFFIX, now);
    else await fs.rm(st + STATE_BACKUP_SUFFIX, { force: true });
  }), home.path);
  return { schemaVersion: 1, action: 'restore', target: configPath, restoredFrom: backupPath, savedCurrentAs: backupPath };
}

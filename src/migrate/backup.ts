/**
 * Backups kept beside config.toml: the previous content
 * (`config.toml.hermes-codex.bak`) and the ownership record that went with
 * it (`.hermes-codex-state.json.bak`), both 0600, for `migrate --restore`.
 */
import { refuseReadOnlyFile, writeOwnFile, type FileSystem } from '../fs/filesystem.js';
import { readTextFile } from '../fs/read-text.js';
import { statePath } from './state.js';
import { tracedAsync } from '../core/trace.js';

export const BACKUP_SUFFIX = '.hermes-codex.bak';
/** What to do instead of writing a read-only config.toml another tool manages. */
export const READ_ONLY_ELSEWHERE = 'put the change there (`hermes-codex migrate --dry-run` shows it), or point --codex-home at a writable CODEX_HOME';
export const STATE_BACKUP_SUFFIX = '.bak';

/**
 * Copy the ownership record to its backup (beside it), the record that goes
 * with config.toml's backup. Without a record the backup is removed: a file
 * with no record must not come back with an older one (it would claim tables
 * the user may write later).
 */
export async function keepStateBackup(fs: FileSystem, codexHome: string): Promise<void> {
  const p = statePath(codexHome);
  const text = await fs.readFile(p).catch(() => null);
  if (text) await writeOwnFile(fs, p + STATE_BACKUP_SUFFIX, text);
  else await fs.rm(p + STATE_BACKUP_SUFFIX, { force: true });
}

/**
 * Replace config.toml atomically, keeping a backup of the old content
 * beside it (0600): a symlinked config.toml is written through to its
 * target, an existing file keeps its mode and owner, a new one is 0600.
 * Right before the atomic rename the file is read again and compared with
 * `oldText`: when another program changed it (codex does not take our
 * lock), nothing is replaced and `'changed'` tells the caller to plan again.
 * @param oldText what the caller planned from (null: the file did not exist)
 */
export async function replaceConfigWithBackup(fs: FileSystem, configPath: string, oldText: string | null, newText: string): Promise<{ backup: string | null } | 'changed'> {
  let backup: string | null = null;
  const target = oldText === null ? configPath : await fs.realpath(configPath);
  if (oldText !== null) {
    await refuseReadOnlyFile(fs, configPath, target, READ_ONLY_ELSEWHERE);
    const backupPath = configPath + BACKUP_SUFFIX;
    await tracedAsync('backup', () => writeOwnFile(fs, backupPath, oldText));
    backup = backupPath;
  }
  const replaced = await tracedAsync('write', () =>
    fs.replaceIfUnchanged(target, newText, { mode: 0o600 }, async () => {
      const now = await readTextFile(fs, configPath, 'Codex config', { missingOk: true });
      return (now?.text ?? null) === oldText;
    }),
  );
  return replaced ? { backup } : 'changed';
}

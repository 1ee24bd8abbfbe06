/**
 * Backups kept beside config.toml: the previous content
 * (`config.toml.hermes-codex.bak`) and the ownership record that went with
 * it (`.hermes-codex-state.json.bak`), both 0600, for `migrate --restore`.
 */
import { writeOwnFile, type FileSystem } from '../fs/filesystem.js';
import { statePath } from './state.js';

export const BACKUP_SUFFIX = '.hermes-codex.bak';
export const STATE_BACKUP_SUFFIX = '.bak';

/** Copy the ownership record to its backup (beside it), if there is one. */
export async function keepStateBackup(fs: FileSystem, codexHome: string): Promise<void> {
  const p = statePath(codexHome);
  const text = await fs.readFile(p).catch(() => null);
  if (text) await writeOwnFile(fs, p + STATE_BACKUP_SUFFIX, text);
}

/**
 * The file-system operations hermes-codex performs, as one small interface,
 * so orchestration can run against the real disk (`nodeFileSystem`) or an
 * in-memory volume in tests. Paths are absolute.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileAccessError } from '../core/errors.js';
import { uniqueToken } from '../core/unique.js';

export interface FileStat {
  /** Size in bytes. */
  size?: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  /** Permission bits and type, as `fs.Stats.mode`. */
  mode: number;
  uid: number;
  gid: number;
}

export interface FileSystem {
  readFile(path: string): Promise<Buffer>;
  stat(path: string): Promise<FileStat>;
  lstat(path: string): Promise<FileStat>;
  realpath(path: string): Promise<string>;
  readlink(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
  mkdir(path: string, opts: { recursive?: boolean; mode?: number }): Promise<void>;
  /**
   * Replace `path` atomically (temp file in the same directory, fsync, rename).
   * `mode` applies to a new file; an existing file keeps its mode and owner.
   */
  writeFileAtomic(path: string, data: string | Buffer, opts?: { mode?: number }): Promise<void>;
  rm(path: string, opts?: { force?: boolean; recursive?: boolean }): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  /**
   * Replace `path` with `data` only if `verify()` still holds at the last
   * moment: the data goes to a temp file in the same directory and is
   * synced first, then `verify()` runs, then the rename. Resolves false (the
   * temp file removed, nothing changed) when `verify()` says no. Keeps an
   * existing file's mode and owner; `mode` is for a new file (with `ownMode`,
   * for an existing one too, which then becomes the writer's). Temp files are
   * named `.<name>.hermes-codex-<pid>-<hex>.tmp` (see {@link isOurTempFile}).
   */
  replaceIfUnchanged(path: string, data: string | Buffer, opts: { mode?: number; ownMode?: boolean }, verify: () => Promise<boolean>): Promise<boolean>;
  /**
   * Take the cross-process writer lock of a CODEX_HOME; resolves to its
   * release. Optional: without it, migrate uses the lock file on disk.
   */
  lock?(codexHome: string): Promise<() => Promise<void>>;
}

/**
 * Write one of hermes-codex's own files beside config.toml (a backup, the
 * ownership record, the no-change memo), atomically and 0600. When the name is a symlink, the
 * link itself is replaced, never the file it points to: only config.toml is
 * written through a link.
 */
export async function writeOwnFile(fs: FileSystem, p: string, data: string | Buffer): Promise<void> {
  if ((await fs.lstat(p).catch(() => null))?.isSymbolicLink()) await fs.rm(p, { force: true });
  // The writer config.toml goes through (temp file, fsync, rename, directory fsync), with nothing to
  // verify: on the write path of every migrate, it costs about 2 ms less than write-file-atomic, whose
  // module and its own dependencies are loaded on first use (measured, docs/performance.md).
  await fs.replaceIfUnchanged(p, data, { mode: 0o600, ownMode: true }, async () => true);
}

/**
 * The real file system. Each call is Node's synchronous one behind a
 * promise: a command line tool has nothing to do while one of its own
 * reads or writes runs, and the synchronous calls skip the thread-pool
 * round trip each promise-based call takes and loading node:fs/promises
 * (together about 2 ms of a 10-server migrate, measured; docs/performance.md).
 * Errors are the same `ErrnoException`s, as rejections.
 */
export const nodeFileSystem: FileSystem = {
  readFile: async (p) => fs.readFileSync(p),
  stat: async (p) => fs.statSync(p),
  lstat: async (p) => fs.lstatSync(p),
  realpath: async (p) => fs.realpathSync.native(p),
  readlink: async (p) => fs.readlinkSync(p),
  readdir: async (p) => fs.readdirSync(p),
  mkdir: async (p, opts) => {
    fs.mkdirSync(p, opts);
  },
  writeFileAtomic: async (p, data, opts) => {
    // Loaded on the first write, not at start-up. It keeps an existing file's mode and owner unless told otherwise.
    const { default: writeFileAtomicLib } = await import('write-file-atomic');
    await writeFileAtomicLib(p, data, opts?.mode === undefined ? {} : { mode: opts.mode });
  },
  rm: async (p, opts) => (opts?.recursive ? fs.rmSync(p, opts) : removeSync(p, opts?.force === true)),
  chmod: async (p, mode) => fs.chmodSync(p, mode),
  async replaceIfUnchanged(target, data, opts, verify) {
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.hermes-codex-${process.pid}-${uniqueToken()}.tmp`);
    const existing = opts.ownMode ? null : statOrNull(target);
    try {
      const fd = fs.openSync(tmp, 'wx', existing ? existing.mode & 0o7777 : opts.mode ?? 0o600);
      try {
        fs.writeFileSync(fd, data);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      if (existing) {
        fs.chmodSync(tmp, existing.mode & 0o7777);
        if (process.getuid?.() === 0) {
          try {
            fs.chownSync(tmp, existing.uid, existing.gid);
          } catch {
            // not ours to give away: the file keeps our owner
          }
        }
      }
      if (!(await verify())) {
        fs.rmSync(tmp, { force: true });
        return false;
      }
      fs.renameSync(tmp, target);
      syncDirectory(path.dirname(target)); // make the rename itself durable
      return true;
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  },
};

/** `fs.statSync`, or null when the path cannot be stat'ed (missing, unreadable). */
export function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

/** fsync a directory, best effort (some file systems refuse it). */
function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * True for temp files hermes-codex writers leave behind when killed: ours
 * (`.<name>.hermes-codex-<pid>-<hex>.tmp`: config.toml, the backups, the
 * record, the no-change memo) and write-file-atomic's (`<name>.<number>`:
 * the backups and the record of earlier releases). Only a lock holder
 * creates them, so any found by the next lock holder are a dead writer's;
 * the exception is the memo, which a run that writes nothing keeps without
 * the lock: sweeping one being written only makes that memo fail (a cache).
 */
export function isOurTempFile(name: string): boolean {
  return (
    /^\..+\.hermes-codex-\d+-[0-9a-f]+\.tmp$/.test(name) ||
    /^config\.toml\.hermes-codex\.bak\.\d+$/.test(name) ||
    /^\.hermes-codex-state\.json(\.bak)?\.\d+$/.test(name)
  );
}

/**
 * Turn an error from writing into an actionable FileAccessError (read-only
 * or unwritable directory, full disk); other errors pass through.
 * @param dir the directory that must be writable (default: the one holding `file`)
 */
export async function asWriteError<T>(what: string, file: string, fn: () => Promise<T>, dir = path.dirname(file)): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new FileAccessError(`cannot write ${what} ${file}: ${code === 'EROFS' ? 'the file system is read-only' : 'permission denied'}`, {
        location: { file },
        remediation: `Make ${dir} writable for this user (ls -ld ${dir}), or point --codex-home elsewhere; config.toml was left as it was.`,
        cause: err,
      });
    }
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new FileAccessError(`cannot write ${what} ${file}: no space left`, { location: { file }, remediation: 'Free some disk space and run again; config.toml was left as it was.', cause: err });
    }
    throw err;
  }
}

/**
 * Refuse to replace a file nobody may write: no write bit in its mode (`chmod
 * a-w`, or a file in the Nix store that home-manager links config.toml to).
 * A rename in a writable directory would replace it anyway and undo what
 * the mode says; root would too. A missing file, or one with any write bit,
 * passes (the write then fails or not on its own).
 * @param shown the path as the user knows it (config.toml, config.yaml)
 * @param target where it resolves (the link's target, or `shown`)
 * @param instead what to do when another tool manages the file (e.g. `make the change there, or point --codex-home at a writable CODEX_HOME`)
 * @throws FileAccessError naming the file, its mode, the link's target and what to do; nothing is written
 */
export async function refuseReadOnlyFile(fs: FileSystem, shown: string, target: string, instead: string): Promise<void> {
  const what = await readOnlyFile(fs, shown, target);
  if (what) throw new FileAccessError(`${what}, so hermes-codex will not replace it; nothing was written`, { location: { file: shown }, remediation: readOnlyRemediation(target, instead) });
}

/**
 * {@link refuseReadOnlyFile}'s finding without the refusal (for a dry run to warn, or doctor not to offer a fix):
 * `<shown> is read-only (mode 0444, a link to <target>)`, or null when the file may be written.
 */
export async function readOnlyFile(fs: FileSystem, shown: string, target: string): Promise<string | null> {
  const st = await fs.stat(target).catch(() => null);
  if (!st?.isFile() || (st.mode & 0o222) !== 0) return null;
  const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
  return `${shown} is read-only (mode ${mode}${target !== shown ? `, a link to ${target}` : ''})`;
}

/** What to do about a read-only file (see {@link refuseReadOnlyFile}'s `instead`). */
export function readOnlyRemediation(target: string, instead: string): string {
  return `If another tool manages this file (home-manager, a dotfiles repository), ${instead}; otherwise make it writable (chmod u+w ${target}) and run again.`;
}

/**
 * `fs.rmSync(p, { force })` for a path that is not removed recursively, by `unlinkSync` first:
 * `rmSync` loads Node's rimraf on its first call (0.7 ms, measured), which every writing `migrate`
 * paid to release its lock and remove a memo that is usually not there. Whatever unlink does not
 * settle (a directory, any error but a missing file under `force`) goes to `rmSync`, so the outcome
 * and the errors stay Node's.
 * @throws what `fs.rmSync` throws
 */
export function removeSync(p: string, force: boolean): void {
  try {
    fs.unlinkSync(p);
    return;
  } catch (err) {
    if (force && errnoCode(err) === 'ENOENT') return;
  }
  fs.rmSync(p, { force });
}

/** The `code` of a Node system error, if any. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

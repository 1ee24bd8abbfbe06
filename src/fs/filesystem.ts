/**
 * The file-system operations hermes-codex performs, as one small interface,
 * so orchestration can run against the real disk (`nodeFileSystem`) or an
 * in-memory volume in tests. Paths are absolute.
 */
import * as fsp from 'node:fs/promises';
import writeFileAtomicLib from 'write-file-atomic';

export interface FileStat {
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
   * Take the cross-process writer lock of a CODEX_HOME; resolves to its
   * release. Optional: without it, migrate uses the lock directory on disk.
   */
  lock?(codexHome: string): Promise<() => Promise<void>>;
}

/** The real file system; atomic writes through write-file-atomic. */
export const nodeFileSystem: FileSystem = {
  readFile: (p) => fsp.readFile(p),
  stat: (p) => fsp.stat(p),
  lstat: (p) => fsp.lstat(p),
  realpath: (p) => fsp.realpath(p),
  readlink: (p) => fsp.readlink(p),
  readdir: (p) => fsp.readdir(p),
  mkdir: async (p, opts) => {
    await fsp.mkdir(p, opts);
  },
  writeFileAtomic: (p, data, opts) =>
    // write-file-atomic keeps an existing file's mode and owner unless told otherwise.
    writeFileAtomicLib(p, data, opts?.mode === undefined ? {} : { mode: opts.mode }),
  rm: (p, opts) => fsp.rm(p, opts),
  chmod: (p, mode) => fsp.chmod(p, mode),
};

/** The `code` of a Node system error, if any. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

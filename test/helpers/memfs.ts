/**
 * A FileSystem (src/fs/filesystem.ts) over an in-memory memfs volume.
 * Atomic writes are temp-file + rename, keeping an existing file's mode.
 */
import { Volume } from 'memfs';
import * as path from 'node:path';
import type { FileSystem } from '../../src/fs/filesystem.js';
import { memoryLock } from '../../src/migrate/lock.js';

export interface MemFs extends FileSystem {
  vol: InstanceType<typeof Volume>;
  /** Read a file as UTF-8 (test convenience). */
  text(p: string): string;
  exists(p: string): boolean;
  modeOf(p: string): number;
}

export function memFileSystem(files: Record<string, string | null> = {}): MemFs {
  const vol = new Volume();
  for (const [p, content] of Object.entries(files)) {
    if (content === null) vol.mkdirSync(p, { recursive: true });
    else {
      vol.mkdirSync(path.dirname(p), { recursive: true });
      vol.writeFileSync(p, content);
    }
  }
  const fsp = vol.promises;
  let counter = 0;
  const lock = memoryLock();
  return {
    vol,
    lock,
    readFile: async (p) => Buffer.from((await fsp.readFile(p)) as Buffer),
    stat: async (p) => (await fsp.stat(p)) as never,
    lstat: async (p) => (await fsp.lstat(p)) as never,
    realpath: async (p) => String(await fsp.realpath(p)),
    readlink: async (p) => String(await fsp.readlink(p)),
    readdir: async (p) => ((await fsp.readdir(p)) as unknown[]).map(String),
    mkdir: async (p, opts) => {
      await fsp.mkdir(p, opts);
    },
    writeFileAtomic: async (p, data, opts) => {
      const existing = await fsp.stat(p).catch(() => null);
      const tmp = `${p}.tmp-${++counter}`;
      await fsp.writeFile(tmp, data, { mode: existing ? Number(existing.mode) & 0o777 : opts?.mode ?? 0o644 });
      if (existing) await fsp.chmod(tmp, Number(existing.mode) & 0o777);
      else if (opts?.mode !== undefined) await fsp.chmod(tmp, opts.mode);
      await fsp.rename(tmp, p);
    },
    replaceIfUnchanged: async (p, data, opts, verify) => {
      const existing = opts.ownMode ? null : await fsp.stat(p).catch(() => null);
      const tmp = `${path.dirname(p)}/.${path.basename(p)}.hermes-codex-1-${(++counter).toString(16)}.tmp`;
      await fsp.writeFile(tmp, data, { mode: existing ? Number(existing.mode) & 0o777 : opts.mode ?? 0o600 });
      await fsp.chmod(tmp, existing ? Number(existing.mode) & 0o777 : opts.mode ?? 0o600);
      if (!(await verify())) {
        await fsp.rm(tmp);
        return false;
      }
      await fsp.rename(tmp, p);
      return true;
    },
    rm: async (p, opts) => {
      await fsp.rm(p, opts as never);
    },
    chmod: async (p, mode) => {
      await fsp.chmod(p, mode);
    },
    text: (p) => vol.readFileSync(p, 'utf8') as string,
    exists: (p) => vol.existsSync(p),
    modeOf: (p) => Number(vol.statSync(p).mode) & 0o777,
  };
}

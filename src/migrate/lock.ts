/**
 * A cross-process lock that serialises hermes-codex's own writers of one
 * config.toml: an exclusive lock file beside it (`O_EXCL` create) recording
 * the holder's pid, host and start time. A lock whose holder is gone (same
 * host, pid no longer running) is taken over at once; one older than
 * `staleMs` is taken over too (another host, a reused pid). Taking over
 * renames the stale file to a unique name first, so two waiters can never
 * both claim it. Codex does not take this lock, so writers also compare the
 * file right before the atomic rename (see migrate.ts).
 */
import { withJitter } from '../core/backoff.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HermesCodexError } from '../core/errors.js';
import { uniqueToken } from '../core/unique.js';
import { removeSync, statOrNull } from '../fs/filesystem.js';

export const LOCK_NAME = 'config.toml.hermes-codex.lock';
const EMPTY_LOCK_GRACE_MS = 2000;

/** Acquire the lock for a CODEX_HOME; resolves to the release function. */
export type LockFn = (codexHome: string) => Promise<() => Promise<void>>;

export interface LockOptions {
  /** A lock older than this is stale whatever its pid says (ms, default 10 min). */
  staleMs?: number;
  /** How long to wait for the lock before giving up (ms, default 30 s). */
  waitMs?: number;
}

interface LockInfo {
  pid: number;
  host: string;
  startedAt: number;
  token: string;
}

function readOrEmpty(p: string): string {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The real lock on disk. */
export function diskLock(opts: LockOptions = {}): LockFn {
  const staleMs = opts.staleMs ?? 10 * 60_000;
  const waitMs = opts.waitMs ?? 30_000;
  return async (codexHome) => {
    const lockPath = path.join(codexHome, LOCK_NAME);
    const me: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: Date.now(), token: uniqueToken() };
    const deadline = Date.now() + waitMs;
    for (let attempt = 0; ; attempt++) {
      try {
        // Synchronous calls, as nodeFileSystem's (filesystem.ts): nothing else runs meanwhile.
        const fd = fs.openSync(lockPath, 'wx', 0o600);
        try {
          fs.writeFileSync(fd, JSON.stringify(me));
        } finally {
          fs.closeSync(fd);
        }
        return async () => {
          // Release only our own lock (a stale takeover may have replaced it).
          if (readOrEmpty(lockPath).includes(me.token)) removeSync(lockPath, true);
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = await readHolder(lockPath);
      if (await isStale(lockPath, holder, me.host, staleMs)) {
        await claimStale(lockPath, me.token);
        continue;
      }
      if (Date.now() > deadline) {
        throw new HermesCodexError(`another hermes-codex (pid ${holder?.pid ?? '?'}) is writing ${path.join(codexHome, 'config.toml')} and still holds ${lockPath}`, {
          location: { file: lockPath },
          remediation: 'Wait for it to finish and run again. A lock whose process has ended is taken over automatically.',
        });
      }
      await new Promise((r) => setTimeout(r, withJitter(Math.min(250, 20 + attempt * 10))));
    }
  };
}

async function readHolder(lockPath: string): Promise<LockInfo | null> {
  try {
    return JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockInfo;
  } catch {
    return null; // being written right now, or unreadable
  }
}

/** Dead holder on this host, older than staleMs, or an empty/unreadable lock left for seconds. */
async function isStale(lockPath: string, holder: LockInfo | null, host: string, staleMs: number): Promise<boolean> {
  if (holder) return (holder.host === host && !alive(holder.pid)) || Date.now() - holder.startedAt > staleMs;
  // A holder writes its record right after creating the file; an empty or unreadable lock
  // that stays so for seconds belongs to a writer killed in between.
  const mtime = statOrNull(lockPath)?.mtimeMs;
  return mtime !== undefined && Date.now() - mtime > EMPTY_LOCK_GRACE_MS;
}

/** Claim a stale lock by renaming it away; only one claimant's rename succeeds. */
async function claimStale(lockPath: string, token: string): Promise<void> {
  try {
    fs.renameSync(lockPath, `${lockPath}.stale-${token}`);
    removeSync(`${lockPath}.stale-${token}`, true);
  } catch {
    // another claimant's rename won
  }
}

/**
 * Remove the lock of a CODEX_HOME when its holder is provably gone (runs
 * that have nothing to write call this, so a killed writer's lock does not
 * linger). Never touches a live holder's lock.
 */
export async function clearStaleLock(codexHome: string, staleMs = 10 * 60_000): Promise<boolean> {
  const lockPath = path.join(codexHome, LOCK_NAME);
  if (!statOrNull(lockPath)) return false;
  if (!(await isStale(lockPath, await readHolder(lockPath), os.hostname(), staleMs))) return false;
  await claimStale(lockPath, uniqueToken());
  return true;
}

/** A lock for in-memory tests and single-process use: a promise chain per CODEX_HOME. */
export function memoryLock(): LockFn {
  const tails = new Map<string, Promise<void>>();
  return async (codexHome) => {
    const prev = tails.get(codexHome) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    tails.set(codexHome, prev.then(() => mine));
    await prev;
    return async () => release();
  };
}

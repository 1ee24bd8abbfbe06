/**
 * A cross-process lock that serialises hermes-codex's own writers of one
 * config.toml (proper-lockfile: an exclusive lock directory beside
 * config.toml, refreshed while held; a lock whose holder died is taken over
 * once it is stale). Codex does not take this lock, so writers also compare
 * the file right before the atomic rename (see migrate.ts).
 */
import * as path from 'node:path';
import lockfile from 'proper-lockfile';
import { HermesCodexError } from '../errors.js';

export const LOCK_NAME = 'config.toml.hermes-codex.lock';

/** Acquire the lock for a CODEX_HOME; resolves to the release function. */
export type LockFn = (codexHome: string) => Promise<() => Promise<void>>;

export interface LockOptions {
  /** A lock not refreshed for this long is stale and taken over (ms, default 10 s). */
  staleMs?: number;
  /** How long to wait for the lock before giving up (ms, default 30 s). */
  waitMs?: number;
}

/** The real lock on disk. */
export function diskLock(opts: LockOptions = {}): LockFn {
  const stale = opts.staleMs ?? 10_000;
  const wait = opts.waitMs ?? 30_000;
  return async (codexHome) => {
    const lockPath = path.join(codexHome, LOCK_NAME);
    // Enough retries of 50–400 ms to cover `wait`.
    const retries = Math.ceil(wait / 250);
    try {
      const release = await lockfile.lock(codexHome, {
        lockfilePath: lockPath,
        realpath: false,
        stale,
        update: Math.max(1000, Math.floor(stale / 2)),
        retries: { retries, factor: 1.3, minTimeout: 50, maxTimeout: 400, randomize: true },
        onCompromised: () => {
          /* the write path re-checks the file's hash before renaming; a compromised lock only weakens ordering */
        },
      });
      return async () => {
        await release().catch(() => undefined);
      };
    } catch (err) {
      if ((err as { code?: string }).code === 'ELOCKED') {
        throw new HermesCodexError(`another hermes-codex is writing ${path.join(codexHome, 'config.toml')} and still holds ${lockPath}`, {
          location: { file: lockPath },
          remediation: `Wait for it to finish and run again; if none is running, the lock is stale and is taken over ${Math.round(stale / 1000)} s after its holder died.`,
        });
      }
      throw err;
    }
  };
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

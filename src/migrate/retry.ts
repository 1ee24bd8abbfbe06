/**
 * Retrying a read-plan-write of config.toml while another program keeps
 * changing it. Codex (CLI and Desktop) and Hermes' Python migration write
 * config.toml without taking hermes-codex's lock, so every writer here
 * re-reads the file right before its atomic rename and, when it changed,
 * plans again from the new content. A burst of writes (a `codex mcp add`, a
 * Desktop save) is waited out with exponential backoff; a file that never
 * settles gets a typed error and nothing is written.
 */
import { backoffMs } from '../core/backoff.js';
import { HermesCodexError } from '../core/errors.js';

/** Default bounds: at most 40 attempts and 15 s in all (below the lock's 30 s wait, so waiters outlast a holder's retries). */
export const WRITE_RETRY = { attempts: 40, budgetMs: 15_000 } as const;

/** Bounds on retries; either one stops them. */
export interface WriteRetryBounds {
  /** Most attempts, the first included (default 40). */
  attempts?: number;
  /** Most time in all, in ms, counted from the first attempt (default 15,000). */
  budgetMs?: number;
}

/** config.toml changed under every attempt; nothing was written. */
export class ConfigKeptChangingError extends HermesCodexError {
  /** Attempts made. */
  readonly attempts: number;
  /** Time spent, in ms. */
  readonly elapsedMs: number;

  constructor(file: string, what: string, attempts: number, elapsedMs: number) {
    super(`${file} kept changing while ${what} ran (${attempts} attempts over ${(elapsedMs / 1000).toFixed(1)} s); another program is writing it; nothing was written`, {
      location: { file },
      remediation: 'Run it again once the other program (codex, Codex Desktop, Hermes) is done with the file.',
    });
    this.attempts = attempts;
    this.elapsedMs = elapsedMs;
  }
}

/**
 * Backoff before retry number `attempt` (1-based), in ms:
 * 25·2^(attempt−1), capped at 1,000, times a jitter factor in [0.5, 1.5).
 */
export function writeRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  return backoffMs(attempt - 1, 25, 1000, random);
}

/** What one attempt did: `'done'` (wrote, or found nothing to write) or `'changed'` (the file changed under it; nothing written). */
export type AttemptOutcome = 'done' | 'changed';

/**
 * Run `attempt(n)` (n from 0) until it returns `'done'`, sleeping
 * {@link writeRetryDelayMs} between attempts, within `bounds`.
 * @param file config.toml's path, for the error
 * @param what the operation, for the error ("migrate", "--remove")
 * @throws ConfigKeptChangingError when the bounds run out; whatever `attempt` throws
 */
export async function retryWhileChanging(
  file: string,
  what: string,
  attempt: (n: number) => Promise<AttemptOutcome>,
  bounds: WriteRetryBounds = {},
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<void> {
  const maxAttempts = bounds.attempts ?? WRITE_RETRY.attempts;
  const budgetMs = bounds.budgetMs ?? WRITE_RETRY.budgetMs;
  const started = Date.now();
  let n = 0;
  while (n < maxAttempts) {
    if (n > 0) {
      const delay = writeRetryDelayMs(n);
      if (Date.now() - started + delay > budgetMs) break;
      await sleep(delay);
    }
    const outcome = await attempt(n);
    n++;
    if (outcome === 'done') return;
  }
  throw new ConfigKeptChangingError(file, what, n, Date.now() - started);
}

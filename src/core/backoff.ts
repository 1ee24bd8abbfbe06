/**
 * Waiting between retries: exponential backoff with jitter, one formula for
 * every retry loop (config.toml that keeps changing, an overloaded codex,
 * a lock held by another writer).
 */

/** `ms` times a jitter factor in [0.5, 1.5), so waiters do not retry in step. */
export function withJitter(ms: number, random: () => number = Math.random): number {
  return ms * (0.5 + random());
}

/**
 * The wait before retry number `attempt` (0-based), in ms: `firstMs`·2^attempt,
 * capped at `capMs`, with jitter (see {@link withJitter}).
 */
export function backoffMs(attempt: number, firstMs: number, capMs: number, random: () => number = Math.random): number {
  return withJitter(Math.min(capMs, firstMs * 2 ** Math.min(Math.max(attempt, 0), 30)), random);
}

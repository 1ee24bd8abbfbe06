import { describe, expect, it } from 'vitest';
import { ConfigKeptChangingError, WRITE_RETRY, retryWhileChanging, writeRetryDelayMs } from '../../src/migrate/retry.js';

describe('writeRetryDelayMs', () => {
  it('doubles from 25 ms, caps at one second, with jitter in [0.5, 1.5)', () => {
    expect(writeRetryDelayMs(1, () => 0)).toBe(12.5);
    expect(writeRetryDelayMs(1, () => 0.5)).toBe(25);
    expect(writeRetryDelayMs(2, () => 0.5)).toBe(50);
    expect(writeRetryDelayMs(3, () => 0.5)).toBe(100);
    expect(writeRetryDelayMs(6, () => 0.5)).toBe(800);
    expect(writeRetryDelayMs(7, () => 0.5)).toBe(1000);
    expect(writeRetryDelayMs(400, () => 0.999)).toBeCloseTo(1499);
  });
});

describe('retryWhileChanging', () => {
  it('stops at the first done attempt, sleeping the backoff between attempts', async () => {
    const slept: number[] = [];
    const seen: number[] = [];
    await retryWhileChanging('/c/config.toml', 'migrate', async (n) => {
      seen.push(n);
      return n < 3 ? 'changed' : 'done';
    }, {}, async (ms) => { slept.push(ms); });
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(slept).toHaveLength(3);
    for (const [i, ms] of slept.entries()) {
      expect(ms).toBeGreaterThanOrEqual(writeRetryDelayMs(i + 1, () => 0));
      expect(ms).toBeLessThan(writeRetryDelayMs(i + 1, () => 1));
    }
  });

  it('stops at the attempt bound with a typed error naming the file and the count', async () => {
    let calls = 0;
    const err = await retryWhileChanging('/c/config.toml', 'migrate', async () => { calls++; return 'changed'; }, { attempts: 5 }, async () => undefined)
      .then(() => null, (e: unknown) => e);
    expect(calls).toBe(5);
    expect(err).toBeInstanceOf(ConfigKeptChangingError);
    const e = err as ConfigKeptChangingError;
    expect(e.attempts).toBe(5);
    expect(e.location.file).toBe('/c/config.toml');
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/^\/c\/config\.toml kept changing while migrate ran \(5 attempts over \d+\.\d s\); .*nothing was written$/);
    expect(e.remediation).toMatch(/again/);
  });

  it('stops before a sleep that would overrun the time budget', async () => {
    let calls = 0;
    // No time passes in the fake sleep, so only a delay larger than the budget can stop it: the first is at least 12.5 ms.
    const err = await retryWhileChanging('/c/config.toml', '--remove', async () => { calls++; return 'changed'; }, { attempts: 1000, budgetMs: 10 }, async () => undefined)
      .then(() => null, (e: unknown) => e);
    expect(calls).toBe(1);
    expect((err as ConfigKeptChangingError).attempts).toBe(1);
  });

  it('passes on what an attempt throws, without retrying', async () => {
    let calls = 0;
    await expect(retryWhileChanging('/c/config.toml', 'migrate', async () => { calls++; throw new Error('disk full'); }, {}, async () => undefined)).rejects.toThrow('disk full');
    expect(calls).toBe(1);
  });

  it('has default bounds a waiting lock outlasts (the lock waits 30 s)', () => {
    expect(WRITE_RETRY.budgetMs).toBeLessThan(30_000);
    expect(WRITE_RETRY.attempts).toBeGreaterThan(8);
  });
});

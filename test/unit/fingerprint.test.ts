/**
 * The record's and the memo's fingerprints (src/core/fingerprint.ts) and the
 * tokens that name our temporary files (src/core/unique.ts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cyrb53, fingerprint, fingerprintTwice } from '../../src/core/fingerprint.js';
import { uniqueToken } from '../../src/core/unique.js';

describe('cyrb53', () => {
  it("gives the author's published values", () => {
    // bryc's examples for cyrb53 (github.com/bryc/code, jshash): an independent statement of the function.
    expect(cyrb53('a')).toBe(7929297801672961);
    expect(cyrb53('b')).toBe(8684336938537663);
    expect(cyrb53('revenge')).toBe(4051478007546757);
    expect(cyrb53('revenue')).toBe(8309097637345594);
  });

  it('is a 53-bit integer, written as 14 hex digits, zero-padded', () => {
    fc.assert(fc.property(fc.string(), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (text, seed) => {
      const n = cyrb53(text, seed);
      expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
      expect(fingerprint(text, seed)).toMatch(/^[0-9a-f]{14}$/);
      expect(parseInt(fingerprint(text, seed), 16)).toBe(n);
    }), { numRuns: 500 });
  });

  it('tells apart texts that differ only in the high byte of a code unit, in one unit of a long text, or in length', () => {
    expect(fingerprint('\u0100')).not.toBe(fingerprint('\u0000'));
    expect(fingerprint('é')).not.toBe(fingerprint('\u01e9'));
    const long = 'x'.repeat(100_000);
    expect(fingerprint(`${long}a`)).not.toBe(fingerprint(`${long}b`));
    expect(fingerprint('')).not.toBe(fingerprint('\u0000'));
    expect(fingerprint('a', 0)).not.toBe(fingerprint('a', 1));
  });

  it('gives 100,000 distinct texts (TOML-like, one character apart) distinct fingerprints', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(fingerprint(`{"command":"npx","args":["-y","server-${i}"],"startup_timeout_sec":${i % 60}}`));
    expect(seen.size).toBe(100_000);
  });
});

describe('fingerprintTwice (the memo key)', () => {
  it('is the fingerprints with seeds 0 and 1, joined, for any text', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), (text) => {
      expect(fingerprintTwice(text)).toBe(fingerprint(text, 0) + fingerprint(text, 1));
    }), { numRuns: 500 });
    expect(fingerprintTwice('a')).toBe(`${(7929297801672961).toString(16).padStart(14, '0')}${fingerprint('a', 1)}`);
    const long = `${'# managed by hermes-agent — '.repeat(20_000)}\u0100`;
    expect(fingerprintTwice(long)).toBe(fingerprint(long, 0) + fingerprint(long, 1));
  });
});

describe('uniqueToken', () => {
  it('is 16 hex digits, different on every call', () => {
    const tokens = new Set(Array.from({ length: 10_000 }, () => uniqueToken()));
    expect(tokens.size).toBe(10_000);
    for (const t of tokens) expect(t).toMatch(/^[0-9a-f]{16}$/);
  });
});

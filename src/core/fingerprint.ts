/**
 * Fingerprints of texts for change detection: the ownership record's
 * per-entry and per-key fingerprints (src/migrate/state.ts) and the
 * no-change memo's key (src/migrate/memo.ts). They answer "is this the text
 * seen last time?" for files that only their owner writes. That is not a
 * security boundary: whoever can write config.toml can write the record too.
 *
 * The hash is cyrb53 (bryc, public domain: github.com/bryc/code, jshash),
 * a 53-bit multiply-xor hash over a string's UTF-16 code units. It is used
 * instead of SHA-256 because on the path every `migrate` takes, loading
 * `node:crypto` cost 6–7 ms, and the first hash 2 ms more (it loads Node's
 * whole stream stack). That was most of what stood between a 10-server
 * `migrate` and its target. The measured alternatives were all slower, or
 * gave 32 bits (docs/performance.md, sixteenth session):
 * - SHA-256 in JavaScript (fast-sha256, @aws-crypto/sha256-js, @noble/hashes);
 * - WebAssembly (xxhash-wasm, whose engine start alone took 6.5 ms);
 * - the murmur packages (murmurhash, murmurhash3js-revisited).
 *
 * Two texts that differ get the same fingerprint with a probability of
 * about 2^-53 (1 in 9·10^15).
 */

/**
 * cyrb53 of `text` with `seed` (an unsigned 32-bit integer), as an integer
 * below 2^53. Pure. The author's published values are `cyrb53('a') ===
 * 7929297801672961` and `cyrb53('revenge') === 4051478007546757`.
 */
export function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ unit, 2654435761);
    h2 = Math.imul(h2 ^ unit, 1597334677);
  }
  return mix53(h1, h2);
}

/** cyrb53's final mix of its two 32-bit lanes into an integer below 2^53. */
function mix53(h1: number, h2: number): number {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** {@link cyrb53} of `text` as 14 lowercase hex digits (53 bits, zero-padded): the form the record and the memo store. */
export function fingerprint(text: string, seed = 0): string {
  return cyrb53(text, seed).toString(16).padStart(14, '0');
}

/**
 * `fingerprint(text, 0) + fingerprint(text, 1)` (28 hex digits, 106 bits:
 * the no-change memo's key), made in one pass over the text instead of two
 * (the memo's key covers config.yaml, config.toml and the record: 670 KB
 * at 1,000 servers, where the second pass cost about 6 ms).
 */
export function fingerprintTwice(text: string): string {
  let a1 = 0xdeadbeef;
  let a2 = 0x41c6ce57;
  let b1 = 0xdeadbeef ^ 1;
  let b2 = 0x41c6ce57 ^ 1;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    a1 = Math.imul(a1 ^ unit, 2654435761);
    a2 = Math.imul(a2 ^ unit, 1597334677);
    b1 = Math.imul(b1 ^ unit, 2654435761);
    b2 = Math.imul(b2 ^ unit, 1597334677);
  }
  return hex53(a1, a2) + hex53(b1, b2);
}

/** {@link mix53} as 14 lowercase hex digits, zero-padded. */
function hex53(h1: number, h2: number): string {
  return mix53(h1, h2).toString(16).padStart(14, '0');
}

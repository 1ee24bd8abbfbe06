/**
 * canonicalJson is written in one pass; the ownership record's digests were
 * made with `JSON.stringify` of the key-sorted value. Both must give the same
 * text for every value a TOML parser can produce (and then some).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { canonicalJson, canonicalMembers, jsonFaithful } from '../../src/config/codex-toml.js';
import { parse as parseToml } from 'smol-toml';
import { Fingerprints, digestOf } from '../../src/migrate/state.js';

const RUNS = Number(process.env['HERMES_CODEX_PROPERTY_RUNS'] ?? 150);

/** The reference: the sorted copy, then JSON.stringify (the original implementation). */
function reference(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v instanceof Date) return { $date: v.toISOString() };
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
      return out;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) };
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

/** A value a TOML parser could give (and then some): every kind of leaf, including what plain JSON changes. */
const leaf = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: true }),
  fc.constantFrom(Infinity, -Infinity, NaN, -0),
);

/** Leaves, arrays and tables nested, the tables' keys short strings or one of `keys`; `leafWeight` makes leaves likelier. */
function parsedValue(keys: readonly string[], leafWeight: number): fc.Arbitrary<unknown> {
  return fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      ...Array.from({ length: leafWeight }, () => leaf),
      fc.array(tie('v'), { maxLength: 4 }),
      fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...keys)), tie('v'), { maxKeys: 5 }),
    ),
  })).v;
}

describe('canonicalJson', () => {
  it('gives an array of strings the text of its strings joined (the JSON.stringify path), lone surrogates and escapes included', () => {
    const str = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', '\uD800', 'a\uDC00', '"\\', '\u007f\u0000', '\u2028'));
    fc.assert(fc.property(fc.array(str, { maxLength: 12 }), (values) => {
      expect(canonicalJson(values)).toBe(reference(values));
      expect(canonicalJson({ k: values })).toBe(reference({ k: values }));
    }), { numRuns: RUNS });
    // Not only strings (a number or undefined among strings): element by element, as before.
    expect(canonicalJson(['a', 1, 'b'])).toBe('["a",1,"b"]');
    expect(canonicalJson(['a', Infinity])).toBe('["a",{"$number":"Infinity"}]');
    expect(canonicalJson(['a', undefined, 'b'])).toBe('["a",null,"b"]');
  });

  it('equals JSON.stringify of the key-sorted value', () => {
    const value = parsedValue(['0', '1', '10', '2', '01', '4294967295', '4294967294', '-1'], 1);
    fc.assert(fc.property(value, (v) => {
      expect(canonicalJson(v)).toBe(reference(v));
    }), { numRuns: RUNS * 10 });
    // canonicalMembers (the record's per-key digests): the table's text and each member's, as canonicalJson gives them.
    const table = fc.oneof(fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('0', '1', '-1', '01', ' x')), value, { maxKeys: 6 }), fc.date({ noInvalidDate: true }));
    // One run's fingerprints across every table: member texts repeat between tables, and each is hashed once.
    const shared = new Fingerprints();
    fc.assert(fc.property(table, (t) => {
      const { text, members } = canonicalMembers(t as Record<string, unknown>);
      expect(text).toBe(reference(t));
      expect([...members.keys()].sort()).toEqual(Object.keys(t).sort());
      for (const k of Object.keys(t)) expect(members.get(k)).toBe(canonicalJson((t as Record<string, unknown>)[k]));
      // A run's remembered fingerprints are digestOf's, asked once or twice, for the table and its members.
      const fp = new Fingerprints();
      expect(fp.digest(t)).toBe(digestOf(t));
      expect(fp.digest(t)).toBe(digestOf(t));
      for (const k of Object.keys(t)) expect(fp.ofMember(fp.table(t as Record<string, unknown>).members.get(k))).toBe(digestOf((t as Record<string, unknown>)[k]));
      for (const k of Object.keys(t)) expect(shared.ofMember(members.get(k))).toBe(digestOf((t as Record<string, unknown>)[k]));
      // A version 1 record's scheme: SHA-256 (hex) of the same text, as those releases made it.
      const v1 = new Fingerprints('sha256');
      expect(v1.digest(t)).toBe(createHash('sha256').update(reference(t)).digest('hex'));
      for (const k of Object.keys(t)) expect(v1.ofMember(members.get(k))).toBe(digestOf((t as Record<string, unknown>)[k], 'sha256'));
    }), { numRuns: RUNS * 5 });
  });

  it('is kept through plain JSON exactly for the values jsonFaithful accepts (what the record holds by value)', () => {
    // Leaves weighted twice: enough values are faithful for the second property to bite.
    const value = parsedValue(['0', '1', '10', 'toJSON', '__proto__'], 2);
    const jsonText = (v: unknown) => JSON.stringify(v) ?? 'undefined';
    let faithful = 0;
    fc.assert(fc.property(value, value, (a, b) => {
      for (const v of [a, b]) {
        if (!jsonFaithful(v)) continue;
        faithful++;
        // Written and read back as plain JSON, the value has the same canonical text (and so the same fingerprints).
        expect(canonicalJson(JSON.parse(jsonText(v)))).toBe(canonicalJson(v));
      }
      // Two such values written alike are alike canonically: the record's comparison without fingerprints.
      if (jsonFaithful(a) && jsonFaithful(b) && jsonText(a) === jsonText(b)) expect(canonicalJson(a)).toBe(canonicalJson(b));
    }), { numRuns: RUNS * 10 });
    expect(faithful).toBeGreaterThan(RUNS * 2);
    // What plain JSON would change is refused: dates, non-finite numbers, bigints, holes, undefined, non-plain objects.
    for (const v of [new Date(0), Infinity, NaN, 1n, [1, , 2], undefined, { a: undefined }, new Map(), () => 1]) expect(jsonFaithful(v)).toBe(false);
    for (const v of ['x', -0, 0.5, true, null, [], {}, Object.create(null), { a: [1, 'b', { c: null }] }]) expect(jsonFaithful(v)).toBe(true);
    // What smol-toml parses: tables and inline tables are faithful; a date inside one is not.
    expect(jsonFaithful(parseToml('[a]\nb = { c = ["d"] }\ne = 1.5\n'))).toBe(true);
    expect(jsonFaithful(parseToml('[a]\nb = 1979-05-27\n'))).toBe(false);
    expect(jsonFaithful(parseToml('a = inf\n'))).toBe(false);
  });

  it('sorts keys by code unit, as Array.prototype.sort does', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: undefined }], B: 'x', é: 1 })).toBe('{"B":"x","a":[2,{"d":1}],"b":1,"é":1}');
  });
});

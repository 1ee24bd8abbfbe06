/**
 * The fast YAML reading (js-yaml, values only) against the full reading
 * (the `yaml` package with positions, the reference): whenever the fast
 * reading accepts a document, the full reading must accept it too and give
 * the same values, exactly (NaN, -0, numbers vs strings). Where the fast
 * reading declines, the full reading decides: that costs time, never
 * correctness. Runs HERMES_CODEX_PROPERTY_RUNS cases per property (default 150).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { composeHermesConfig, parseHermesConfig } from '../../src/config/hermes-config.js';
import { parseEvents } from 'js-yaml';
import { USE_JS_YAML, constructPlain, constructWithJsYaml, loadPlainYaml11 } from '../../src/config/yaml-fast.js';

const RUNS = Number(process.env['HERMES_CODEX_PROPERTY_RUNS'] ?? 150);

/** The full reading's data, or the error it throws. */
function full(text: string): { data: unknown } | { error: Error } {
  try {
    return { data: composeHermesConfig(text, '/h/config.yaml').data };
  } catch (error) {
    return { error: error as Error };
  }
}

/** Documents {@link constructPlain} built itself (checked against js-yaml's constructor by {@link agrees}). */
let builtPlain = 0;

/**
 * Where the plain constructor builds a document, js-yaml's own constructor with the same schema
 * gives the same values in the same key order (NaN, -0, numbers vs strings).
 */
function plainAgreesWithJsYaml(text: string): void {
  let events;
  try {
    events = parseEvents(text, {});
  } catch {
    return; // a syntax error: neither constructor runs
  }
  let plain: unknown;
  try {
    plain = constructPlain(events, text);
  } catch {
    expect(() => constructWithJsYaml(events, text), text).toThrow(); // a value the fast reading leaves to the full one: both decline
    return;
  }
  if (plain === USE_JS_YAML) return;
  builtPlain++;
  const documents = constructWithJsYaml(events, text);
  expect(documents, text).toHaveLength(1);
  expect(plain, text).toStrictEqual(documents[0]);
  expect(keyOrder(plain), text).toEqual(keyOrder(documents[0]));
}

/** Asserts the property; returns whether the fast reading accepted. */
function agrees(text: string): boolean {
  plainAgreesWithJsYaml(text);
  const fast = loadPlainYaml11(text);
  if (!fast.ok) return false;
  const reference = full(text);
  expect(reference, `the full reading refuses what the fast reading accepted:\n${text}`).not.toHaveProperty('error');
  expect(fast.value ?? {}, text).toStrictEqual((reference as { data: unknown }).data);
  expect(keyOrder(fast.value ?? {}), text).toEqual(keyOrder((reference as { data: unknown }).data)); // server order is output order
  return true;
}

/** Every mapping's keys in order, recursively (toStrictEqual ignores key order). */
function keyOrder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(keyOrder);
  if (typeof v === 'object' && v !== null) return Object.entries(v).map(([k, x]) => [k, keyOrder(x)]);
  return null;
}

/** Nine levels of ten aliases each: about a billion nodes once expanded. */
function billionLaughs(): string {
  let s = 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
  for (let i = 1; i < 10; i++) s += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
  return s;
}

// Plain scalars built from the characters YAML 1.1's types are made of.
const scalarChar = fc.constantFrom(...'0123456789_:.eE+-xbXBoabcdfABCDF~yYnNtTrRuUlLsSoOiIfF'.split(''));
const typedScalar = fc.oneof(
  fc.array(scalarChar, { minLength: 1, maxLength: 10 }).map((cs) => cs.join('')),
  fc.constantFrom(
    'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'NO', 'on', 'On', 'OFF', 'off', 'true', 'False', 'TRUE', 'yEs', 'oN',
    '~', 'null', 'Null', 'NULL', 'nULL', '0', '-0', '+0', '00', '0.0', '-0.0', '.5', '5.', '-.5', '.', '-', '+', '_',
    '1_000', '0755', '0x1F', '0b101', '0o17', '0x', '0b', '1:30', '190:20:30', '1:30.5', '-1:30', '1:60', '1:5:9',
    '123e45', '1e-5', '1e+5', '1.5e3', '1.0E-2', '1e5', '-1e5', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.NAN', 'nan',
    '9007199254740991', '9007199254740992', '-9007199254740993', '1234567890123456789', '0x1FFFFFFFFFFFFF', '0x20000000000000',
    '2024-01-31', '2024-01-31T10:00:00Z', '1.10', '1.10.2', 'v1.10', '12:30:00', '0:0', '-0:0', '0b_1', '0_7', '08', '0_8',
  ),
);

describe('fast YAML reading vs the full reading', () => {
  it('gives the same value for every YAML 1.1 scalar shape, in every position', () => {
    let accepted = 0;
    fc.assert(
      fc.property(typedScalar, (s) => {
        for (const text of [`v: ${s}\n`, `- ${s}\n`, `v: [${s}, x]\n`, `{v: ${s}}\n`, `v:\n  w: ${s}\n`, `v: "${s}"\n`, `v: '${s}'\n`]) {
          if (agrees(text)) accepted++;
        }
      }),
      { numRuns: RUNS * 10 },
    );
    expect(accepted).toBeGreaterThan(RUNS * 10); // most cases take the fast path
  });

  // Documents: nested maps and sequences of scalars in block and flow style, quoted or not.
  const key = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/), fc.constantFrom('a b', 'é', '日本', 'x.y', 'k:v'));
  const text = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('${TOKEN}', 'Bearer ${KEY}', '#x', 'a #b', '- x', ': y', '"q"', "'s'", '\\n', 'tab\there'));
  type Doc = { kind: 'scalar'; plain: string } | { kind: 'text'; value: string } | { kind: 'map'; entries: [string, Doc][] } | { kind: 'seq'; items: Doc[] };
  const doc: fc.Arbitrary<Doc> = fc.letrec<{ node: Doc }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      typedScalar.map((plain): Doc => ({ kind: 'scalar', plain })),
      text.map((value): Doc => ({ kind: 'text', value })),
      fc.uniqueArray(fc.tuple(key, tie('node')), { maxLength: 4, selector: ([k]) => k }).map((entries): Doc => ({ kind: 'map', entries })),
      fc.array(tie('node'), { maxLength: 4 }).map((items): Doc => ({ kind: 'seq', items })),
    ),
  })).node;

  /** Renders in block style, with some values in flow style and each string in one of YAML's quotings. */
  function render(d: Doc, indent: string, flow: boolean, quoting: number): string {
    switch (d.kind) {
      case 'scalar':
        return d.plain;
      case 'text':
        return quoting % 2 === 0 ? JSON.stringify(d.value) : `'${d.value.replace(/'/g, "''")}'`;
      case 'map':
        if (flow || d.entries.length === 0) return `{${d.entries.map(([k, v]) => `${JSON.stringify(k)}: ${render(v, indent, true, quoting)}`).join(', ')}}`;
        return d.entries
          .map(([k, v]) => {
            const inner = v.kind === 'map' && v.entries.length > 0 ? `\n${render(v, indent + '  ', false, quoting + 1)}` : v.kind === 'seq' && v.items.length > 0 ? `\n${render(v, indent + '  ', false, quoting + 1)}` : ` ${render(v, indent, false, quoting + 1)}`;
            return `${indent}${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : JSON.stringify(k)}:${inner}`;
          })
          .join('\n');
      case 'seq':
        if (flow || d.items.length === 0) return `[${d.items.map((v) => render(v, indent, true, quoting)).join(', ')}]`;
        return d.items.map((v) => `${indent}- ${render(v, indent + '  ', true, quoting + 1)}`).join('\n');
    }
  }

  it('gives the same data for generated documents in block and flow style', () => {
    const before = builtPlain;
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, doc), { minLength: 1, maxLength: 5, selector: ([k]) => k }), fc.nat(3), (entries, quoting) => {
        agrees(render({ kind: 'map', entries }, '', false, quoting) + '\n');
      }),
      { numRuns: RUNS * 4 },
    );
    expect(builtPlain - before).toBeGreaterThan(RUNS * 2); // most are built by the plain constructor, not js-yaml's
  });

  it('reads anchors, aliases and merge keys the way the full reading does', () => {
    const value = fc.oneof(typedScalar, text.map((t) => JSON.stringify(t)));
    const mapping = fc.uniqueArray(fc.tuple(fc.stringMatching(/^k[a-z]{0,2}$/), value), { minLength: 1, maxLength: 4, selector: ([k]) => k });
    const flow = (entries: [string, string][]) => `{${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}}`;
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(mapping, { minLength: 1, maxLength: 3 }), mapping, fc.nat(7), fc.boolean(), (bases, own, pick, ownFirst) => {
        let doc = bases.map((b, i) => `base${i}: &b${i} ${flow(b)}\n`).join('');
        const refs = bases.map((_b, i) => `*b${i}`);
        const merge = pick % 2 === 0 ? refs[pick % refs.length]! : `[${refs.join(', ')}]`;
        const ownLines = own.map(([k, v]) => `    ${k}: ${v}\n`).join('');
        doc += `mcp_servers:\n  s:\n${ownFirst ? ownLines : ''}    <<: ${merge}\n${ownFirst ? '' : ownLines}  t: *b0\n  u:\n    args: [*b0, *b0]\n`;
        if (agrees(doc)) accepted++;
      }),
      { numRuns: RUNS * 4 },
    );
    expect(accepted).toBeGreaterThan(RUNS); // most take the fast path (values it declines, such as huge integers, do not)
    // The bundled example uses a merge key; it takes the fast path now.
    expect(agrees(readFileSync(new URL('../../fixtures/hermes/config.yaml', import.meta.url), 'utf8'))).toBe(true);
  });

  it.each(['hermes/config.yaml', 'hermes/bad-values.yaml', 'hermes-migration/config.yaml'])('never accepts what the full reading refuses: random edits of fixtures/%s', (fixture) => {
    const base = readFileSync(new URL(`../../fixtures/${fixture}`, import.meta.url), 'utf8');
    const edit = fc.record({ at: fc.nat(base.length), drop: fc.nat(3), insert: fc.constantFrom('', ':', '- ', '  ', '\t', '"', "'", '[', ']', '{', '}', '#', '&a ', '&a[', '&a{', '*a', '!!str ', '!!set ', '<<: ', '? ', '|', '>', '\n', '%YAML 1.2\n---\n', '---\n', '...\n', 'yes', '0755', '1e5') });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let text = base;
        for (const e of edits) text = text.slice(0, e.at) + e.insert + text.slice(Math.min(text.length, e.at + e.drop));
        agrees(text);
      }),
      { numRuns: RUNS * 20 },
    );
  });

  it.each([
    ['a quoted "<<" key', 'm:\n  "<<": {a: 1}\n'],
    ['aliases that expand past 10,000 nodes ("billion laughs")', billionLaughs()],
    ['an explicit YAML 1.1 type', 's: !!set {a, b}\n'],
    ['an explicit int', 'v: !!int "12"\n'],
    ['a non-string key', '1: x\n'],
    ['a boolean key', 'yes: x\n'],
    ['a __proto__ key', '__proto__: {polluted: 1}\n'],
    ['an integer beyond 2^53', 'v: 1234567890123456789\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a syntax error', 'a: [\n'],
    ['a %YAML directive', '%YAML 1.2\n---\nv: yes\n'],
    ['a document end marker with more after it', 'a: 1\n...\nb: 2\n'],
    ['an anchor followed by a key on its line', 'a: &x b: 1\n'],
    ['an anchor followed by a key ending its line, in the middle of a file', 'm:\n  a: &x b:\n  c: 1\n'],
    ['an anchor with a flow sequence right after it', 'args: &a[mcp-scratch]\n'],
    ['an anchor with a flow mapping right after it', 'env: &e{A: 1}\n'],
    ['a comment less indented than the value after it', 'a:\n# note\n  b\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['an empty file', ''],
  ])('leaves %s to the full reading, whose answer stands', (_what, text) => {
    expect(loadPlainYaml11(text).ok).toBe(false);
    const reference = full(text);
    if ('error' in reference) expect(() => parseHermesConfig(text, '/h/config.yaml')).toThrow(reference.error.message);
    else expect(parseHermesConfig(text, '/h/config.yaml').data).toStrictEqual(reference.data ?? {});
  });

  it('answers line and typed-source questions from the full reading, on demand', () => {
    const config = parseHermesConfig('mcp_servers:\n  s:\n    command: x\n    args: [yes, "no"]\n', '/h/config.yaml');
    expect(config.data).toStrictEqual({ mcp_servers: { s: { command: 'x', args: [true, 'no'] } } });
    expect(config.lineOf(['mcp_servers', 's', 'args'])).toBe(4);
    expect(config.plainSourceOf(['mcp_servers', 's', 'args', 0])).toBe('yes');
    expect(config.plainSourceOf(['mcp_servers', 's', 'args', 1])).toBeUndefined();
  });
});

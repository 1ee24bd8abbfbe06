/**
 * `args` given as one string, held to Python itself: generated strings (heavy
 * in quotes, backslashes and whitespace) are read by argsFromString and by
 * python3's `shlex.split`, `json.loads` and `ast.literal_eval` in one batch,
 * the way Hermes' `_coerce_mcp_stdio_args` combines them; where Python gives a
 * list of strings, ours gives the same list, and where ours gives one, Python
 * agrees. Runs HERMES_CODEX_PROPERTY_RUNS strings per property (default 150).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { argsFromString, pythonFloatRepr, shlexSplit } from '../../src/config/hermes-args.js';

const RUNS = Number(process.env['HERMES_CODEX_PROPERTY_RUNS'] ?? 150);

/** Python's reading of each text: {ok, args} or {error}; `mode` picks shlex.split alone or the whole coercion. */
function python(texts: string[], mode: 'shlex' | 'coerce'): ({ args: string[] } | { error: string })[] {
  const script = `
import ast, json, shlex, sys
def coerce(text):
    t = text.strip()
    if not t:
        return []
    if t[:1] in "[{":
        try:
            v = json.loads(t)
        except json.JSONDecodeError:
            v = ast.literal_eval(t)
        if not isinstance(v, (list, tuple)):
            raise ValueError("not a list")
        return list(v)
    return shlex.split(text)
out = []
for text in json.load(sys.stdin):
    try:
        v = shlex.split(text) if sys.argv[1] == "shlex" else coerce(text)
        out.append({"args": v} if all(isinstance(x, str) for x in v) else {"error": "non-string item"})
    except Exception as e:
        out.append({"error": str(e)})
json.dump(out, sys.stdout)
`;
  return JSON.parse(execFileSync('python3', ['-c', script, mode], { input: JSON.stringify(texts), encoding: 'utf8' }));
}

const anyChar = fc.constantFrom(...`ab '"\\\t\n$#;|&*~=-x`.split(''), 'é', '\r');
const innerChar = fc.constantFrom(...`ab '$#\\\t-`.split(''), '\\"', '\\\\', '\\x', 'é');
/** Command lines built mostly from balanced parts (words, quoted runs, escapes), with stray characters now and then. */
const shellish = fc
  .array(
    fc.oneof(
      fc.array(fc.constantFrom(...'ab-$#;|&*~=é'.split('')), { minLength: 1, maxLength: 4 }).map((cs) => cs.join('')),
      fc.constantFrom(' ', '\t', '\n', '  ', '\r\n'),
      fc.array(fc.constantFrom(...`ab "$\\ \t`.split('')), { maxLength: 4 }).map((cs) => `'${cs.join('')}'`),
      fc.array(innerChar, { maxLength: 4 }).map((cs) => `"${cs.join('')}"`),
      anyChar.map((c) => `\\${c}`),
      anyChar,
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));
const listish = fc.oneof(
  fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }).map((a) => JSON.stringify(a)),
  fc.array(fc.constantFrom("'-y'", '"pkg"', "'it\\'s'", "'a\\\\b'", '"tab\\t"', "'x'", '1', 'True', '[]'), { maxLength: 4 }).map((a) => `[${a.join(', ')}]`),
  fc.array(fc.constantFrom(...`[]{}'",: ab\\1`.split('')), { maxLength: 14 }).map((cs) => `[${cs.join('')}`),
);

describe('args given as one string, as Hermes reads it', () => {
  it('shlexSplit gives what Python\'s shlex.split gives, words or error', () => {
    const texts = fc.sample(shellish, RUNS);
    const expected = python(texts, 'shlex');
    texts.forEach((text, i) => {
      const ours = shlexSplit(text);
      const theirs = expected[i]!;
      if ('error' in theirs) expect(ours, JSON.stringify(text)).toEqual({ error: theirs.error });
      else expect(ours, JSON.stringify(text)).toEqual({ words: theirs.args });
    });
  });

  it('argsFromString reads a list (JSON or a Python literal of strings) or a command line as Python does, and never reads what Python would not', () => {
    const texts = [...fc.sample(listish, RUNS), ...fc.sample(shellish, Math.ceil(RUNS / 3))];
    const expected = python(texts, 'coerce');
    texts.forEach((text, i) => {
      const ours = argsFromString(text);
      const theirs = expected[i]!;
      if (ours.ok) expect(theirs, JSON.stringify(text)).toEqual({ args: ours.args });
      // A list of strings Python reads: ours reads it too, but for Python literals beyond the quoted-string subset.
      else if ('args' in theirs && !/^\s*\[/.test(text)) expect.unreachable(`${JSON.stringify(text)}: Python reads ${JSON.stringify(theirs.args)}, ours: ${ours.reason}`);
    });
  });

  it("pythonFloatRepr spells a float as Python's str() does (what Hermes passes for a float in args)", () => {
    const xs = [...fc.sample(fc.double(), RUNS), 1, 0.1, 1e16, 1e15, 123456789012345.6, 1e-4, 1e-5, 1.5e300, -0, 2 ** 53, 5e-324];
    const encoded = xs.map((x) => (Number.isNaN(x) ? 'nan' : !Number.isFinite(x) ? (x > 0 ? 'inf' : '-inf') : Object.is(x, -0) ? '-0.0' : x.toString()));
    const reprs = JSON.parse(execFileSync('python3', ['-c', 'import json,sys; print(json.dumps([str(float(t)) for t in json.load(sys.stdin)]))'], { input: JSON.stringify(encoded), encoding: 'utf8' })) as string[];
    xs.forEach((x, i) => expect(pythonFloatRepr(x), String(x)).toBe(reprs[i]));
  });

  it('reads the shapes Hermes users have', () => {
    expect(argsFromString('["-y", "@modelcontextprotocol/server-github"]')).toEqual({ ok: true, args: ['-y', '@modelcontextprotocol/server-github'], read: 'json' });
    expect(argsFromString("['-y', 'pkg with spaces']")).toEqual({ ok: true, args: ['-y', 'pkg with spaces'], read: 'python' });
    expect(argsFromString("-y 'pkg with spaces' --flag")).toEqual({ ok: true, args: ['-y', 'pkg with spaces', '--flag'], read: 'shell' });
    expect(argsFromString('  ')).toEqual({ ok: true, args: [], read: 'shell' });
    expect(argsFromString('{"a": 1}')).toMatchObject({ ok: false, reason: 'it decodes to something other than a list' });
    expect(argsFromString('[1, "a"]')).toMatchObject({ ok: false, reason: 'item 0 of the list it decodes to is not a string' });
    expect(argsFromString("it's")).toMatchObject({ ok: false, reason: 'as a shell command line: No closing quotation' });
  });
});

import { describe, expect, it } from 'vitest';
import { parse as smolParse } from 'smol-toml';
import iarna from '@iarna/toml';
import { formatFloat, formatKey, formatString, formatValue } from '../../src/config/toml-format.js';

const roundTrip = (value: string) => {
  const doc = `k = ${formatString(value)}\n${formatKey(value || 'x')} = 1\n`;
  return { smol: smolParse(doc), iarna: iarna.parse(doc) };
};

describe('TOML formatting', () => {
  it.each([
    ['plain', 'hello'],
    ['quotes and backslashes', 'C:\\Program Files\\"x"'],
    ['control characters', 'a\u0000b\u0001c\u001f\u007f\b\t\n\f\r'],
    ['unicode', 'ünïcødé 🚀 日本語'],
    ['dots and spaces', 'my.server name'],
  ])('round-trips %s through smol-toml and @iarna/toml', (_label, value) => {
    const { smol, iarna: ia } = roundTrip(value);
    expect(smol['k']).toBe(value);
    expect(ia['k']).toBe(value);
    expect(Object.keys(smol)).toContain(value || 'x');
  });

  it('writes bare keys only for [A-Za-z0-9_-]', () => {
    expect(formatKey('hermes-tools_2')).toBe('hermes-tools_2');
    expect(formatKey('team.wiki')).toBe('"team.wiki"');
    expect(formatKey('')).toBe('""');
  });

  it('always writes floats as TOML floats', () => {
    expect(formatFloat(30)).toBe('30.0');
    expect(formatFloat(30.5)).toBe('30.5');
    expect(formatFloat(1e21)).toBe('1e+21');
    expect(smolParse(`a = ${formatFloat(1e21)}\nb = ${formatFloat(1e-7)}`)).toEqual({ a: 1e21, b: 1e-7 });
    expect(() => formatFloat(Infinity)).toThrow(RangeError);
  });

  it('refuses lone surrogates, which UTF-8 cannot carry', () => {
    expect(() => formatString('a\uD800b')).toThrow(RangeError);
    expect(() => formatString('\uDC00')).toThrow(RangeError);
    expect(() => formatString('"\uD83D')).toThrow(RangeError);
  });

  it('gives every code unit, alone and between others, a literal both parsers read back (the no-escape fast path and the escaping walk agree)', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      if (c >= 0xd800 && c <= 0xdfff) {
        expect(() => formatString(`a${ch}`)).toThrow(RangeError);
        continue;
      }
      const text = formatString(`a${ch}b`);
      // Only backslash, quote and control characters are escaped; everything else is written as is.
      const escaped = c < 0x20 || c === 0x7f || ch === '"' || ch === '\\';
      expect(text === `"a${ch}b"`).toBe(!escaped);
      if (escaped || c % 97 === 0) expect(smolParse(`k = ${text}`)['k']).toBe(`a${ch}b`);
    }
    expect(formatString('🚀\u0001')).toBe('"🚀\\u0001"');
    expect(iarna.parse(`k = ${formatString('x\u007f"\\🚀')}`)['k']).toBe('x\u007f"\\🚀');
  });

  it('writes an array as its strings formatted one by one, for every code unit (the joined-text fast path included)', () => {
    const oneByOne = (values: string[]) => `[${values.map((v) => formatString(v)).join(', ')}]`;
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      const values = ['x', `${ch}y`, 'z'];
      if (c >= 0xd800 && c <= 0xdfff) expect(() => formatValue(values)).toThrow(RangeError);
      else expect(formatValue(values)).toBe(oneByOne(values));
    }
    // Halves of one pair in neighbouring strings are each lone, although their concatenation is well formed.
    expect(() => formatValue(['a\uD83D', '\uDE80b'])).toThrow(RangeError);
    expect(formatValue(['🚀', 'a"b', ''])).toBe('["🚀", "a\\"b", ""]');
    expect(formatValue([])).toBe('[]');
    expect(formatValue([''])).toBe('[""]');
    expect(smolParse(`k = ${formatValue(['-y', 'pkg', '--flag=a b'])}`)['k']).toEqual(['-y', 'pkg', '--flag=a b']);
  });

  it('renders arrays and inline tables', () => {
    expect(formatValue(['a', 'b"'])).toBe('["a", "b\\""]');
    expect(formatValue({ 'X-Key': 'v', A: '1' })).toBe('{ X-Key = "v", A = "1" }');
    expect(formatValue({})).toBe('{}');
    expect(formatValue({ float: 2 })).toBe('2.0');
    expect(formatValue(false)).toBe('false');
  });
});

import { describe, expect, it } from 'vitest';
import { parseDottedKey, parseHeader, scanToml, splitLines } from '../../src/config/toml-scan.js';

describe('scanToml', () => {
  it('classifies top-level lines and ignores lines inside multi-line strings and arrays', () => {
    const text = [
      'a = 1 # [not.a.header]',
      'doc = """',
      '[inside.string]',
      '# managed-looking comment inside a string',
      '"""',
      'lit = \'\'\'',
      '[also.inside]\'\'\'',
      'arr = [',
      '  "x",',
      '  # comment in array',
      ']',
      '[real . "quoted.key" . \'lit\'] # trailing comment',
      '[[arr.of.tables]]',
      '',
      '# comment',
    ].join('\n');
    const lines = scanToml(text);
    expect(lines.map((l) => l.kind)).toEqual([
      'keyval', 'keyval', 'continuation', 'continuation', 'continuation',
      'keyval', 'continuation',
      'keyval', 'continuation', 'continuation', 'continuation',
      'header', 'header', 'blank', 'comment',
    ]);
    expect(lines[11]!.headerPath).toEqual(['real', 'quoted.key', 'lit']);
    expect(lines[12]!.isArrayTable).toBe(true);
    expect(lines[12]!.headerPath).toEqual(['arr', 'of', 'tables']);
  });

  it('handles escaped quotes and closing runs of 4-5 quotes in multi-line basic strings', () => {
    const text = ['s = """a \\""" still inside', 'x""""', '[after]'].join('\n');
    expect(scanToml(text).map((l) => l.kind)).toEqual(['keyval', 'continuation', 'header']);
  });

  it('keeps CRLF terminators separately from the text', () => {
    const lines = splitLines('a = 1\r\n[b]\r\nc = 2');
    expect(lines).toEqual([
      { text: 'a = 1', eol: '\r\n' },
      { text: '[b]', eol: '\r\n' },
      { text: 'c = 2', eol: '' },
    ]);
  });

  it('parses dotted keys with escapes, and rejects what is not a header', () => {
    expect(parseDottedKey('"a\\u0041\\"b".c = 1', 0)?.path).toEqual(['aA"b', 'c']);
    expect(parseHeader('[a.b] x')).toBeNull();
    expect(parseHeader('[a.]')).toBeNull();
    expect(parseHeader('  [ mcp_servers . x ]')).toEqual({ path: ['mcp_servers', 'x'], isArrayTable: false });
  });
});

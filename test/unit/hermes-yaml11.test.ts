/**
 * Hermes reads config.yaml as YAML 1.1 (ruamel.yaml, `version = (1, 1)`,
 * with its own tweak that keeps dot-less exponents such as `123e45` as
 * strings). hermes-codex must read every Hermes file the same way.
 */
import { describe, expect, it } from 'vitest';
import { HERMES_FORWARDED_ENV } from '../../src/config/hermes-behaviour.js';
import { parse } from 'smol-toml';
import { parseHermesConfig } from '../../src/config/hermes-config.js';
import { ConfigSyntaxError } from '../../src/core/errors.js';
import { planMigration } from '../../src/migrate/plan.js';
import { readRuntime } from '../../src/hermes/runtime-switch.js';
import { setNestedScalar } from '../../src/hermes/yaml-edit.js';

const value = (scalar: string): unknown => (parseHermesConfig(`v: ${scalar}\n`, '/h/config.yaml').data as { v: unknown }).v;

describe('Hermes YAML 1.1 scalars', () => {
  const booleans: [string, boolean][] = [];
  for (const t of ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE']) booleans.push([t, true]);
  for (const f of ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']) booleans.push([f, false]);
  it.each(booleans)('%s is the boolean %s', (scalar, expected) => {
    expect(value(scalar)).toBe(expected);
  });

  it.each(['yEs', 'oN', 'nO', 'oFF', 'tRUE', 'Y es'])('%s (no YAML 1.1 casing) stays a string', (scalar) => {
    expect(value(scalar)).toBe(scalar);
  });

  it.each([
    ['1_000', 1000],
    ['-1_000_000', -1000000],
    ['190:20:30', 685230],
    ['1:30', 90],
    ['0755', 493],
    ['0x1F', 31],
    ['0b101', 5],
    ['1.5', 1.5],
    ['1_000.5', 1000.5],
    ['1.5e3', 1500],
    ['1.0e-2', 0.01],
    ['1e-5', 0.00001],
  ])('%s is the number %s', (scalar, expected) => {
    expect(value(scalar)).toBe(expected);
  });

  it.each([
    ['"no"', 'no'],
    ["'off'", 'off'],
    ['"yes"', 'yes'],
    ['"1.10"', '1.10'],
    ['"1_000"', '1_000'],
    ['123e45', '123e45'],
    ['20260820_093237_089e44', '20260820_093237_089e44'],
    ['2024-01-31', '2024-01-31'],
    ['v1.10', 'v1.10'],
    ['1.10.2', '1.10.2'],
    ['.', '.'],
    ['e5', 'e5'],
    ['-.e3', '-.e3'],
  ])('%s stays the string %s', (scalar, expected) => {
    expect(value(scalar)).toBe(expected);
  });

  it('reads an unquoted version-like 1.10 as the float 1.1, as Hermes does', () => {
    expect(value('1.10')).toBe(1.1);
  });

  it('keeps integers beyond 2^53 exact', () => {
    expect(value('1234567890123456789')).toBe(1234567890123456789n);
    expect(value('-9007199254740993')).toBe(-9007199254740993n);
    expect(value('9007199254740991')).toBe(9007199254740991);
  });

  it('still reports syntax errors and duplicate keys with file, line and column', () => {
    expect(() => parseHermesConfig('a: 1\nb: [\n', '/h/config.yaml')).toThrow(ConfigSyntaxError);
    try {
      parseHermesConfig('mcp_servers:\n  a:\n    command: x\n  a:\n    command: y\n', '/h/config.yaml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigSyntaxError);
      expect((err as Error).message).toMatch(/^\/h\/config\.yaml:4:3: YAML error: .*"a" is repeated/);
    }
  });

  it('treats keys YAML 1.1 reads as booleans the same way in data and line lookups', () => {
    const h = parseHermesConfig('mcp_servers:\n  on:\n    command: x\n', '/h/config.yaml');
    expect(Object.keys((h.data as { mcp_servers: object }).mcp_servers)).toEqual(['true']);
    expect(h.lineOf(['mcp_servers', 'true', 'command'])).toBe(3);
  });
});

describe('migrate with Hermes YAML 1.1 values', () => {

  const yaml = [
    'mcp_servers:',
    '  off_server:',
    '    command: npx',
    '    args: ["-y", "pkg", 0755, "0755", 1234567890123456789]',
    '    enabled: no',
    '    timeout: 1_000',
    '    connect_timeout: 1:30',
    '    env:',
    '      DEBUG: yes',
    '      QUOTED: "no"',
    '      SESSION: 123e45',
    '  on_server:',
    '    url: https://mcp.example/mcp',
    '    enabled: On',
    '    headers:',
    '      X-Flag: off',
    '',
  ].join('\n');

  it('migrates booleans, underscore and sexagesimal numbers as Hermes reads them, and says where text changed', () => {
    const p = planMigration({
      hermes: parseHermesConfig(yaml, '/h/config.yaml'),
      configPath: '/c/config.toml',
      existingText: null,
      state: null,
      hermesTools: null,
      permissions: null,
      now: new Date(0),
    });
    expect(p.servers.failed).toEqual([]);
    expect(p.servers.migrated).toEqual(['off_server', 'on_server']);
    const doc = parse(p.newText) as { mcp_servers: Record<string, Record<string, unknown>> };
    expect(doc.mcp_servers['off_server']).toEqual({
      command: 'npx',
      args: ['-y', 'pkg', '493', '0755', '1234567890123456789'],
      env: { DEBUG: 'true', QUOTED: 'no', SESSION: '123e45' },
      env_vars: [...HERMES_FORWARDED_ENV],
      enabled: false,
      tool_timeout_sec: 1000,
      startup_timeout_sec: 90,
    });
    expect(doc.mcp_servers['on_server']).toEqual({ url: 'https://mcp.example/mcp', http_headers: { 'X-Flag': 'false' }, startup_timeout_sec: 60, tool_timeout_sec: 300 });
    const notes = p.warnings.map((w) => `${w.server} ${w.key}: ${w.message}`);
    expect(notes).toEqual([
      expect.stringMatching(/^off_server args\[2\]: args\[2\]: `0755` is not text in YAML 1\.1.*passed as "493" \(\/h\/config\.yaml:4\); quote it \("0755"\)/),
      expect.stringMatching(/^off_server env\.DEBUG: env\.DEBUG: `yes` .*passed as "true" \(\/h\/config\.yaml:9\)/),
      expect.stringMatching(/^on_server headers\.X-Flag: headers\.X-Flag: `off` .*passed as "false" \(\/h\/config\.yaml:16\)/),
    ]);
  });
});

describe('the runtime switch reads YAML 1.1 too', () => {
  it('reads `openai_runtime: off` as Hermes does (a boolean, so auto) and edits only that value', () => {
    const text = 'model:\n  openai_runtime: off\n  default: gpt-5\n';
    expect(readRuntime(parseHermesConfig(text, '/h/config.yaml').data)).toEqual({ value: 'auto', raw: false });
    const edit = setNestedScalar(text, '/h/config.yaml', 'model', 'openai_runtime', 'codex_app_server');
    expect(edit.text).toBe('model:\n  openai_runtime: codex_app_server\n  default: gpt-5\n');
  });
});

/**
 * Hostile and broken input: each gets a clear error naming the file (and
 * line/column where there is one), exit 2, and no write. Anchors, aliases and
 * merge keys must work. The built CLI on a real disk.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { START_MARKER } from '../../src/migrate/block-render.js';
import { runCli, sandbox, type Sandbox } from '../helpers/codex.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
  writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  gh:\n    command: npx\n');
});
afterEach(() => sb.cleanup());

const yamlPath = () => path.join(sb.hermesHome, 'config.yaml');
const tomlPath = () => path.join(sb.codexHome, 'config.toml');
const snapshot = () => readdirSync(sb.codexHome).sort().map((f) => { try { return `${f}:${readFileSync(path.join(sb.codexHome, f), 'utf8')}`; } catch { return `${f}:<dir>`; } }).join('\n');

async function expectRefused(message: RegExp) {
  const before = snapshot();
  const r = await runCli(['migrate', '--no-plugins', '--hermes-python', '/usr/bin/python3'], sb.env);
  expect(r.exitCode, String(r.stderr)).toBe(2);
  expect(String(r.stderr)).toMatch(message);
  expect(String(r.stderr)).toMatch(/fix: /);
  expect(String(r.stderr)).not.toMatch(/internal error|at .*\.js:\d+/);
  expect(snapshot()).toBe(before);
}

const block = `${START_MARKER}\ndefault_permissions = ":workspace"\n# end hermes-agent managed section\n`;

describe('hostile and broken input', () => {
  it.each([
    ['a YAML syntax error', () => writeFileSync(yamlPath(), 'mcp_servers:\n  a: [unclosed\n'), /config\.yaml:\d+:\d+: YAML error/],
    ['binary garbage as YAML', () => writeFileSync(yamlPath(), Buffer.from([0x6d, 0x3a, 0x00, 0xff, 0xfe, 0x01])), /config\.yaml contains a NUL byte \(line 1\)/],
    ['invalid UTF-8 as YAML', () => writeFileSync(yamlPath(), Buffer.from([0x6d, 0x3a, 0x20, 0xc3, 0x28, 0x0a])), /config\.yaml is not valid UTF-8/],
    ['a 10 MB Hermes config', () => writeFileSync(yamlPath(), '# ' + 'x'.repeat(10 * 1024 * 1024) + '\n'), /config\.yaml is 10\.0 MB; hermes-codex reads files up to 4 MB/],
    ['a config.toml full of NUL bytes', () => writeFileSync(tomlPath(), Buffer.alloc(4096)), /config\.toml contains a NUL byte/],
    ['a config.toml that is a directory', () => mkdirSync(tomlPath()), /config\.toml is a directory/],
    ['a dangling symlink as config.toml', () => symlinkSync(path.join(sb.root, 'gone.toml'), tomlPath()), /config\.toml is a symlink to .*gone\.toml, which does not exist/],
    ['a looping symlink as config.toml', () => { symlinkSync(path.join(sb.codexHome, 'b.toml'), tomlPath()); symlinkSync(tomlPath(), path.join(sb.codexHome, 'b.toml')); }, /config\.toml is a symlink loop/],
    ['duplicate keys in the user\'s TOML', () => writeFileSync(tomlPath(), 'model = "a"\nmodel = "b"\n'), /config\.toml:2:\d+: TOML error/],
    ['duplicate tables in the user\'s TOML', () => writeFileSync(tomlPath(), '[features]\na = 1\n\n[features]\nb = 2\n'), /config\.toml:4:\d+: TOML error/],
    ['two managed blocks', () => writeFileSync(tomlPath(), block + '\nmodel = "x"\n' + block), /holds 2 managed blocks \(start markers at lines 1, 6\)/],
    ['mcp_servers as a list', () => writeFileSync(yamlPath(), 'mcp_servers:\n  - gh\n'), /config\.yaml:2: mcp_servers must be a mapping/],
  ])('%s', async (_label, arrange, message) => {
    arrange();
    await expectRefused(message);
  });

  it('works with YAML anchors, aliases and merge keys', async () => {
    writeFileSync(yamlPath(), 'x-base: &base\n  command: npx\n  timeout: 30\nmcp_servers:\n  a:\n    <<: *base\n    args: [a]\n  b: *base\n');
    const r = await runCli(['migrate', '--no-plugins', '--json', '--hermes-python', '/usr/bin/python3'], sb.env);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout)).servers.migrated).toEqual(['a', 'b']);
  });

  it('handles a start marker inside a multi-line string and marker lines with trailing spaces and CRLF', async () => {
    const text = `notes = """\r\n${START_MARKER}\r\n"""\r\n${START_MARKER}   \r\ndefault_permissions = ":workspace"\r\n# end hermes-agent managed section \r\n\r\n[features]\r\nx = true\r\n`;
    writeFileSync(tomlPath(), text);
    const r = await runCli(['migrate', '--no-plugins', '--json', '--hermes-python', '/usr/bin/python3'], sb.env);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const out = readFileSync(tomlPath(), 'utf8');
    expect(out.startsWith(`notes = """\r\n${START_MARKER}\r\n"""\r\n`)).toBe(true);
    expect(out.split(START_MARKER).length - 1).toBe(2); // the one in the string, and the block
    expect(out).toContain('[mcp_servers.gh]\r\n');
  });
});

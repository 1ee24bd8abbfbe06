/**
 * `hermes-codex turn` end to end: the built CLI, the real pinned codex, the
 * mock model on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TESTED_CODEX_VERSION } from '../../src/codex/capabilities.js';
import { execa } from 'execa';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codexHomeWithMock } from '../helpers/runtime.js';
import { cliBin, repoRoot } from '../helpers/codex.js';
import type { MockReply } from '../../fixtures/mock-responses/server.mjs';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(script: MockReply[]) {
  const s = await codexHomeWithMock(script);
  cleanups.push(() => s.mock.close(), () => rmSync(s.root, { recursive: true, force: true }));
  const env = { ...s.env, PATH: `${path.join(repoRoot, 'node_modules/.bin')}:${s.env['PATH']}`, NO_COLOR: '1' };
  const turn = (args: string[], extraEnv: Record<string, string> = {}) =>
    execa('node', [cliBin, 'turn', '--codex-home', s.codexHome, '--cwd', s.cwd, ...args], { env: { ...env, ...extraEnv }, extendEnv: false, reject: false });
  return { ...s, env, turn };
}

describe('hermes-codex turn', () => {
  it('--smoke exits 0 on PONG and prints it; --json prints the turn result', async () => {
    const s = await setup([{ message: 'PONG' }, { message: 'PONG' }]);
    const smoke = await s.turn(['--smoke']);
    expect(smoke.exitCode).toBe(0);
    expect(smoke.stdout).toBe('PONG');
    expect(smoke.stderr).toMatch(/smoke turn answered PONG/);
    const json = await s.turn(['hello', '--json']);
    expect(json.exitCode).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r).toMatchObject({ schemaVersion: 1, status: 'completed', finalText: 'PONG', interrupted: false, error: null, codexVersion: TESTED_CODEX_VERSION, codexHome: s.codexHome });
    expect(r.projectedMessages[0]).toEqual({ role: 'user', content: 'hello' });
  });

  it('`turn -` reads the prompt from stdin, `turn -- -x` takes a prompt that starts with a dash; --smoke with a prompt is a usage error', async () => {
    const s = await setup([{ message: 'read it' }, { message: 'dash' }, { message: 'passed' }]);
    const r = await execa('node', [cliBin, 'turn', '-', '--codex-home', s.codexHome, '--cwd', s.cwd, '--json', '--mcp-wait', '0'], {
      env: s.env,
      extendEnv: false,
      reject: false,
      input: 'a prompt\nfrom a pipe\n',
    });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).projectedMessages[0]).toEqual({ role: 'user', content: 'a prompt\nfrom a pipe\n' });
    const both = await s.turn(['--smoke', 'hello']);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toMatch(/^error: --smoke asks its own question/);
    expect(s.mock.requests.length).toBe(1); // the refused run did not reach the model
    // A prompt that starts with a dash goes after `--`.
    const dashed = await s.turn(['--json', '--mcp-wait', '0', '--', '-v: what does it mean?']);
    expect(dashed.exitCode).toBe(0);
    expect(JSON.parse(dashed.stdout).projectedMessages[0]).toEqual({ role: 'user', content: '-v: what does it mean?' });
    expect((await s.turn(['one', '--', 'two'])).stderr).toMatch(/^error: unexpected argument `two`/);
    // --pass-env takes one name per flag: the prompt after it stays the prompt (it was read as a second name).
    const passed = await s.turn(['--pass-env', 'HOME', 'after a flag', '--json', '--mcp-wait', '0']);
    expect(passed.exitCode).toBe(0);
    expect(JSON.parse(passed.stdout).projectedMessages[0]).toEqual({ role: 'user', content: 'after a flag' });
  });

  it('--smoke exits 1 when the answer is not PONG', async () => {
    const s = await setup([{ message: 'pong?' }]);
    const r = await s.turn(['--smoke']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/not PONG/);
  });

  it('--approve once runs the tool call; the default off a TTY declines it', async () => {
    const write = { toolCall: { arguments: { cmd: 'echo hi > proof.txt', sandbox_permissions: 'require_escalated', justification: 'proof' } } };
    const s = await setup([write, { message: 'done' }, write, { message: 'declined then' }]);
    const once = await s.turn(['write it', '--approve', 'once', '--json']);
    expect(JSON.parse(once.stdout).toolIterations).toBe(1);
    expect(readFileSync(path.join(s.cwd, 'proof.txt'), 'utf8')).toBe('hi\n');
    rmSync(path.join(s.cwd, 'proof.txt'));
    const dflt = await s.turn(['write it']);
    expect(dflt.exitCode).toBe(0);
    expect(existsSync(path.join(s.cwd, 'proof.txt'))).toBe(false);
    expect(dflt.stderr).toMatch(/commandExecution \(declined\)/);
  });

  // Asking on a terminal (answer, Ctrl+C at the question) is tested in a real pseudo-terminal: prompts.test.ts.

  it('reports a turn timeout as an error (exit 1)', async () => {
    const s = await setup([{ stall: true }]);
    const r = await s.turn(['hang', '--timeout', '0.8', '--json']);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ interrupted: true, error: 'turn timed out after 0.8 s' });
  });

  it('Ctrl+C interrupts the turn, closes codex and exits 130', async () => {
    const s = await setup([{ stall: true }]);
    const child = execa('node', [cliBin, 'turn', 'hang', '--codex-home', s.codexHome, '--cwd', s.cwd], { env: s.env, extendEnv: false, reject: false });
    // Wait until the turn is under way (the thread line is printed), then send SIGINT.
    await new Promise<void>((resolve) => child.stderr!.on('data', (d: Buffer) => String(d).includes('thread') && resolve()));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toMatch(/interrupting/);
  });

  it('reports the turn failure codex gives (model HTTP 500) with exit 1', async () => {
    const s = await setup([{ status: 500 }]);
    const r = await s.turn(['fail']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/✗ turn failed: /);
  });

  it('says how to log in when the provider needs OpenAI auth and there is none', async () => {
    const s = await setup([]);
    writeFileSync(path.join(s.codexHome, 'config.toml'), '[features]\nplugins = false\n');
    const r = await s.turn(['hi'], { OPENAI_API_KEY: '' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not logged in/);
    expect(r.stderr).toContain(`CODEX_HOME=${s.codexHome} codex login`);
  });

  it('an API key only in the environment is no login (codex app-server does not read it): says so, and the command it gives stores one that works', async () => {
    const s = await setup([{ message: 'PONG' }]);
    // The mock as a provider that needs an OpenAI login, as the built-in openai provider does.
    const config = readFileSync(path.join(s.codexHome, 'config.toml'), 'utf8');
    writeFileSync(path.join(s.codexHome, 'config.toml'), config.replace('env_key = "MOCK_API_KEY"', 'requires_openai_auth = true'));
    const key = { OPENAI_API_KEY: 'sk-env-only-1234' };
    const refused = await s.turn(['hi'], key);
    expect(refused.exitCode, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/not logged in/);
    const fix = `printenv OPENAI_API_KEY | CODEX_HOME=${s.codexHome} codex login --with-api-key`;
    expect(refused.stderr).toContain(fix);
    expect(s.mock.requests).toHaveLength(0);
    // The remediation, run as printed, with the real codex on PATH.
    const login = await execa('sh', ['-c', fix], { env: { ...s.env, ...key }, extendEnv: false, reject: false });
    expect(login.exitCode, String(login.stderr)).toBe(0);
    const r = await s.turn(['hi'], { OPENAI_API_KEY: '' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('PONG');
    expect(s.mock.authorizations).toEqual([`Bearer ${key.OPENAI_API_KEY}`]);
  });

  it('refuses a CODEX_HOME that does not exist', async () => {
    const s = await setup([]);
    const r = await execa('node', [cliBin, 'turn', 'hi', '--codex-home', path.join(s.root, 'missing')], { env: s.env, extendEnv: false, reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/does not exist/);
  });

  it('refuses a codex older than 0.128.0 with an upgrade hint, and a missing one', async () => {
    const s = await setup([]);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'old-codex-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const old = path.join(dir, 'codex');
    writeFileSync(old, '#!/bin/sh\necho "codex-cli 0.100.0"\n');
    chmodSync(old, 0o755);
    const r = await s.turn(['hi', '--codex-bin', old]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/codex 0\.100\.0 .* is too old/);
    expect(r.stderr).toMatch(new RegExp(`npm i -g @openai/codex@${TESTED_CODEX_VERSION.replace(/\./g, '\\.')}`));
    const missing = await s.turn(['hi', '--codex-bin', path.join(dir, 'nope')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/codex not found/);
  });

  it('a config.toml codex cannot load is reported as such, with its place, not as a missing login', async () => {
    const s = await setup([]);
    writeFileSync(path.join(s.codexHome, 'config.toml'), readFileSync(path.join(s.codexHome, 'config.toml'), 'utf8') + 'broken = "unterminated\n');
    const r = await s.turn(['hi', '--mcp-wait', '0']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: codex cannot load ${path.join(s.codexHome, 'config.toml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
    expect(r.stderr).not.toMatch(/not logged in/);
    expect(s.mock.requests.length).toBe(0);
  });

  it('needs a prompt or --smoke', async () => {
    const s = await setup([]);
    const r = await s.turn([]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/needs a PROMPT/);
  });

  it('starts codex once, before parsing; a start nobody takes (a usage error) is closed before exiting; --help and no prompt start none', async () => {
    const s = await setup([{ message: 'PONG' }]);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'early-codex-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // A codex that notes each start (its pid: exec keeps it) and then is the real one.
    const { nativeBehindNpmWrapper } = await import('../../src/codex/binary.js');
    const native = nativeBehindNpmWrapper(path.join(repoRoot, 'node_modules/.bin/codex'))?.native ?? path.join(repoRoot, 'node_modules/.bin/codex');
    const log = path.join(dir, 'starts');
    const codex = path.join(dir, 'codex');
    writeFileSync(codex, `#!/bin/sh\necho "$$ $*" >> "${log}"\nexec "${native}" "$@"\n`);
    chmodSync(codex, 0o755);
    const starts = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
    const ok = await s.turn(['PONG?', '--json', '--codex-bin', codex]);
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout).finalText).toBe('PONG');
    expect(starts()).toEqual([expect.stringMatching(/^\d+ app-server$/)]);
    // An unknown flag: codex was started before yargs refused the line, and is gone when the CLI exits.
    const bad = await s.turn(['PONG?', '--codex-bin', codex, '--no-such-flag']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/no-such-flag/);
    expect(starts()).toHaveLength(2);
    const pid = Number(starts()[1]!.split(' ')[0]);
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    expect(s.mock.requests.length).toBe(1);
    // No turn would run: nothing started.
    expect((await s.turn(['--help', 'PONG?', '--codex-bin', codex])).exitCode).toBe(0);
    expect((await s.turn(['--codex-bin', codex])).exitCode).toBe(2);
    expect(starts()).toHaveLength(2);
  });
});

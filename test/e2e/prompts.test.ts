/**
 * Prompts in a real pseudo-terminal (test/helpers/run-in-pty.py): answering them,
 * and Ctrl+C at them, which ends the command with exit 130 and no stack
 * trace (for `turn`, after turn/interrupt).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { codexHomeWithMock } from '../helpers/runtime.js';
import { cliBin, repoRoot, runCli, sandbox } from '../helpers/codex.js';

const PTY = path.join(repoRoot, 'test/helpers/run-in-pty.py');
const CTRL_C = '\u0003';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function inPty(args: string[], env: Record<string, string>, steps: { wait: string; send: string }[]) {
  // The system python: a version manager's shim would put its own bin first on PATH for the command under test.
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const r = await execa(python, [PTY, JSON.stringify(steps), '--', 'node', cliBin, ...args], { env: { ...env, TERM: 'xterm', COLUMNS: '100' }, extendEnv: false, reject: false, timeout: 90_000 });
  const out = String(r.stdout);
  const code = Number(/EXIT (\d+)\s*$/.exec(out)?.[1] ?? -1);
  return { out, code };
}

const write = { toolCall: { arguments: { cmd: 'echo hi > proof.txt', sandbox_permissions: 'require_escalated', justification: 'proof' } } };

async function turnSetup(script: Parameters<typeof codexHomeWithMock>[0]) {
  const s = await codexHomeWithMock(script);
  cleanups.push(() => s.mock.close(), () => rmSync(s.root, { recursive: true, force: true }));
  const env = { ...s.env, PATH: `${path.join(repoRoot, 'node_modules/.bin')}:${s.env['PATH']}`, NO_COLOR: '1' };
  return { ...s, env, args: (prompt: string) => ['turn', prompt, '--codex-home', s.codexHome, '--cwd', s.cwd, '--approve', 'ask', '--mcp-wait', '0'] };
}

describe('prompts on a terminal (PTY)', () => {
  it('turn --approve ask: y runs the command', async () => {
    const s = await turnSetup([write, { message: 'done' }]);
    const r = await inPty(s.args('write it'), s.env, [{ wait: 'allow\\?', send: 'y\r' }]);
    expect(r.code, r.out).toBe(0);
    const screen = r.out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(screen).toMatch(/codex wants to run .*echo hi > proof\.txt/s);
    expect(screen).toContain(`in ${s.cwd}`);
    expect(screen).toContain('reason: proof');
    expect(readFileSync(path.join(s.cwd, 'proof.txt'), 'utf8')).toBe('hi\n');
  });

  it('turn --approve ask shows a command with escape sequences as text, so it cannot hide what runs', async () => {
    // What the terminal would show as "ls" if the escapes acted: erase the line, back to its start.
    const hidden = { toolCall: { arguments: { cmd: 'echo gone > proof.txt \u001b[2K\rls', sandbox_permissions: 'require_escalated', justification: 'look \u001b[31mred' } } };
    const s = await turnSetup([hidden, { message: 'done' }]);
    const r = await inPty(s.args('list it'), s.env, [{ wait: 'allow\\?', send: 'n\r' }]);
    expect(r.out).toContain('echo gone > proof.txt \\u001b[2K\\u000dls');
    expect(r.out).toContain('reason: look \\u001b[31mred');
    expect(r.out).not.toContain('\u001b[31mred');
    expect(existsSync(path.join(s.cwd, 'proof.txt'))).toBe(false);
  });

  it('turn: Ctrl+C at the approval question interrupts the turn and exits 130, without a stack trace', async () => {
    const s = await turnSetup([write, { message: 'done' }]);
    const r = await inPty(s.args('write it'), s.env, [{ wait: 'allow\\?', send: CTRL_C }]);
    expect(r.code, r.out).toBe(130);
    expect(r.out).toMatch(/interrupt/i);
    expect(r.out).not.toMatch(/\n\s+at |AbortError|ExitPromptError|internal error/);
    expect(existsSync(path.join(s.cwd, 'proof.txt'))).toBe(false);
  });

  it('turn - at a terminal says how to end the prompt, and runs the turn with what was typed', async () => {
    const s = await turnSetup([{ message: 'got it' }]);
    const r = await inPty(['turn', '-', '--codex-home', s.codexHome, '--cwd', s.cwd, '--mcp-wait', '0', '--approve', 'never'], s.env, [{ wait: 'Ctrl\\+D', send: 'typed at a terminal\r\u0004' }]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('got it');
    expect(JSON.stringify(s.mock.requests[0])).toContain('typed at a terminal');
  });

  it('turn --approve ask without a terminal is refused up front (exit 2) instead of waiting for the deadline', async () => {
    const s = await turnSetup([write]);
    const r = await execa('node', [cliBin, ...s.args('write it')], { env: s.env, extendEnv: false, reject: false, stdin: 'ignore' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--approve ask needs a terminal/);
    expect(s.mock.requests.length).toBe(0);
  });

  it('doctor --fix shows the report first, then asks; Ctrl+C exits 130 with nothing changed and no stack trace', async () => {
    const sb = sandbox();
    cleanups.push(() => sb.cleanup());
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  a:\n    command: x\n');
    const r = await inPty(['doctor', '--fix', '--only', 'migration'], sb.env, [{ wait: 'apply 1 fix', send: CTRL_C }]);
    expect(r.code, r.out).toBe(130);
    expect(r.out.indexOf('managed block')).toBeLessThan(r.out.indexOf('apply 1 fix'));
    expect(r.out).not.toMatch(/\n\s+at |AbortError|ExitPromptError|internal error/);
    expect(existsSync(path.join(sb.codexHome, 'config.toml'))).toBe(false);

    const yes = await inPty(['doctor', '--fix', '--only', 'migration'], sb.env, [{ wait: 'apply 1 fix', send: 'y\r' }]);
    expect(yes.code, yes.out).toBe(0);
    expect(yes.out).toMatch(/fixed: migrate: updated/);
    expect(yes.out).toMatch(/After the fixes:/);
    expect(existsSync(path.join(sb.codexHome, 'config.toml'))).toBe(true);

    // Nothing left to fix: nothing is offered.
    const again = await runCli(['doctor', '--fix', '--only', 'migration', '--verbose'], sb.env);
    expect(String(again.stderr) + String(again.stdout)).toMatch(/nothing --fix can repair here/);
  });
});

describe('progress on a terminal (PTY)', () => {
  it('Ctrl+C while migrate waits for plugin discovery clears the progress line and ends by SIGINT (exit 130), nothing written', async () => {
    const sb = sandbox();
    cleanups.push(() => sb.cleanup());
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  a:\n    command: x\n');
    // A codex whose app-server never answers (and ends when its stdin closes): discovery waits.
    const bin = path.join(sb.root, 'codex');
    writeFileSync(bin, '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "codex-cli 0.169.0"; exit 0; fi\nexec cat > /dev/null\n', { mode: 0o755 });
    const r = await inPty(['migrate', '--codex-bin', bin, '--no-validate'], sb.env, [{ wait: 'querying codex for installed plugins… \\d+s', send: CTRL_C }]);
    expect(r.code, r.out).toBe(130);
    // The last thing drawn before the exit clears the spinner's line and says why the output ends.
    expect(r.out.replace(/\s*EXIT \d+\s*$/, '')).toMatch(/querying codex for installed plugins… \d+s(\^C)?\r\x1b\[2Kinterrupted$/);
    expect(existsSync(path.join(sb.codexHome, 'config.toml'))).toBe(false);
  });

  it('Ctrl+C while doctor --live waits for codex clears the progress line, says "interrupted" and exits 130', async () => {
    const sb = sandbox();
    cleanups.push(() => sb.cleanup());
    const bin = path.join(sb.root, 'codex');
    writeFileSync(bin, '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "codex-cli 0.169.0"; exit 0; fi\nexec cat > /dev/null\n', { mode: 0o755 });
    writeFileSync(path.join(sb.codexHome, 'config.toml'), '');
    const r = await inPty(['doctor', '--live', '--only', 'mcp.live', '--codex-bin', bin], sb.env, [{ wait: 'checking mcp\\.live… \\d+s', send: CTRL_C }]);
    expect(r.code, r.out).toBe(130);
    expect(r.out.replace(/\s*EXIT \d+\s*$/, '')).toMatch(/checking mcp\.live… \d+s(\^C)?\r\x1b\[2Kinterrupted$/);
  });
});

describe('doctor on a terminal', () => {
  it('shows which checks are running while --live runs (stderr, terminal only)', async () => {
    const sb = sandbox();
    cleanups.push(() => sb.cleanup());
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  a:\n    command: x\n');
    const r = await inPty(['doctor', '--live', '--only', 'live'], sb.env, []);
    expect(r.out).toMatch(/checking [a-z.]+/);
    const piped = await runCli(['doctor', '--live', '--only', 'live'], sb.env);
    expect(String(piped.stderr)).not.toMatch(/checking/);
  });

  it('reports a codex that hangs as a failed check with what to do, not as an internal error', async () => {
    const { runDoctor } = await import('../../src/doctor/run.js');
    const sb = sandbox();
    cleanups.push(() => sb.cleanup());
    const bin = path.join(sb.root, 'codex');
    writeFileSync(bin, '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "codex-cli 0.169.0"; exit 0; fi\nexec sleep 30\n', { mode: 0o755 });
    writeFileSync(path.join(sb.codexHome, 'config.toml'), '');
    const report = await runDoctor({ codexBin: bin, codexHome: sb.codexHome, live: true, only: ['mcp.live'], checkTimeoutMs: 1500, env: sb.env, home: sb.home, cwd: sb.root });
    expect(report.checks[0]).toMatchObject({ id: 'mcp.live', status: 'fail', summary: expect.stringMatching(/no answer after 2 s/), remediation: expect.stringMatching(/codex did not answer/) });
    expect(report.checks[0]!.remediation).not.toMatch(/Please report/);
  });
});

describe('MCP tool approvals on a terminal (PTY, real codex, real MCP server)', () => {
  it('asks with the server, the tool, its hints and its arguments; y runs the tool', async () => {
    const { fixture } = await import('../helpers/codex.js');
    const s = await turnSetup([{ toolCall: { namespace: 'mcp__echo', name: 'wipe', arguments: { target: 'everything' } } }, { message: 'wiped' }]);
    const log = path.join(s.root, 'echo.log');
    writeFileSync(path.join(s.codexHome, 'config.toml'), readFileSync(path.join(s.codexHome, 'config.toml'), 'utf8') + `\n[mcp_servers.echo]\ncommand = "node"\nargs = ["${fixture('mcp/echo-server.mjs')}"]\nenv = { ECHO_LOG = "${log}" }\n`);
    const args = s.args('wipe it').filter((a, i, all) => a !== '--mcp-wait' && all[i - 1] !== '--mcp-wait');
    const r = await inPty(args, s.env, [{ wait: 'allow\\?', send: 'y\r' }]);
    expect(r.code, r.out).toBe(0);
    const screen = r.out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(screen).toMatch(/codex wants to call the MCP tool wipe of server echo \(destructiveHint\)/);
    expect(screen).toContain('arguments: {"target":"everything"}');
    expect(readFileSync(log, 'utf8')).toBe('wipe everything\n');
  });
});

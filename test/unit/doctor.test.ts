/**
 * Doctor checks on memfs with scripted process results (codex --version,
 * codex's loader, python imports) — each check's ok, warn, fail and skip paths.
 */
import { describe, expect, it } from 'vitest';
import { runDoctor, type RunDoctorOptions } from '../../src/doctor/run.js';
import { selectChecks } from '../../src/doctor/registry.js';
import { plannedFixes, applyFixes } from '../../src/doctor/fix.js';
import { renderDoctorGithub, renderDoctorHuman, renderDoctorJunit } from '../../src/cli/render/doctor.js';
import { migrate } from '../../src/migrate/migrate.js';
import { START_MARKER, END_MARKER } from '../../src/migrate/block-render.js';
import type { RunCommand, RunResult } from '../../src/process.js';
import type { CheckResult } from '../../src/doctor/types.js';
import { memFileSystem } from '../helpers/memfs.js';
import { Chalk } from 'chalk';

const HOME = '/home/me';
const HERMES = `${HOME}/.hermes`;
const CODEX = `${HOME}/.codex`;
const NOW = new Date('2026-11-21T12:00:00Z');

interface Script {
  version?: string;
  loader?: RunResult;
  strict?: RunResult;
  python?: RunResult;
}
const accepted: RunResult = { exitCode: 0, stdout: '{"appServerVersion":"0.169.0"}', stderr: '' };

function fakeRun(script: Script = {}): RunCommand {
  return async (_file, args) => {
    if (args[0] === '--version') return { exitCode: 0, stdout: `codex-cli ${script.version ?? '0.169.0'}\n`, stderr: '' };
    if (args.includes('--print-startup-config')) return args.includes('--strict-config') ? script.strict ?? accepted : script.loader ?? accepted;
    if (args[0] === '-c') return script.python ?? { exitCode: 0, stdout: '', stderr: '' };
    return { exitCode: 1, stdout: '', stderr: 'unexpected', failure: { kind: 'other', message: 'unexpected command' } };
  };
}

const HERMES_YAML = 'model:\n  provider: openai-codex\n  openai_runtime: codex_app_server\nmcp_servers:\n  gh:\n    command: npx\n';

function setup(files: Record<string, string | null> = {}, script: Script = {}, env: Record<string, string> = {}) {
  const fs = memFileSystem({ '/bin/codex': '#!', '/venv/bin/python': '#!', [`${HERMES}/config.yaml`]: HERMES_YAML, ...files });
  const base: RunDoctorOptions = {
    fs,
    run: fakeRun(script),
    env: { PATH: '/bin', ...env },
    home: HOME,
    cwd: HOME,
    codexBin: '/bin/codex',
    findOnPath: async (name) => ({ npx: '/bin/npx', node: '/bin/node', codex: '/bin/codex' })[name] ?? null,
    now: () => NOW,
  };
  const check = async (id: string, over: Partial<RunDoctorOptions> = {}): Promise<CheckResult> => {
    const r = await runDoctor({ ...base, ...over, only: [id] });
    return r.checks[0]!;
  };
  return { fs, base, check };
}

const jwt = (expSecondsFromNow: number) =>
  `x.${Buffer.from(JSON.stringify({ exp: Math.floor(NOW.getTime() / 1000) + expSecondsFromNow })).toString('base64url')}.sig`;

describe('codex.binary and codex.version', () => {
  it('finds codex, fails without it, skips the version then', async () => {
    const { check } = setup();
    expect(await check('codex.binary')).toMatchObject({ status: 'ok', summary: '/bin/codex (from --codex-bin)' });
    const missing = await check('codex.binary', { codexBin: undefined, findOnPath: async () => null });
    expect(missing).toMatchObject({ status: 'fail', remediation: expect.stringMatching(/npm i -g @openai\/codex/) });
    expect(await check('codex.version', { codexBin: undefined, findOnPath: async () => null })).toMatchObject({ status: 'skip' });
  });

  it('fails below 0.128.0 and warns when newer than tested', async () => {
    expect(await setup({}, { version: '0.120.0' }).check('codex.version')).toMatchObject({ status: 'fail', summary: expect.stringMatching(/too old/) });
    expect(await setup({}, { version: '0.200.1' }).check('codex.version')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/newer than the tested/) });
    expect(await setup().check('codex.version')).toMatchObject({ status: 'ok', summary: 'codex 0.169.0 (tested with 0.169.0)' });
  });
});

describe('codex.home', () => {
  it('fails for an explicit CODEX_HOME that does not exist, with its remediation', async () => {
    const r = await setup({}, {}, { CODEX_HOME: '/nowhere' }).check('codex.home');
    expect(r).toMatchObject({ status: 'fail', summary: expect.stringMatching(/\/nowhere, which does not exist/), remediation: expect.stringMatching(/mkdir -m 700/) });
  });

  it('warns (fixable) for a missing default ~/.codex; warns for group-writable; lists profiles sharing it', async () => {
    expect(await setup().check('codex.home')).toMatchObject({ status: 'warn', fixable: true, fix: 'create-codex-home' });
    const { fs, check } = setup({ [CODEX]: null, [`${HERMES}/profiles/work`]: null, [`${HERMES}/profiles/solo/codex`]: null });
    await fs.chmod(CODEX, 0o777);
    const r = await check('codex.home', { only: ['codex.home'] });
    expect(r.status).toBe('warn');
    expect(r.remediation).toMatch(/chmod 700/);
    expect(r.details).toContain('used by Hermes profiles: work');
  });

  it('warns when HOME points into CODEX_HOME or Hermes\' directory', async () => {
    const { check } = setup({ [CODEX]: null, [`${HERMES}/home`]: null });
    const r = await check('codex.home', { home: `${HERMES}/home`, env: { PATH: '/bin', CODEX_HOME: CODEX, HERMES_HOME: HERMES } });
    expect(r).toMatchObject({ status: 'warn', remediation: expect.stringMatching(/keep HOME real/) });
  });
});

describe('codex.auth', () => {
  const auth = (o: object) => JSON.stringify(o);
  it('fails without credentials, says how to log in; an API key in the environment counts', async () => {
    expect(await setup({ [CODEX]: null }).check('codex.auth')).toMatchObject({ status: 'fail', remediation: expect.stringContaining(`CODEX_HOME=${CODEX} codex login`) });
    expect(await setup({ [CODEX]: null }, {}, { OPENAI_API_KEY: 'sk-x' }).check('codex.auth')).toMatchObject({ status: 'ok', summary: expect.stringMatching(/OPENAI_API_KEY/) });
  });

  it('checks JWT expiry and last_refresh, and never prints a token', async () => {
    const expired = setup({ [`${CODEX}/auth.json`]: auth({ OPENAI_API_KEY: null, tokens: { access_token: jwt(-60), id_token: 'i', refresh_token: 'SECRET-REFRESH' }, last_refresh: NOW.toISOString() }) });
    await expired.fs.chmod(`${CODEX}/auth.json`, 0o600);
    const r = await expired.check('codex.auth');
    expect(r).toMatchObject({ status: 'fail', summary: expect.stringMatching(/expired/) });
    expect(JSON.stringify(r)).not.toMatch(/SECRET-REFRESH|x\.ey/);

    const soon = setup({ [`${CODEX}/auth.json`]: auth({ tokens: { access_token: jwt(120) }, last_refresh: NOW.toISOString() }) });
    await soon.fs.chmod(`${CODEX}/auth.json`, 0o600);
    expect(await soon.check('codex.auth')).toMatchObject({ status: 'warn', remediation: expect.stringMatching(/5 minutes/) });

    const stale = setup({ [`${CODEX}/auth.json`]: auth({ tokens: { access_token: jwt(3600) }, last_refresh: new Date(NOW.getTime() - 9 * 86_400_000).toISOString() }) });
    await stale.fs.chmod(`${CODEX}/auth.json`, 0o600);
    expect(await stale.check('codex.auth')).toMatchObject({ status: 'warn', remediation: expect.stringMatching(/9 days ago/) });

    const fine = setup({ [`${CODEX}/auth.json`]: auth({ tokens: { access_token: jwt(3600) }, last_refresh: NOW.toISOString() }) });
    await fine.fs.chmod(`${CODEX}/auth.json`, 0o600);
    expect(await fine.check('codex.auth')).toMatchObject({ status: 'ok', summary: 'ChatGPT login (tokens in auth.json)' });
  });

  it('warns (fixable) when auth.json is readable by others; accepts an API key in it', async () => {
    const { check } = setup({ [`${CODEX}/auth.json`]: auth({ OPENAI_API_KEY: 'sk-in-file' }) });
    const r = await check('codex.auth');
    expect(r).toMatchObject({ status: 'warn', fix: 'chmod-auth', summary: 'API key in auth.json' });
    expect(JSON.stringify(r)).not.toContain('sk-in-file');
  });

  it('checks a custom model provider\'s env_key instead of an OpenAI login', async () => {
    const toml = 'model_provider = "local"\n[model_providers.local]\nname = "L"\nbase_url = "http://127.0.0.1:1/v1"\nenv_key = "LOCAL_KEY"\n';
    expect(await setup({ [`${CODEX}/config.toml`]: toml }).check('codex.auth')).toMatchObject({ status: 'fail', summary: expect.stringMatching(/needs LOCAL_KEY/) });
    expect(await setup({ [`${CODEX}/config.toml`]: toml }, {}, { LOCAL_KEY: 'k' }).check('codex.auth')).toMatchObject({ status: 'ok' });
  });
});

describe('codex.config', () => {
  it('reports parse errors with file:line:col, codex rejections with codex\'s line, strict findings as warnings', async () => {
    expect(await setup({ [`${CODEX}/config.toml`]: 'a = 1\nb = \n' }).check('codex.config')).toMatchObject({ status: 'fail', summary: expect.stringMatching(/config\.toml:2:\d+: TOML error/) });
    const rejected = { exitCode: 1, stdout: '{"error":{"data":{"line":4,"column":1,"detail":"/x/config.toml:4:1: url is not supported for stdio"}}}', stderr: '' };
    // A structural error fails codex's loader with and without --strict-config.
    expect(await setup({ [`${CODEX}/config.toml`]: 'a = 1\n' }, { loader: rejected, strict: rejected }).check('codex.config')).toMatchObject({ status: 'fail', summary: `codex rejects ${CODEX}/config.toml:4:1: url is not supported for stdio` });
    const strict = { exitCode: 1, stdout: '{"error":{"data":{"line":2,"column":1,"detail":"x:2:1: unknown configuration field `bogus`"}}}', stderr: '' };
    expect(await setup({ [`${CODEX}/config.toml`]: 'a = 1\n' }, { strict }).check('codex.config')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/unknown configuration field `bogus` \(.*config\.toml:2:1\)/) });
    expect(await setup({ [CODEX]: null }).check('codex.config')).toMatchObject({ status: 'ok', summary: expect.stringMatching(/codex uses its defaults/) });
    expect(await setup().check('codex.config')).toMatchObject({ status: 'skip' });
  });
});

describe('migration.block', () => {
  async function migrated(files: Record<string, string | null> = {}) {
    const s = setup({ [CODEX]: null, ...files });
    await migrate({ fs: s.fs, run: fakeRun(), env: { PATH: '/bin' }, home: HOME, cwd: HOME, codexBin: '/bin/codex', hermesPython: '/venv/bin/python', plugins: false, now: () => NOW });
    return s;
  }

  it('is ok right after a migration and warns (fixable) about drift when the Hermes config changes', async () => {
    const s = await migrated();
    expect(await s.check('migration.block')).toMatchObject({ status: 'ok', summary: expect.stringMatching(/present .* and current/), facts: { block: 'current' } });
    await s.fs.writeFileAtomic(`${HERMES}/config.yaml`, HERMES_YAML + '  new:\n    command: node\n');
    const r = await s.check('migration.block');
    expect(r).toMatchObject({ status: 'warn', fix: 'migrate', summary: expect.stringMatching(/no longer matches/), facts: { block: 'drift' } });
    expect(r.details.join('\n')).toContain('+[mcp_servers.new]');
  });

  it('reports a missing block, a missing end marker, a block after a table, and two blocks', async () => {
    expect(await setup({ [`${CODEX}/config.toml`]: 'model = "x"\n' }).check('migration.block')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/no managed block/), facts: { block: 'missing' } });
    const s = await migrated();
    const text = s.fs.text(`${CODEX}/config.toml`);
    await s.fs.writeFileAtomic(`${CODEX}/config.toml`, text.replace(END_MARKER + '\n', ''));
    expect(await s.check('migration.block')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/end marker is missing/), facts: { block: 'damaged' } });
    await s.fs.writeFileAtomic(`${CODEX}/config.toml`, '[features]\nx = 1\n\n' + text);
    expect(await s.check('migration.block')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/after the table \[features\]/) });
    await s.fs.writeFileAtomic(`${CODEX}/config.toml`, text + '\n' + text);
    expect(await s.check('migration.block')).toMatchObject({ status: 'fail', summary: expect.stringMatching(/2 managed blocks/) });
  });

  it("tells a profile with its own CODEX_HOME to migrate into that one, not into ~/.codex", async () => {
    const own = `${HERMES}/profiles/work space/codex`;
    const s = setup({ [`${HERMES}/profiles/work space/config.yaml`]: HERMES_YAML, [`${own}/config.toml`]: 'model = "x"\n' });
    const r = await s.check('migration.block', { profile: 'work space' });
    expect(r).toMatchObject({ status: 'warn', summary: `no managed block in ${own}/config.toml` });
    expect(r.remediation).toBe(`Run \`hermes-codex migrate --profile 'work space' --codex-home '${own}'\` (or add --fix to this doctor run).`);
    expect((await s.check('migration.block')).remediation).toBe('Run `hermes-codex migrate` (or add --fix to this doctor run).');
  });

  it('reports owned tables outside the block and foreign tables inside it', async () => {
    const s = await migrated();
    const text = s.fs.text(`${CODEX}/config.toml`);
    await s.fs.writeFileAtomic(`${CODEX}/config.toml`, text.replace(END_MARKER, '[mcp_servers.mine]\ncommand = "x"\n' + END_MARKER));
    const inside = await s.check('migration.block');
    // Codex's (or your) tables inside the markers are yours, not damage: reported, block still current.
    expect(inside.status).toBe('ok');
    expect(inside.details.join('\n')).toMatch(/inside the block but yours .*mcp_servers\.mine: not written by hermes-codex/);
    await s.fs.writeFileAtomic(`${CODEX}/config.toml`, text.replace(START_MARKER + '\n', '').replace(END_MARKER + '\n', ''));
    const outside = await s.check('migration.block');
    expect(outside.status).toBe('warn');
  });
});

describe('hermes checks', () => {
  it('hermes.runtime: on, off, an unknown value, a provider codex does not serve, no config', async () => {
    expect(await setup().check('hermes.runtime')).toMatchObject({ status: 'ok', summary: 'codex runtime on for provider openai-codex' });
    expect(await setup({ [`${HERMES}/config.yaml`]: 'model:\n  openai_runtime: auto\n' }).check('hermes.runtime')).toMatchObject({ status: 'ok', summary: expect.stringMatching(/off/) });
    expect(await setup({ [`${HERMES}/config.yaml`]: 'model:\n  openai_runtime: turbo\n' }).check('hermes.runtime')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/reads as auto/) });
    expect(await setup({ [`${HERMES}/config.yaml`]: 'model:\n  provider: openrouter\n  openai_runtime: codex_app_server\n' }).check('hermes.runtime')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/openrouter is not rerouted/) });
    const fs = memFileSystem({ '/bin/codex': '#!' });
    expect((await runDoctor({ fs, run: fakeRun(), env: {}, home: HOME, cwd: HOME, codexBin: '/bin/codex', only: ['hermes.runtime'] })).checks[0]).toMatchObject({ status: 'skip' });
  });

  it('hermes.auxiliary names the tasks without an override', async () => {
    const yaml = HERMES_YAML + 'auxiliary:\n  compression:\n    provider: openrouter\n  vision:\n    provider: auto\n';
    const r = await setup({ [`${HERMES}/config.yaml`]: yaml }).check('hermes.auxiliary');
    expect(r.status).toBe('ok');
    expect(r.summary).toMatch(/8 auxiliary task\(s\) run on your ChatGPT subscription: title_generation, flush_memories/);
    expect(r.summary).not.toMatch(/compression/);
    expect(await setup({ [`${HERMES}/config.yaml`]: 'model:\n  provider: openai\n  openai_runtime: codex_app_server\n' }).check('hermes.auxiliary')).toMatchObject({ status: 'skip' });
  });

  it('hermes.tools-callback: missing entry, missing python, failing import, missing env_vars, ok', async () => {
    const entry = (cmd: string, envVars = '["HERMES_HOME", "HERMES_KANBAN_TASK"]') =>
      `[mcp_servers.hermes-tools]\ncommand = "${cmd}"\nargs = ["-m", "agent.transports.hermes_tools_mcp_server"]\nenv_vars = ${envVars}\n`;
    expect(await setup({ [`${CODEX}/config.toml`]: 'a = 1\n' }).check('hermes.tools-callback')).toMatchObject({ status: 'warn', fix: 'migrate' });
    expect(await setup({ [`${CODEX}/config.toml`]: entry('/gone/python') }).check('hermes.tools-callback')).toMatchObject({ status: 'fail', summary: expect.stringMatching(/does not exist/) });
    const noModule = { exitCode: 1, stdout: '', stderr: "ModuleNotFoundError: No module named 'agent'" };
    const failing = await setup({ [`${CODEX}/config.toml`]: entry('/venv/bin/python') }, { python: noModule }).check('hermes.tools-callback');
    expect(failing).toMatchObject({ status: 'fail', summary: expect.stringMatching(/silently vanish/) });
    expect(failing.details).toContain("ModuleNotFoundError: No module named 'agent'");
    expect(await setup({ [`${CODEX}/config.toml`]: entry('/venv/bin/python', '["HERMES_HOME"]') }).check('hermes.tools-callback')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/HERMES_KANBAN_TASK/) });
    expect(await setup({ [`${CODEX}/config.toml`]: entry('/venv/bin/python') }).check('hermes.tools-callback')).toMatchObject({ status: 'ok' });
  });
});

describe('mcp.servers', () => {
  it('fails for a missing command or cwd or a bad URL; warns for unset variables and literal secrets', async () => {
    const check = (toml: string, env: Record<string, string> = {}) => setup({ [`${CODEX}/config.toml`]: toml }, {}, env).check('mcp.servers');
    expect(await check('[mcp_servers.a]\ncommand = "nope"\n')).toMatchObject({ status: 'fail', summary: 'a: command nope not found on PATH' });
    expect(await check('[mcp_servers.a]\ncommand = "npx"\ncwd = "/missing"\n')).toMatchObject({ status: 'fail', summary: 'a: cwd /missing does not exist' });
    expect(await check('[mcp_servers.a]\nurl = "ftp://x"\n')).toMatchObject({ status: 'fail' });
    expect(await check('[mcp_servers.a]\ncommand = "npx"\nenv_vars = ["GH_TOKEN"]\n')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/GH_TOKEN not set/) });
    expect(await check('[mcp_servers.a]\ncommand = "npx"\nenv_vars = ["GH_TOKEN"]\n', { GH_TOKEN: 'x' })).toMatchObject({ status: 'ok' });
    const secret = await check('[mcp_servers.a]\nurl = "https://x.example"\nhttp_headers = { Authorization = "Bearer abcdefghijkl" }\n');
    expect(secret).toMatchObject({ status: 'warn', summary: expect.stringMatching(/literal secret/) });
    expect(JSON.stringify(secret)).not.toContain('abcdefghijkl');
    expect(await check('[mcp_servers.a]\ncommand = "gone"\nenabled = false\n')).toMatchObject({ status: 'ok' });
  });
});

describe('runner, selection and output', () => {
  it('selects by id and category, runs live checks only with --live, rejects unknown ids', () => {
    expect(selectChecks({}).map((c) => c.id)).not.toContain('mcp.live');
    expect(selectChecks({ live: true }).map((c) => c.id)).toEqual(expect.arrayContaining(['mcp.live', 'auth.live']));
    expect(selectChecks({ live: true }).map((c) => c.id)).not.toContain('turn.smoke');
    expect(selectChecks({ only: ['hermes'] }).map((c) => c.id)).toEqual(['hermes.runtime', 'hermes.auxiliary', 'hermes.tools-callback', 'hermes.profiles']);
    expect(selectChecks({ skip: ['codex', 'mcp.servers'] }).map((c) => c.id)).toEqual(['migration.block', 'hermes.runtime', 'hermes.auxiliary', 'hermes.tools-callback', 'hermes.profiles']);
    expect(() => selectChecks({ only: ['nope'] })).toThrow(/unknown check nope/);
  });

  it('turns a throwing or hanging check into a failed check, not a crash', async () => {
    const { base } = setup({ [CODEX]: null });
    const hanging = await runDoctor({ ...base, only: ['mcp.live'], startClient: () => new Promise(() => {}), checkTimeoutMs: 50 });
    expect(hanging.checks[0]).toMatchObject({ status: 'fail', summary: 'check failed: no answer after 0 s' });
    const throwing = await runDoctor({ ...base, only: ['auth.live'], startClient: async () => Promise.reject(new Error('boom')) });
    expect(throwing.checks[0]).toMatchObject({ status: 'fail', summary: 'check failed: boom' });
    expect(throwing.overallStatus).toBe('fail');
  });

  it('produces the JSON report shape, JUnit XML and GitHub annotations', async () => {
    const { base } = setup({ [CODEX]: null });
    const r = await runDoctor({ ...base, only: ['codex'] });
    expect(r).toMatchObject({ schemaVersion: 1, generatedAt: NOW.toISOString(), overallStatus: 'fail', codexVersion: '0.169.0', codexHome: CODEX });
    expect(Object.keys(r.checks[0]!).sort()).toEqual(['category', 'details', 'durationMs', 'fixable', 'id', 'remediation', 'status', 'summary', 'title']);
    const junit = renderDoctorJunit(r);
    expect(junit).toMatch(/<testsuites name="hermes-codex doctor" tests="5" failures="1"/);
    expect(junit).toContain('<testcase classname="hermes-codex.doctor.codex" name="codex.auth"');
    const gh = renderDoctorGithub(r);
    expect(gh).toMatch(/^::error title=hermes-codex doctor%3A codex\.auth::not logged in/m);
    expect(gh).toMatch(/^::notice title=hermes-codex doctor::fail: /m);
    const human = renderDoctorHuman(r, new Chalk({ level: 0 }), { ascii: true });
    expect(human).toMatch(/\[FAIL\] codex\.auth: not logged in/);
    expect(human).toMatch(/-> Run `CODEX_HOME=/);
    expect(human).toMatch(/not usable yet: 3 ok, 1 warning\(s\), 1 failed/); // memfs makes directories 0777: group-writable CODEX_HOME
  });
});

describe('--fix', () => {
  it('creates the default CODEX_HOME (0700) and chmods auth.json', async () => {
    const { base, fs } = setup();
    const before = await runDoctor({ ...base, only: ['codex.home'] });
    const fixes = plannedFixes(before.checks, CODEX);
    expect(fixes.map((f) => f.id)).toEqual(['create-codex-home']);
    await applyFixes(fixes, CODEX, base);
    expect(fs.modeOf(CODEX)).toBe(0o700);

    await fs.writeFileAtomic(`${CODEX}/auth.json`, '{"OPENAI_API_KEY":"k"}', { mode: 0o644 });
    const auth = await runDoctor({ ...base, only: ['codex.auth'] });
    await applyFixes(plannedFixes(auth.checks, CODEX), CODEX, base);
    expect(fs.modeOf(`${CODEX}/auth.json`)).toBe(0o600);
    expect((await runDoctor({ ...base, only: ['codex.auth'] })).checks[0]!.status).toBe('ok');
  });
});

describe('doctor tells the truth, with the right severity', () => {
  it('fails for every HTTP server whose bearer token variable is unset (codex will not start it), naming each', async () => {
    const toml = '[mcp_servers.a]\nurl = "https://a.example/mcp"\nbearer_token_env_var = "A_TOKEN"\n\n[mcp_servers.b]\nurl = "https://b.example/mcp"\nbearer_token_env_var = "B_TOKEN"\n';
    const { check } = setup({ [`${CODEX}/config.toml`]: toml });
    const r = await check('mcp.servers');
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/^2 problems: a: bearer_token_env_var A_TOKEN is not set .*; b: bearer_token_env_var B_TOKEN/);
    expect((await check('mcp.servers', { env: { PATH: '/bin', A_TOKEN: 'x', B_TOKEN: 'y' } })).status).toBe('ok');
  });

  it('one login rule: a custom provider logging in with its env_key counts as logged in for codex.auth, hermes.profiles and profile list', async () => {
    const { loginState } = await import('../../src/codex/login.js');
    const toml = 'model_provider = "mine"\n[model_providers.mine]\nname = "Mine"\nbase_url = "http://127.0.0.1:1/v1"\nenv_key = "MINE_KEY"\n';
    const { fs, check } = setup({ [`${CODEX}/config.toml`]: toml });
    expect(await loginState(fs, CODEX, { MINE_KEY: 'k' })).toBe('provider-key');
    expect(await loginState(fs, CODEX, {})).toBe('none');
    expect(await check('codex.auth', { env: { PATH: '/bin', MINE_KEY: 'k' } })).toMatchObject({ status: 'ok', summary: expect.stringMatching(/authenticates with MINE_KEY/) });
    expect(await check('codex.auth')).toMatchObject({ status: 'fail' });
  });

  it('honours migrate --no-hermes-tools: the callback is not reported missing, and no fix is offered', async () => {
    const { fs, base, check } = setup();
    const { migrate } = await import('../../src/migrate/migrate.js');
    const { onProgress: _p, ...migrateBase } = base;
    await migrate({ ...migrateBase, hermesTools: false, plugins: false, validateWithCodex: false });
    expect(await check('hermes.tools-callback')).toMatchObject({ status: 'skip', summary: expect.stringMatching(/--no-hermes-tools/) });
    const { plannedFixes, workableFixes } = await import('../../src/doctor/fix.js');
    const report = await runDoctor({ ...base, only: ['migration', 'hermes'] });
    expect(await workableFixes(plannedFixes(report.checks, CODEX), CODEX, { ...base })).toEqual([]);
    void fs;
  });

  it('names the Python under the resolved Hermes root in the callback hint', async () => {
    const toml = '[mcp_servers.hermes-tools]\ncommand = "/gone/python"\nargs = ["-m", "agent.transports.hermes_tools_mcp_server"]\n';
    const { check } = setup({ [`${CODEX}/config.toml`]: toml }, {}, { HERMES_HOME: '/srv/hermes' });
    const r = await check('hermes.tools-callback');
    expect(r.remediation).toContain('/srv/hermes/hermes-agent/venv/bin/python');
    expect(r.remediation).not.toContain('~/.hermes');
  });

  it('--only live does not run the smoke turn (a real model call) without --turn', async () => {
    const { selectChecks } = await import('../../src/doctor/registry.js');
    expect(selectChecks({ only: ['live'] }).map((c) => c.id)).not.toContain('turn.smoke');
    expect(selectChecks({ only: ['live'], turn: true }).map((c) => c.id)).toContain('turn.smoke');
    expect(selectChecks({ only: ['turn.smoke'] }).map((c) => c.id)).toEqual(['turn.smoke']);
  });
});

describe('one redaction pass over the report', () => {
  it('takes secrets out of every row, whichever check quoted them', async () => {
    const toml = '[mcp_servers.a]\ncommand = "/opt/run-with-sk-abcdefghijklmnopqrstuv"\n';
    const { check } = setup({ [`${CODEX}/config.toml`]: toml }, {}, { MY_SERVICE_TOKEN: '/opt/run-with-sk-abcdefghijklmnopqrstuv' });
    const r = await check('mcp.servers');
    expect(r.status).toBe('fail');
    expect(JSON.stringify(r)).not.toContain('sk-abcdefghijklmnopqrstuv');
    expect(r.summary).toContain('***');
  });
});

/**
 * The codex version matrix (`npm run test:compat`; part of `npm test`):
 * the supported floor, a version from the middle, the previous pin and the
 * pin, each installed from npm into a cache outside the repository (reused
 * between runs), plus one release below the floor, which must be refused
 * cleanly. `npm run test:compat -- 0.172.0 0.150.0` (or
 * HERMES_CODEX_VERSIONS=0.172.0,0.150.0) runs the per-version suite on
 * exactly the versions named instead, a release newer than the pin too
 * (doctor's "newer than tested" is then the expected verdict).
 * Per version: migrate on the bundled example with that codex's own loader
 * as the judge, a config that version rejects, doctor (static and --live),
 * plugins, the tools a migrated tool filter leaves the model, codex reading
 * no API key from its environment, and `turn --smoke` against the mock model. Which MCP server
 * names start is probed on those and on 0.151 and 0.152, the releases either
 * side of that change.
 */
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { execa } from 'execa';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliBin, fixture, sandbox as baseSandbox } from '../helpers/codex.js';
import { installCodex } from '../helpers/codex-versions.js';
import { startMockResponses, mockProviderConfig } from '../../fixtures/mock-responses/server.mjs';
import { capabilitiesOf, compareVersions, SUPPORTED_FLOOR, TESTED_CODEX_VERSION } from '../../src/codex/capabilities.js';
import { CodexAppServerClient } from '../../src/runtime/client.js';
import { codexStartsServerNamed } from '../../src/codex/server-names.js';

const MIDDLE = '0.150.0';
/** The pin before this one: a release many users still run. */
const PREVIOUS_PIN = '0.169.0';
/** Versions named with `npm run test:compat -- VERSION …` (HERMES_CODEX_VERSIONS), else undefined: the default list. */
const NAMED = process.env['HERMES_CODEX_VERSIONS']?.split(',').map((v) => v.trim()).filter(Boolean);
const PER_VERSION = NAMED?.length ? NAMED : [SUPPORTED_FLOOR, MIDDLE, PREVIOUS_PIN, TESTED_CODEX_VERSION];
const DEFAULT_RUN = !NAMED?.length;
const BELOW_FLOOR = '0.125.0';
/** The release before the first that starts MCP servers named with `: @ / .`, and that first one (codex/server-names.ts). */
const NAME_BOUNDARY = ['0.151.0', '0.152.0'];
const bins = new Map<string, string>();
beforeAll(async () => {
  const versions = [...new Set([...PER_VERSION, ...(DEFAULT_RUN ? [BELOW_FLOOR, ...NAME_BOUNDARY] : [])])];
  const installed = await Promise.all(versions.map(installCodex));
  versions.forEach((v, i) => bins.set(v, installed[i]!));
}, 600_000);

/** The shared test sandbox (temporary HOME, HERMES_HOME, CODEX_HOME; offline), with the mock model's key; removed when the test finishes. */
function sandbox() {
  const b = baseSandbox();
  onTestFinished(b.cleanup);
  return { root: b.root, hermes: b.hermesHome, codex: b.codexHome, env: { ...b.env, RUST_LOG: 'error', MOCK_API_KEY: 'x' } };
}

const cli = (args: string[], env: Record<string, string>) => execa('node', [cliBin, ...args], { env, extendEnv: false, reject: false });

describe.each(PER_VERSION)('codex %s', (version) => {
  const caps = capabilitiesOf(version);
  const expectedCheck = caps.printStartupConfig ? 'print-startup-config' : caps.strictAppServer ? 'strict-app-server' : 'mcp-list';

  it(`migrates the bundled example, judged by this codex's own loader (${expectedCheck}), which loads the result`, async () => {
    const s = sandbox();
    copyFileSync(fixture('hermes/config.yaml'), path.join(s.hermes, 'config.yaml'));
    const r = await cli(['migrate', '--json', '--codex-bin', bins.get(version)!, '--hermes-python', '/usr/bin/python3', '--no-plugins'], s.env);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const report = JSON.parse(String(r.stdout));
    expect(report.validation).toMatchObject({ codex: 'accepted', check: expectedCheck });
    const list = await execa(bins.get(version)!, ['mcp', 'list', '--json'], { env: s.env, extendEnv: false, reject: false });
    expect(list.exitCode, String(list.stderr)).toBe(0);
    expect(String(list.stdout)).toContain('filesystem');
  });

  it('never writes a config this version rejects (exit 2, file untouched)', async () => {
    const s = sandbox();
    writeFileSync(path.join(s.hermes, 'config.yaml'), 'mcp_servers:\n  ok:\n    command: fine\n');
    const own = '[mcp_servers.mine]\ncommand = "x"\nurl = "http://127.0.0.1:1/mcp"\n';
    writeFileSync(path.join(s.codex, 'config.toml'), own);
    const r = await cli(['migrate', '--codex-bin', bins.get(version)!, '--hermes-python', '/usr/bin/python3', '--no-plugins'], s.env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/rejects the migrated config\.toml/);
    expect(readFileSync(path.join(s.codex, 'config.toml'), 'utf8')).toBe(own);
  });

  it('doctor gives a verdict on the config, and --live never calls a server that did not start "started"', async () => {
    const s = sandbox();
    writeFileSync(path.join(s.hermes, 'config.yaml'), 'mcp_servers:\n  ghost:\n    command: /nonexistent/mcp-server\n');
    expect((await cli(['migrate', '--codex-bin', bins.get(version)!, '--no-hermes-tools', '--no-plugins'], s.env)).exitCode).toBe(0);
    const r = await cli(['doctor', '--json', '--live', '--codex-bin', bins.get(version)!, '--only', 'codex.config,codex.version,mcp.live'], s.env);
    const checks = Object.fromEntries(JSON.parse(String(r.stdout)).checks.map((c: { id: string }) => [c.id, c]));
    // A release newer than the pin works but is untested: doctor says so, as a warning.
    if (compareVersions(version, TESTED_CODEX_VERSION) > 0) expect(checks['codex.version']).toMatchObject({ status: 'warn', summary: expect.stringMatching(/newer than the tested/) });
    else expect(checks['codex.version'].status).toBe('ok');
    expect(checks['codex.config']).toMatchObject({ status: 'ok', summary: expect.stringMatching(/accepted by codex's own loader/) });
    expect(checks['mcp.live'].status).not.toBe('ok');
    expect(checks['mcp.live'].summary).not.toMatch(/server\(s\) started/);
    expect(checks['mcp.live'].status, JSON.stringify(checks['mcp.live'])).toBe(caps.mcpStartupErrors ? 'fail' : 'warn');
  });

  it('plugins answers without crashing', async () => {
    const s = sandbox();
    writeFileSync(path.join(s.codex, 'config.toml'), '[features]\nplugins = true\n');
    const r = await cli(['plugins', '--json', '--codex-bin', bins.get(version)!], s.env);
    // Discovery may fail on an older codex, but as a clear error (exit 1), never a crash (70).
    expect([0, 1]).toContain(r.exitCode);
    if (r.exitCode === 0) expect(JSON.parse(String(r.stdout))).toHaveProperty('plugins');
  });

  it("offers the model only the tools migrate's enabled_tools / disabled_tools leave (Hermes' tools.include / exclude)", async () => {
    const s = sandbox();
    const mock = await startMockResponses({ script: [{ message: 'ok' }] });
    try {
      const echo = fixture('mcp/echo-server.mjs');
      writeFileSync(path.join(s.hermes, 'config.yaml'), `mcp_servers:\n  inc:\n    command: node\n    args: [${JSON.stringify(echo)}]\n    tools:\n      include: [echo]\n  exc:\n    command: node\n    args: [${JSON.stringify(echo)}]\n    tools:\n      exclude: [wipe]\n  all:\n    command: node\n    args: [${JSON.stringify(echo)}]\n`);
      writeFileSync(path.join(s.codex, 'config.toml'), mockProviderConfig(mock.baseUrl));
      const m = await cli(['migrate', '--codex-bin', bins.get(version)!, '--no-hermes-tools', '--no-plugins', '--no-permissions'], s.env);
      expect(m.exitCode, String(m.stderr)).toBe(0);
      const r = await cli(['turn', 'hi', '--json', '--codex-bin', bins.get(version)!, '--cwd', s.root], s.env);
      expect(r.exitCode, String(r.stderr)).toBe(0);
      // The namespace is mcp__<name> (0.128: mcp__<name>__).
      const offered = (mock.requests[0].tools as { type: string; name: string; tools?: { name: string }[] }[])
        .filter((t) => t.type === 'namespace' && t.name.startsWith('mcp__'))
        .map((t) => [t.name.replace(/__$/, ''), t.tools!.map((x) => x.name).sort()]);
      expect(Object.fromEntries(offered)).toEqual({ mcp__inc: ['echo'], mcp__exc: ['echo'], mcp__all: ['echo', 'wipe'] });
    } finally {
      await mock.close();
    }
  });

  it('runs a smoke turn against the mock model', async () => {
    const s = sandbox();
    const mock = await startMockResponses({ script: [{ message: 'PONG' }] });
    try {
      writeFileSync(path.join(s.codex, 'config.toml'), mockProviderConfig(mock.baseUrl));
      const r = await cli(['turn', '--smoke', '--json', '--codex-bin', bins.get(version)!, '--cwd', s.root, '--mcp-wait', '0'], s.env);
      expect(r.exitCode, String(r.stderr)).toBe(0);
      expect(JSON.parse(String(r.stdout))).toMatchObject({ smoke: true, codexVersion: version });
    } finally {
      await mock.close();
    }
  });
  it('reads no API key from its environment: a provider that needs an OpenAI login has none with OPENAI_API_KEY and CODEX_API_KEY set (hints.ts, codex.auth)', async () => {
    const s = sandbox();
    const mock = await startMockResponses({ script: [{ message: 'PONG' }] });
    try {
      writeFileSync(path.join(s.codex, 'config.toml'), mockProviderConfig(mock.baseUrl).replace('env_key = "MOCK_API_KEY"', 'requires_openai_auth = true'));
      const client = await CodexAppServerClient.start({ codexBin: bins.get(version)!, codexHome: s.codex, cwd: s.root, inheritEnv: true, env: { ...s.env, OPENAI_API_KEY: 'sk-env-a', CODEX_API_KEY: 'sk-env-b' } });
      try {
        expect(await client.request('getAuthStatus', {})).toMatchObject({ authMethod: null, requiresOpenaiAuth: true });
      } finally {
        await client.close();
      }
    } finally {
      await mock.close();
    }
  });
});

describe.each(DEFAULT_RUN ? [SUPPORTED_FLOOR, ...NAME_BOUNDARY, MIDDLE, TESTED_CODEX_VERSION] : PER_VERSION)('codex %s: MCP server names', (version) => {
  it('starts a server exactly when codexStartsServerNamed says so (a plain name, punctuation, a space)', async () => {
    const s = sandbox();
    const names = ['plain-name_1', 'team.wiki', 'x:y@z/w', 'a b'];
    const echo = fixture('mcp/echo-server.mjs');
    writeFileSync(path.join(s.codex, 'config.toml'), `[features]\nplugins = false\n\n${names.map((n) => `[mcp_servers.${JSON.stringify(n)}]\ncommand = "node"\nargs = [${JSON.stringify(echo)}]\n`).join('\n')}`);
    const client = await CodexAppServerClient.start({ codexBin: bins.get(version)!, codexHome: s.codex, cwd: s.root, env: s.env });
    try {
      const { data } = (await client.request('mcpServerStatus/list', {}, { timeoutMs: 60_000 })) as { data: { name: string; tools?: Record<string, unknown> }[] };
      const started = Object.fromEntries(data.map((d) => [d.name, Object.keys(d.tools ?? {}).length > 0]));
      expect(started).toEqual(Object.fromEntries(names.map((n) => [n, codexStartsServerNamed(n, version)])));
    } finally {
      await client.close();
    }
  });
});

describe.runIf(DEFAULT_RUN)(`codex ${BELOW_FLOOR} (below the supported floor)`, () => {
  it('turn refuses it with the version found and the upgrade command (exit 2)', async () => {
    const s = sandbox();
    const r = await cli(['turn', '--smoke', '--codex-bin', bins.get(BELOW_FLOOR)!, '--cwd', s.root], s.env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(new RegExp(`codex ${BELOW_FLOOR.replace(/\./g, '\\.')} .*is too old: hermes-codex needs ${SUPPORTED_FLOOR.replace(/\./g, '\\.')}`));
    expect(String(r.stderr)).toMatch(/npm i -g @openai\/codex@/);
  });

  it('migrate refuses to write what it cannot load, and says how to get a file it loads', async () => {
    const s = sandbox();
    writeFileSync(path.join(s.hermes, 'config.yaml'), 'mcp_servers:\n  ok:\n    command: fine\n');
    const r = await cli(['migrate', '--codex-bin', bins.get(BELOW_FLOOR)!, '--hermes-python', '/usr/bin/python3', '--no-plugins'], s.env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/--no-permissions/);
    expect(existsSync(path.join(s.codex, 'config.toml'))).toBe(false);
    const ok = await cli(['migrate', '--codex-bin', bins.get(BELOW_FLOOR)!, '--hermes-python', '/usr/bin/python3', '--no-plugins', '--no-permissions'], s.env);
    expect(ok.exitCode, String(ok.stderr)).toBe(0);
  });
});

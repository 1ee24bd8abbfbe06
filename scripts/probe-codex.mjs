#!/usr/bin/env node
// `npm run probe:codex -- VERSION [--slow] [--json]`: measure each fact of src/codex/capabilities.ts
// on a published codex release (installed from npm into the cache outside the repository,
// scripts/codex-cache.mjs), offline, in throwaway CODEX_HOME/HOME directories, and say which
// facts hold, which differ from what capabilities.ts predicts for that version, and what to
// update. Also compares the app-server protocol that release generates with the pinned one's
// for the methods and notifications the runtime uses. `--slow` adds the facts that take minutes
// (codex's own MCP start-up and tool-call timeouts). Exit 0 when every fact is as predicted,
// 1 when one differs, 2 on a usage error. Needs `npm run build` first (it uses dist/).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCodex } from './codex-cache.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const version = args.find((a) => !a.startsWith('--'));
if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
  console.error('usage: npm run probe:codex -- VERSION [--slow] [--json]   (VERSION such as 0.171.0)');
  process.exit(2);
}
const slow = args.includes('--slow');
const json = args.includes('--json');
const dist = (p) => import(path.join(root, 'dist', p));
const { capabilitiesOf, CAPABILITY_FACTS, CODEX_DEFAULT_STARTUP_TIMEOUT_SEC, codexDefaultToolTimeoutSec } = await dist('codex/capabilities.js');
const { codexStartsServerNamed } = await dist('codex/server-names.js');
const { CodexAppServerClient } = await dist('runtime/client.js');
const { CodexSession } = await dist('runtime/session.js');
const { startMockResponses, mockProviderConfig } = await import(path.join(root, 'fixtures/mock-responses/server.mjs'));

const bin = await installCodex(version);
const echo = path.join(root, 'fixtures/mcp/echo-server.mjs');
const behaviour = path.join(root, 'fixtures/mcp/behaviour-server.mjs');
const OFFLINE = Object.fromEntries(['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'https_proxy', 'http_proxy', 'all_proxy'].map((k) => [k, 'http://127.0.0.1:9']).concat([['NO_PROXY', '127.0.0.1,localhost']]));
const scratch = [];
/** A throwaway CODEX_HOME (with config.toml) and HOME. */
function home(config = '') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-probe-'));
  scratch.push(dir);
  mkdirSync(path.join(dir, 'codex'));
  mkdirSync(path.join(dir, 'home'));
  writeFileSync(path.join(dir, 'codex', 'config.toml'), config);
  const env = { PATH: process.env.PATH, HOME: path.join(dir, 'home'), CODEX_HOME: path.join(dir, 'codex'), RUST_LOG: 'error', LANG: 'C.UTF-8', MOCK_API_KEY: 'x', ...OFFLINE };
  return { dir, codexHome: env.CODEX_HOME, env };
}
const codex = (h, argv) => spawnSync(bin, argv, { env: h.env, input: '', encoding: 'utf8', timeout: 60_000 });
async function withClient(h, fn, extra = {}) {
  const client = await CodexAppServerClient.start({ codexBin: bin, codexHome: h.codexHome, env: h.env, cwd: h.dir, ...extra });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
const errorCode = (e) => (e && typeof e === 'object' && 'code' in e ? e.code : e?.rpcError?.code ?? null);
const serverTable = (name, command, argv, extra = '') => `[mcp_servers.${JSON.stringify(name)}]\ncommand = ${JSON.stringify(command)}\nargs = ${JSON.stringify(argv)}\n${extra}`;

/** Each probe: the fact's key (a CAPABILITY_FACTS key, or a name for a fact every version shares) and how to measure it. */
const probes = {
  builtinPermissionProfiles: async () => codex(home('default_permissions = ":workspace"\n'), ['mcp', 'list', '--json']).status === 0,
  strictAppServer: async () => {
    const r = codex(home('bogus_key_for_probe = 1\n'), ['app-server', '--strict-config']);
    return r.status === 1 && /bogus_key_for_probe/.test(r.stderr + r.stdout);
  },
  pluginAddCommand: async () => codex(home(), ['plugin', 'add', '--help']).status === 0,
  permissionProfileList: async () => withClient(home(), (c) => c.request('permissionProfile/list', {}).then(() => true, () => false)),
  longToolCallDefault: slow ? async () => (await toolCall(codexDefaultToolTimeoutSec('0.0.0') + 5)) : null,
  punctuatedServerNames: async () => {
    const h = home(serverTable('team.wiki', 'node', [echo]));
    return withClient(h, async (c) => {
      const { data } = await c.request('mcpServerStatus/list', {}, { timeoutMs: 60_000 });
      return Object.keys(data.find((d) => d.name === 'team.wiki')?.tools ?? {}).length > 0;
    });
  },
  threadReadMethodNotFound: async () => withClient(home(), async (c) => {
    const { thread } = await c.request('thread/start', { cwd: os.tmpdir() });
    return c.request('thread/read', { threadId: thread.id, includeTurns: true }).then(() => false, (e) => errorCode(e) === -32601);
  }),
  mcpStartupErrors: async () => withClient(home(serverTable('ghost', '/nonexistent/mcp-server', [])), async (c) => {
    const { data } = await c.request('mcpServerStatus/list', {}, { timeoutMs: 60_000 });
    return typeof data.find((d) => d.name === 'ghost')?.toolsError === 'string';
  }),
  printStartupConfig: async () => {
    const r = codex(home(), ['app-server', '--strict-config', '--print-startup-config']);
    return r.status === 0 && /"appServerVersion"/.test(r.stdout);
  },
};

/** Facts every supported version shares (capabilities.ts ALWAYS and the constants), probed the same way. */
const always = {
  'server names: a space never starts, [A-Za-z0-9_-] always does': async () => {
    const h = home(serverTable('plain-name_1', 'node', [echo]) + '\n' + serverTable('a b', 'node', [echo]));
    return withClient(h, async (c) => {
      const { data } = await c.request('mcpServerStatus/list', {}, { timeoutMs: 60_000 });
      const started = (n) => Object.keys(data.find((d) => d.name === n)?.tools ?? {}).length > 0;
      return started('plain-name_1') === codexStartsServerNamed('plain-name_1', version) && started('a b') === codexStartsServerNamed('a b', version) && !started('a b');
    });
  },
  'reads no API key from its environment (OPENAI_API_KEY, CODEX_API_KEY)': async () => {
    const mock = await startMockResponses({ script: [{ message: 'PONG' }] });
    try {
      const h = home(mockProviderConfig(mock.baseUrl).replace('env_key = "MOCK_API_KEY"', 'requires_openai_auth = true'));
      return await withClient(h, async (c) => {
        const s = await c.request('getAuthStatus', {});
        return s.authMethod === null && s.requiresOpenaiAuth === true;
      }, { inheritEnv: true, env: { ...h.env, OPENAI_API_KEY: 'sk-probe-a', CODEX_API_KEY: 'sk-probe-b' } });
    } finally {
      await mock.close();
    }
  },
  'a stdio MCP server gets USER, TMPDIR, LC_ALL from codex, not XDG_* (migrate forwards those)': async () => {
    const got = await getenv(['USER', 'TMPDIR', 'LC_ALL', 'XDG_CONFIG_HOME'], { USER: 'probe-user', TMPDIR: '/tmp', LC_ALL: 'C.UTF-8', XDG_CONFIG_HOME: '/probe-xdg' });
    return got.includes('USER=probe-user') && got.includes('TMPDIR=/tmp') && got.includes('LC_ALL=C.UTF-8') && got.includes('XDG_CONFIG_HOME=(unset)');
  },
  [`an MCP server gets ${CODEX_DEFAULT_STARTUP_TIMEOUT_SEC} s to start by itself`]: slow
    ? async () => (await startsWithin((CODEX_DEFAULT_STARTUP_TIMEOUT_SEC - 10) * 1000)) && !(await startsWithin((CODEX_DEFAULT_STARTUP_TIMEOUT_SEC + 5) * 1000))
    : null,
};

/** The namespace codex offers a server's tools under (`mcp__<name>__` in 0.128, `mcp__<name>` later). */
const namespaceOf = (offered, name) => offered.find((t) => t.type === 'namespace' && t.name.replace(/__$/, '') === `mcp__${name}`)?.name ?? `mcp__${name}`;
/** One turn in which the model calls a tool of the behaviour server; what the tool answered. */
async function callTool(tool, toolArgs, env = {}, timeoutSec = 120) {
  let ns = null;
  const mock = await startMockResponses({ script: (body, i) => {
    ns ??= namespaceOf(body.tools ?? [], 'slow');
    return i === 0 ? { toolCall: { namespace: ns, name: tool, arguments: toolArgs } } : { message: 'done' };
  } });
  try {
    const h = home(mockProviderConfig(mock.baseUrl) + '\n' + serverTable('slow', 'node', [behaviour]));
    return await withClient(h, async (c) => {
      const s = new CodexSession(c, 'never');
      await s.startThread({ cwd: h.dir });
      await s.waitForMcpServers(60_000);
      const r = await s.runTurn('go', { timeoutMs: timeoutSec * 1000 });
      return r.projectedMessages.filter((m) => m.role === 'tool').map((m) => m.content).join('\n');
    }, { env: { ...h.env, ...env } });
  } finally {
    await mock.close();
  }
}
const getenv = (names, env) => callTool('getenv', { names }, env);
/** Whether a tool call of `seconds` completes without tool_timeout_sec (true: codex's default is longer). */
async function toolCall(seconds) {
  return (await callTool('sleep', { ms: seconds * 1000 }, {}, seconds + 60)).includes(`slept ${seconds * 1000}`);
}
/** Whether a server that answers `initialize` after `ms` starts without startup_timeout_sec. */
async function startsWithin(ms) {
  const h = home(serverTable('slow', 'node', [behaviour], `env = { SLOW_START_MS = "${ms}" }\n`));
  return withClient(h, async (c) => {
    const s = new CodexSession(c, 'never');
    await s.startThread({ cwd: h.dir });
    return (await s.waitForMcpServers(ms + 30_000)).ready.includes('slow');
  });
}

/** Methods and notifications named in a generated protocol directory's unions. */
function protocolNames(dir) {
  const names = (file) => new Set([...readFileSync(path.join(dir, file), 'utf8').matchAll(/"method": "([^"]+)"/g)].map((m) => m[1]));
  return { requests: names('ClientRequest.ts'), serverRequests: names('ServerRequest.ts'), notifications: names('ServerNotification.ts') };
}
/** What the runtime uses (src/runtime, src/doctor/checks/live, src/plugins): present in both, or changed. */
const USED = {
  requests: ['initialize', 'thread/start', 'thread/resume', 'thread/read', 'turn/start', 'turn/steer', 'turn/interrupt', 'command/exec', 'mcpServerStatus/list', 'plugin/list', 'permissionProfile/list', 'account/read', 'getAuthStatus'],
  serverRequests: ['item/commandExecution/requestApproval', 'item/fileChange/requestApproval', 'mcpServer/elicitation/request'],
  notifications: ['turn/started', 'turn/completed', 'item/started', 'item/completed', 'thread/tokenUsage/updated', 'mcpServer/startupStatus/updated'],
};
/** Methods the runtime calls only on versions with a capability (the runtime checks it first). */
const GATED = { 'permissionProfile/list': 'permissionProfileList' };
const pinnedVersion = readFileSync(path.join(root, 'src/runtime/protocol/generated/CODEX_VERSION'), 'utf8').trim();
function protocolDiff() {
  const out = mkdtempSync(path.join(os.tmpdir(), 'hc-probe-ts-'));
  scratch.push(out);
  execFileSync(bin, ['app-server', 'generate-ts', '--out', out], { env: { ...process.env, RUST_LOG: 'error' }, stdio: 'ignore' });
  const probed = protocolNames(out);
  const pinned = protocolNames(path.join(root, 'src/runtime/protocol/generated'));
  const rows = [];
  for (const kind of Object.keys(USED)) {
    for (const m of USED[kind]) {
      // A method the runtime uses only where a capability says it exists is no gap below that version.
      if (!probed[kind].has(m) && !(GATED[m] && !predicted[GATED[m]])) rows.push({ kind, method: m, change: 'missing: the runtime uses it' });
    }
    for (const m of probed[kind]) if (!pinned[kind].has(m)) rows.push({ kind, method: m, change: `only in ${version}` });
    for (const m of pinned[kind]) if (!probed[kind].has(m) && !USED[kind].includes(m)) rows.push({ kind, method: m, change: `only in the pinned ${pinnedVersion}` });
  }
  const fileCount = (d) => readdirSync(path.join(d, 'v2')).length;
  return { rows, v2Types: { probed: fileCount(out), pinned: fileCount(path.join(root, 'src/runtime/protocol/generated')) } };
}

const predicted = capabilitiesOf(version);
const results = [];
try {
  for (const [key, probe] of Object.entries(probes)) {
    const fact = CAPABILITY_FACTS.find((f) => f.key === key);
    if (!probe) {
      results.push({ fact: key, since: fact?.since, expected: predicted[key], measured: null, note: 'slow: run with --slow' });
      continue;
    }
    const measured = await probe().catch((e) => `error: ${e?.message ?? e}`);
    results.push({ fact: key, since: fact?.since, expected: predicted[key], measured });
  }
  for (const [what, probe] of Object.entries(always)) {
    if (!probe) {
      results.push({ fact: what, expected: true, measured: null, note: 'slow: run with --slow' });
      continue;
    }
    results.push({ fact: what, expected: true, measured: await probe().catch((e) => `error: ${e?.message ?? e}`) });
  }
  const protocol = protocolDiff();
  const changed = results.filter((r) => r.measured !== null && r.measured !== r.expected);
  const missing = protocol.rows.filter((r) => r.change.startsWith('missing'));
  if (json) {
    console.log(JSON.stringify({ schemaVersion: 1, version, facts: results, protocol }, null, 2));
  } else {
    console.log(`codex ${version} (${bin})\n`);
    for (const r of results) {
      const mark = r.measured === null ? '–' : r.measured === r.expected ? '✓' : '✗';
      const said = r.measured === null ? r.note : r.measured === r.expected ? `${r.measured ? 'holds' : 'does not hold'}, as predicted` : `measured ${JSON.stringify(r.measured)}, capabilities.ts predicts ${JSON.stringify(r.expected)}`;
      console.log(`${mark} ${r.fact}${r.since ? ` (since ${r.since})` : ''}: ${said}`);
    }
    console.log(`\nprotocol (${protocol.v2Types.probed} v2 types; the pinned ${pinnedVersion}'s ${protocol.v2Types.pinned}):`);
    if (!protocol.rows.length) console.log('  the same requests, server requests and notifications as the pinned types');
    for (const r of protocol.rows) console.log(`  ${r.kind} ${r.method}: ${r.change}`);
    console.log('');
    if (changed.length) console.log(`To update: src/codex/capabilities.ts (${changed.map((r) => r.fact).join(', ')}: move the fact's \`since\`, or add a fact), then \`npm run gen:compat-doc\` and \`npm run test:compat -- ${version}\`.`);
    if (missing.length) console.log(`The runtime uses ${missing.map((r) => r.method).join(', ')}, which this release does not have: handle it in src/runtime before supporting it.`);
    if (!changed.length && !missing.length) console.log(`Every fact probed holds on ${version} as capabilities.ts predicts.`);
  }
  process.exitCode = changed.length || missing.length ? 1 : 0;
} finally {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
}

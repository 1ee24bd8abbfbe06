import { describe, expect, it } from 'vitest';
import { hermesMcpSwitches, translateServer, translateServers } from '../../src/migrate/translate.js';
import { ConfigShapeError } from '../../src/core/errors.js';
import { hermesYaml } from '../helpers/hermes.js';
import type { ServerTranslation } from '../../src/migrate/types.js';
import { HERMES_FORWARDED_ENV, hermesToolCallTimeout } from '../../src/config/hermes-behaviour.js';

const src = { file: '/h/config.yaml', lineOf: () => undefined };
const fields = (t: ServerTranslation) => {
  if (!t.ok) throw new Error(`expected ok, got: ${t.reason}`);
  return Object.fromEntries(t.entry.fields);
};
const one = (cfg: unknown, name = 's') => translateServer(name, cfg, src);
/** What every server gets for Hermes' behaviour when it does not say: Hermes' 60 s start-up (codex's own is 30 s) and 300 s tool calls (codex's own is 120 s or 300 s by version). */
const STARTUP = { startup_timeout_sec: { float: 60 }, tool_timeout_sec: { float: 300 } };
/** ... and a stdio server, the variables Hermes hands it that codex does not. */
const FORWARDED = { env_vars: [...HERMES_FORWARDED_ENV] };

describe('translateServer', () => {
  it('maps stdio keys, timeouts as float seconds, enabled:false and tool filters', () => {
    const t = one({
      command: 'npx', args: ['-y', 'pkg', 8080, true], env: { A: 'x', PORT: 3000 }, cwd: '/w',
      timeout: 90, connect_timeout: '15', enabled: false, tools: { include: ['a'], exclude: ['b'] },
    });
    expect(fields(t)).toEqual({
      // args items as Hermes passes them: Python's str() (True, not true); env values as text.
      command: 'npx', args: ['-y', 'pkg', '8080', 'True'], env: { A: 'x', PORT: '3000' }, ...FORWARDED, cwd: '/w',
      startup_timeout_sec: { float: 15 }, tool_timeout_sec: { float: 90 }, enabled: false,
      enabled_tools: ['a'], disabled_tools: ['b'],
    });
    expect(t.ok && t.entry.transport).toBe('stdio');
    expect(t.warnings).toEqual([]);
  });

  it("writes args items that are not text as Python's str() gives them, which is what Hermes passes: True, None, 1.0, inf", () => {
    const typed: Record<string, string> = { '0': 'yes', '1': '~', '2': '1.0', '3': '.inf', '4': '0755', '5': '1.5e3' };
    const t = translateServer('s', { command: 'x', args: [true, null, 1, Infinity, 493, 1500] }, { ...src, plainSourceOf: (p) => typed[String(p[p.length - 1])] });
    expect(fields(t).args).toEqual(['True', 'None', '1.0', 'inf', '493', '1500.0']);
    expect(t.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/^args\[0\]: `yes` is not text in YAML 1\.1, .*passed as "True"/));
    expect(t.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/^args\[1\]: `~` is not text .*passed as "None"/));
    expect(one({ command: 'x', args: [['nested']] })).toMatchObject({ ok: false, reason: expect.stringMatching(/^args\[0\] must be a string, not a list/) });
  });

  it('reads enabled as Hermes does: text and numbers too, and anything else as on, with a warning', () => {
    const e = (enabled: unknown) => translateServer('s', { command: 'x', enabled }, src);
    for (const off of ['no', ' Off ', 'FALSE', '0', 0, false]) expect(fields(e(off))['enabled'], String(off)).toBe(false);
    for (const on of ['yes', 'On', '1', 1, 2.5, true, null]) expect(fields(e(on))['enabled'], String(on)).toBeUndefined();
    expect(e('no').warnings).toEqual([expect.objectContaining({ key: 'enabled', message: 'enabled is the text "no", which Hermes reads as false; written as enabled = false' })]);
    const unsure = e('maybe');
    expect(fields(unsure)['enabled']).toBeUndefined();
    expect(unsure.warnings).toEqual([expect.objectContaining({ key: 'enabled', message: 'enabled is the string "maybe", neither true nor false; Hermes then runs the server, so it is written enabled; write enabled: true or false' })]);
    expect(fields(e(['x']))['enabled']).toBeUndefined();
  });

  it("writes servers disabled when Hermes' mcp.client or mcp.stdio_servers switch is off (Hermes then starts none of them)", () => {
    expect(hermesMcpSwitches({})).toEqual({ client: true, stdioServers: true });
    expect(hermesMcpSwitches({ mcp: { client: false, stdio_servers: 'yes' } })).toEqual({ client: false, stdioServers: true });
    expect(hermesMcpSwitches({ mcp: { stdio_servers: 'off' } })).toEqual({ client: true, stdioServers: false });
    expect(hermesMcpSwitches({ mcp: { client: null, stdio_servers: 0 } })).toEqual({ client: true, stdioServers: false });
    const noStdio = { ...src, switches: { client: true, stdioServers: false } };
    const stdio = translateServer('s', { command: 'x', tools: { include: ['a'] } }, noStdio);
    expect(stdio.ok && stdio.entry.fields.map(([k]) => k)).toEqual(['command', 'env_vars', 'startup_timeout_sec', 'tool_timeout_sec', 'enabled', 'enabled_tools']);
    expect(fields(stdio)['enabled']).toBe(false);
    expect(stdio.warnings).toEqual([expect.objectContaining({ message: "written disabled: Hermes' mcp.stdio_servers is off, so Hermes starts no stdio MCP server; turn it on and migrate again to enable it" })]);
    expect(fields(translateServer('h', { url: 'https://x.example/mcp' }, noStdio))['enabled']).toBeUndefined();
    const noClient = { ...src, switches: { client: false, stdioServers: true } };
    expect(fields(translateServer('h', { url: 'https://x.example/mcp' }, noClient))['enabled']).toBe(false);
    // Already disabled: no second warning.
    expect(translateServer('s', { command: 'x', enabled: false }, noClient).warnings).toEqual([]);
  });

  it('omits enabled when true, and never emits type or transport', () => {
    const f = fields(one({ url: 'https://x.example/mcp', enabled: true, transport: 'http', type: 'http' }));
    expect(f).toEqual({ url: 'https://x.example/mcp', ...STARTUP });
  });

  it('maps url/headers to streamable HTTP keys, with placeholders turned into env references', () => {
    const t = one({
      url: 'https://api.example/mcp',
      headers: { Authorization: 'Bearer ${TOKEN}', 'X-Key': '${env:XKEY}', 'X-Client': 'hermes' },
    });
    expect(fields(t)).toEqual({
      url: 'https://api.example/mcp',
      bearer_token_env_var: 'TOKEN',
      http_headers: { 'X-Client': 'hermes' },
      env_http_headers: { 'X-Key': 'XKEY' },
      ...STARTUP,
    });
  });

  it('turns env K: ${K} into env_vars and never writes a placeholder literally', () => {
    const t = one({ command: 'x', env: { GH: '${GH}', B: '${env:B}', C: '${OTHER}', D: 'pre-${D}', E: 'lit' } });
    expect(fields(t)).toEqual({ command: 'x', env: { E: 'lit' }, env_vars: ['GH', 'B', ...HERMES_FORWARDED_ENV], ...STARTUP });
    const msgs = t.warnings.map((w) => w.key);
    expect(msgs).toEqual(['env.C', 'env.D']);
    expect(t.warnings[0]!.message).toMatch(/own name/);
    expect(JSON.stringify(t)).not.toMatch(/"\$\{OTHER\}"|pre-\$\{D\}"/);
  });

  it('skips inexpressible header placeholders with a warning saying how to fix it', () => {
    const t = one({ url: 'https://x.example', headers: { Authorization: 'Token ${T}' } });
    expect(fields(t)).toEqual({ url: 'https://x.example', ...STARTUP });
    expect(t.warnings[0]).toMatchObject({ server: 's', key: 'headers.Authorization' });
    expect(t.warnings[0]!.message).toMatch(/export the whole value/);
  });

  it('prefers stdio when both command and url are set, with a warning', () => {
    const t = one({ command: 'x', url: 'https://x.example', headers: { A: 'b' } });
    expect(fields(t)).toEqual({ command: 'x', ...FORWARDED, ...STARTUP });
    expect(t.warnings.map((w) => w.key)).toEqual(['url', 'headers']);
  });

  it('writes transport: sse as a URL server with a note', () => {
    const t = one({ url: 'https://x.example/sse', transport: 'sse' });
    expect(fields(t)).toEqual({ url: 'https://x.example/sse', ...STARTUP });
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toMatchObject({ key: 'transport' });
  });

  it('drops keys with no Codex equivalent with one warning each; description silently', () => {
    const t = one({ command: 'x', description: 'd', sampling: {}, auth: 'oauth', ssl_verify: false, keepalive_interval: 5, fancy: 1 });
    expect(t.warnings.map((w) => w.key)).toEqual(['sampling', 'auth', 'ssl_verify', 'keepalive_interval', 'fancy']);
    expect(t.warnings.find((w) => w.key === 'auth')!.message).toMatch(/codex mcp login/);
  });

  it('reads args given as one string as Hermes does (a JSON or Python list, else a command line), never character by character, and says so', () => {
    const shell = one({ command: 'npx', args: "-y 'pkg with spaces'" });
    expect(shell).toMatchObject({ ok: true });
    expect(shell.ok && shell.entry.fields).toContainEqual(['args', ['-y', 'pkg with spaces']]);
    expect(shell.warnings).toEqual([expect.objectContaining({ key: 'args', message: expect.stringMatching(/^args is one string; split like a shell command line, as Hermes does, it is \["-y","pkg with spaces"\]/) })]);
    const json = one({ command: 'npx', args: '["-y", "@modelcontextprotocol/server-github"]' });
    expect(json.ok && json.entry.fields).toContainEqual(['args', ['-y', '@modelcontextprotocol/server-github']]);
    expect(json.warnings[0]!.message).toMatch(/decoded as a JSON list/);
    const python = one({ command: 'npx', args: "['-y', 'pkg']" });
    expect(python.ok && python.entry.fields).toContainEqual(['args', ['-y', 'pkg']]);
    // A placeholder is still refused in a string's words.
    expect(one({ command: 'npx', args: '--token ${TOKEN}' })).toMatchObject({ ok: false, reason: expect.stringMatching(/args\[1\] contains \$\{TOKEN\}/) });
  });

  it("expands ~ in a stdio command as Hermes does (codex runs it as written), and refuses ~ where neither expands it", () => {
    const home = (cfg: unknown) => translateServer('s', cfg, { ...src, home: '/home/me' });
    const t = home({ command: '~/bin/mcp', args: ['~/data'] });
    expect(fields(t)).toMatchObject({ command: '/home/me/bin/mcp', args: ['~/data'] }); // args stay as Hermes passes them
    expect(t.warnings).toEqual([expect.objectContaining({ key: 'command', message: 'command ~/bin/mcp is written as /home/me/bin/mcp: Hermes expands ~ when it starts the server, codex does not' })]);
    expect(fields(home({ command: '~' }))).toMatchObject({ command: '/home/me' });
    expect(home({ command: '~other/bin/mcp' })).toMatchObject({ ok: false, reason: expect.stringMatching(/^command ~other\/bin\/mcp starts with ~, which Hermes expands and codex does not; write the full path$/) });
    expect(one({ command: '~/bin/mcp' })).toMatchObject({ ok: false }); // no home known: not guessed
    expect(home({ command: 'node', cwd: '~/work' })).toMatchObject({ ok: false, reason: expect.stringMatching(/^cwd ~\/work starts with ~, which neither Hermes nor codex expands in cwd/) });
  });

  it("resolves Hermes' context variables (${userHome}, ${pathSeparator}, ${/}) and fails ${workspaceFolder}, which a codex config cannot name", () => {
    const home = (cfg: unknown) => translateServer('s', cfg, { ...src, home: '/home/me' });
    const t = home({ command: 'node', args: ['${userHome}${/}data', '--sep=${ pathSeparator }'], env: { DIR: '${userHome}', TOKEN: '${TOKEN}' } });
    expect(fields(t)).toMatchObject({ args: ['/home/me/data', '--sep=/'], env: { DIR: '/home/me' }, env_vars: ['TOKEN', ...HERMES_FORWARDED_ENV] });
    expect(t.warnings).toEqual([expect.objectContaining({ key: null, message: '${userHome}, ${/}, ${pathSeparator} written as Hermes resolves them (/home/me): codex expands no variables' })]);
    for (const v of ['${workspaceFolder}', '${workspaceFolderBasename}']) {
      expect(home({ command: 'node', args: [`${v}/x`] })).toMatchObject({ ok: false, reason: `args[0] uses ${v}, the Hermes session's workspace, which a codex config cannot name; write the path out in full` });
    }
    // Without a known home, ${userHome} stays a placeholder, which args refuse as before.
    expect(one({ command: 'node', args: ['${userHome}/x'] })).toMatchObject({ ok: false, reason: expect.stringMatching(/args\[0\] contains \$\{userHome\}/) });
  });

  it('fails a name codex never starts, and warns about one only codex 0.152 and newer start (codex/server-names.ts)', () => {
    const t = one({ command: 'x' }, 'my.server');
    expect(t.ok).toBe(true);
    expect(t.warnings[0]!.message).toMatch(/^name "my\.server" has characters outside \[A-Za-z0-9_-\]: codex 0\.152\.0 and newer start it and offer its tools as mcp__my_server, an older codex never starts it/);
    expect(one({ command: 'x' }, 'x:y@z/w').warnings[0]!.message).toContain('mcp__x_y_z_w');
    expect(one({ command: 'x' }, 'ok-name_1').warnings).toEqual([]);
    for (const name of ['a b', 'café', 'tab\there', 'semi;colon']) {
      const bad = one({ command: 'x' }, name);
      expect(bad, name).toMatchObject({ ok: false, reason: expect.stringMatching(/^codex starts no MCP server named .* \(a name may hold letters, digits, _ and -, and from codex 0\.152 also : @ \/ \.\).*; rename the server in Hermes' config\.yaml$/) });
    }
  });

  it.each([
    ['a non-mapping server', 'npx server', /must be a mapping/],
    ['args as one string Hermes could not read either (an open quote)', { command: 'x', args: "--name 'it" }, /^args is one string that hermes-codex cannot read exactly as Hermes does \(as a shell command line: No closing quotation\).*; write args as a YAML list/],
    ['args as a string that decodes to no list', { command: 'x', args: '{"a": 1}' }, /decodes to something other than a list/],
    ['args with a nested list', { command: 'x', args: [['a']] }, /args\[0\] must be a string/],
    ['a non-numeric timeout', { command: 'x', timeout: 'soon' }, /timeout must be a positive number/],
    ['a negative connect_timeout', { command: 'x', connect_timeout: -1 }, /connect_timeout must be a positive/],
    ['neither command nor url', { description: 'x' }, /neither a command.*nor a url/],
    ['a placeholder in args', { command: 'x', args: ['--t', '${TOKEN}'] }, /args\[1\] contains \$\{TOKEN\}.*; move a secret into env/],
    ['a placeholder in command', { command: '${HOME}/bin/srv' }, /command contains \$\{HOME\}.*; write the path out in full/],
    ['a placeholder in cwd', { command: 'x', cwd: '${PROJECT}' }, /cwd contains \$\{PROJECT\}.*; write the path out in full/],
    ['a placeholder in url', { url: 'https://x.example/${PART}/mcp' }, /url contains \$\{PART\}.*; write the URL out in full; a token belongs in headers/],
    ['an invalid url', { url: 'not a url' }, /not a valid URL/],
    ['a non-http url', { url: 'file:///etc/passwd' }, /http or https/],
    ['env as a list', { command: 'x', env: ['A=1'] }, /env must be a mapping/],
    ['tools as a list', { command: 'x', tools: ['a'] }, /tools must be a mapping/],
    ['a command that is not a string', { command: ['npx'] }, /command must be a string/],
  ])('fails only the server for %s', (_label, cfg, reason) => {
    const t = one(cfg);
    expect(t.ok).toBe(false);
    expect(!t.ok && t.reason).toMatch(reason);
  });

  it('names the file and line of the bad value', () => {
    const h = hermesYaml('mcp_servers:\n  ok:\n    command: x\n  bad:\n    command: x\n    timeout: soon\n');
    const [ok, bad] = translateServers((h.data as { mcp_servers: unknown }).mcp_servers, { file: h.path, lineOf: h.lineOf });
    expect(ok!.ok).toBe(true);
    expect(!bad!.ok && bad!.reason).toContain('/h/config.yaml:6');
  });
});

describe('translateServers', () => {
  it('treats a missing or null mcp_servers as no servers', () => {
    expect(translateServers(undefined, src)).toEqual([]);
    expect(translateServers(null, src)).toEqual([]);
  });

  it('rejects a non-mapping mcp_servers as a whole-run input error', () => {
    expect(() => translateServers(['a'], src)).toThrow(ConfigShapeError);
  });

  it('warns when YAML 1.1 gave a server name a type, and only then', () => {
    const h = hermesYaml('mcp_servers:\n  off:\n    command: a\n  "no":\n    command: b\n  0755:\n    command: c\n  1password:\n    command: d\n  github:\n    command: e\n');
    const asked: string[] = [];
    const ctx = {
      file: h.path,
      lineOf: h.lineOf,
      keySourceOf: (p: readonly (string | number)[]) => {
        asked.push(String(p[1]));
        return h.keySourceOf(p);
      },
    };
    const ts = translateServers((h.data as { mcp_servers: unknown }).mcp_servers, ctx);
    // JavaScript puts integer-like keys first.
    expect(ts.map((t) => t.name)).toEqual(['493', 'false', 'no', '1password', 'github']);
    const named = (n: string) => ts.find((t) => t.name === n)!.warnings.map((w) => w.message);
    expect(named('false')).toEqual(['name: `off` is not text in YAML 1.1, which Hermes reads config.yaml as, so this server is named "false" (/h/config.yaml:3); quote the key ("off":) to keep the name as typed']);
    expect(named('493')).toEqual([expect.stringMatching(/^name: `0755` is not text in YAML 1\.1, .* named "493"/)]);
    for (const n of ['no', '1password', 'github']) expect(named(n), n).toEqual([]);
    // Only names a typed key can produce are looked up (a lookup composes the document with positions).
    expect(asked).toEqual(['493', 'false', '1password']);
  });

  it('resolves YAML anchors, aliases and merge keys', () => {
    const h = hermesYaml('base: &b\n  command: npx\n  timeout: 5\nmcp_servers:\n  a:\n    <<: *b\n    args: [x]\n  b: *b\n');
    const ts = translateServers((h.data as { mcp_servers: unknown }).mcp_servers, { file: h.path, lineOf: h.lineOf });
    expect(ts.map(fields)).toEqual([
      { command: 'npx', args: ['x'], ...FORWARDED, ...STARTUP, tool_timeout_sec: { float: 5 } },
      { command: 'npx', ...FORWARDED, ...STARTUP, tool_timeout_sec: { float: 5 } },
    ]);
  });
});

describe("Hermes' behaviour kept under codex (config/hermes-behaviour.ts)", () => {
  const timeouts = (cfg: Record<string, unknown>, toolCall?: ReturnType<typeof hermesToolCallTimeout>) => {
    const t = translateServer('s', { command: 'x', ...cfg }, toolCall ? { ...src, toolCallTimeout: toolCall } : src);
    const f = fields(t);
    return { startup: f['startup_timeout_sec'], tool: f['tool_timeout_sec'], behaviour: t.ok ? t.entry.fromHermesBehaviour : undefined };
  };

  it("start-up: the server's connect_timeout, else Hermes' 60 s default, written because codex's own is 30 s", () => {
    expect(timeouts({ connect_timeout: 90 })).toMatchObject({ startup: { float: 90 } });
    expect(timeouts({ connect_timeout: 30 })).toMatchObject({ startup: { float: 30 } }); // given: written as given
    expect(timeouts({})).toMatchObject({ startup: { float: 60 }, behaviour: expect.arrayContaining(['startup_timeout_sec']) });
    expect(timeouts({ connect_timeout: 90 }).behaviour).not.toContain('startup_timeout_sec');
  });

  it("tool calls: the server's timeout, else timeouts.mcp.tool_call, else Hermes' 300 s default, always written (codex's own is 120 s before 0.150)", () => {
    const global = (v: unknown) => hermesToolCallTimeout({ timeouts: { mcp: { tool_call: v } } });
    // server > global > default
    expect(timeouts({ timeout: 45 }, global(600))).toMatchObject({ tool: { float: 45 } });
    expect(timeouts({}, global(600))).toMatchObject({ tool: { float: 600 }, behaviour: expect.arrayContaining(['tool_timeout_sec']) });
    expect(timeouts({}, global('20'))).toMatchObject({ tool: { float: 20 } });
    expect(timeouts({})).toMatchObject({ tool: { float: 300 }, behaviour: expect.arrayContaining(['tool_timeout_sec']) });
    expect(timeouts({}, global(300))).toMatchObject({ tool: { float: 300 } });
    expect(timeouts({ timeout: 300 }).behaviour).not.toContain('tool_timeout_sec');
  });

  it('reads timeouts.mcp.tool_call as Hermes resolves it: booleans, text and NaN ignored, zero or less is the default, capped at a year', () => {
    const g = (v: unknown) => hermesToolCallTimeout({ timeouts: { mcp: { tool_call: v } } });
    expect(hermesToolCallTimeout({})).toEqual({ seconds: 300, from: 'default' });
    expect(hermesToolCallTimeout({ timeouts: 'x' })).toEqual({ seconds: 300, from: 'default' });
    expect(g(120)).toEqual({ seconds: 120, from: 'timeouts.mcp.tool_call' });
    expect(g(' 7.5 ')).toEqual({ seconds: 7.5, from: 'timeouts.mcp.tool_call' });
    expect(g(1e12)).toEqual({ seconds: 31_536_000, from: 'timeouts.mcp.tool_call' });
    expect(g(true)).toMatchObject({ seconds: 300, from: 'default', ignored: expect.stringMatching(/not a number of seconds/) });
    expect(g('soon')).toMatchObject({ seconds: 300, ignored: expect.stringMatching(/"soon"/) });
    expect(g(0)).toMatchObject({ seconds: 300, ignored: expect.stringMatching(/no limit/) });
    expect(g(-5)).toMatchObject({ seconds: 300, ignored: expect.stringMatching(/no limit/) });
  });

  it('forwards the variables Hermes hands stdio servers and codex does not, by name, after the own ones and never twice', () => {
    const t = one({ command: 'x', env: { XDG_CONFIG_HOME: '/mine', TOKEN: '${TOKEN}', HERMES_KANBAN_DB: '${HERMES_KANBAN_DB}' } });
    const f = fields(t);
    expect(f['env']).toEqual({ XDG_CONFIG_HOME: '/mine' });
    expect(f['env_vars']).toEqual(['TOKEN', 'HERMES_KANBAN_DB', ...HERMES_FORWARDED_ENV.filter((n) => n !== 'XDG_CONFIG_HOME' && n !== 'HERMES_KANBAN_DB')]);
    expect(HERMES_FORWARDED_ENV).toEqual(expect.arrayContaining(['XDG_CONFIG_HOME', 'XDG_RUNTIME_DIR', 'HERMES_KANBAN_DB', 'HERMES_KANBAN_BOARD']));
    // What codex already hands every server is not listed.
    for (const n of ['HOME', 'PATH', 'USER', 'LANG', 'LC_ALL', 'TERM', 'SHELL', 'TMPDIR']) expect(HERMES_FORWARDED_ENV).not.toContain(n);
    // A URL server has no environment.
    expect(fields(one({ url: 'https://x.example/mcp' }))['env_vars']).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TurnProjector, sortedJson, toolCallId, truncateOutput, MAX_TOOL_OUTPUT_CHARS } from '../../src/runtime/projector.js';
import { approvalHandler, type ApprovalRequest } from '../../src/runtime/approvals.js';
import { compareVersions, judgeVersion, parseCodexVersion, TESTED_CODEX_VERSION, checkCodexVersion } from '../../src/runtime/version.js';
import { CodexVersionError, JsonRpcError } from '../../src/runtime/errors.js';
import { LineRing } from '../../src/runtime/ring-buffer.js';
import { repoRoot } from '../helpers/codex.js';

describe('TurnProjector', () => {
  const items = [
    { type: 'userMessage', id: 'u1', content: [{ type: 'text', text: 'do it' }, { type: 'localImage', path: '/x.png' }] },
    { type: 'reasoning', id: 'r1', summary: ['thinking about it'], content: [] },
    { type: 'commandExecution', id: 'call_1', command: 'ls', cwd: '/w', status: 'completed', exitCode: 2, aggregatedOutput: 'oops' },
    { type: 'fileChange', id: 'fc1', status: 'completed', changes: [{ path: '/w/a.txt', kind: { type: 'add' }, diff: '+x' }] },
    { type: 'mcpToolCall', id: 'm1', server: 'github', tool: 'get_issue', arguments: { z: 1, a: { d: 2, c: 3 } }, result: { content: [{ type: 'text', text: 'issue body' }] }, error: null },
    { type: 'dynamicToolCall', id: 'd1', namespace: 'hermes', tool: 'memory', arguments: {}, contentItems: [{ type: 'inputText', text: 'saved' }], success: true },
    { type: 'webSearch', id: 'w1', query: 'x' },
    { type: 'agentMessage', id: 'a1', text: 'first' },
    { type: 'agentMessage', id: 'a2', text: 'final answer' },
  ];

  it('projects each item type into Hermes messages', () => {
    const p = new TurnProjector();
    for (const i of items) p.add(i);
    const m = p.messages();
    expect(m[0]).toEqual({ role: 'user', content: 'do it\n[localImage]' });
    expect(m[1]).toMatchObject({ role: 'assistant', reasoning: 'thinking about it', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'exec_command' } }] });
    expect(m[2]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '[exit 2] oops' });
    expect(m[3]!.tool_calls![0]!.function).toEqual({ name: 'apply_patch', arguments: '{"changes":[{"kind":"add","path":"/w/a.txt"}]}' });
    expect(m[4]).toMatchObject({ role: 'tool', content: 'applied 1 change(s)' });
    expect(m[5]!.tool_calls![0]!.function).toEqual({ name: 'mcp.github.get_issue', arguments: '{"a":{"c":3,"d":2},"z":1}' });
    expect(m[6]).toMatchObject({ role: 'tool', content: 'issue body' });
    expect(m[7]!.tool_calls![0]!.function.name).toBe('hermes.memory');
    expect(m[8]).toMatchObject({ role: 'tool', content: 'saved' });
    expect(m[9]!.tool_calls![0]!.function).toEqual({ name: 'web_search', arguments: '{"query":"x"}' });
    expect(m[10]).toEqual({ role: 'tool', tool_call_id: 'call_w1', content: '' });
    expect(m.filter((x) => x.tool_calls).length).toBe(5);
    expect(p.toolIterations).toBe(5);
    expect(p.finalText).toBe('final answer');
  });

  it('keeps plans and unknown items, marks failed MCP calls, and lets no note take the reasoning meant for the reply', () => {
    const p = new TurnProjector();
    p.add({ type: 'reasoning', id: 'r', summary: ['why'], content: [] });
    p.add({ type: 'contextCompaction', id: 'cc' });
    p.add({ type: 'plan', id: 'p', text: '1. read\n2. write' });
    p.add({ type: 'futureThing', id: 'f', detail: { a: 1 } });
    p.add({ type: 'mcpToolCall', id: 'm', server: 's', tool: 't', status: 'failed', arguments: {}, result: null, error: { message: 'boom' } });
    p.add({ type: 'mcpToolCall', id: 'n', server: 's', tool: 't', status: 'completed', arguments: {}, result: { content: [{ type: 'text', text: 'bad input' }], isError: true }, error: null });
    p.add({ type: 'agentMessage', id: 'a', text: 'answer' });
    const m = p.messages();
    expect(m[0]).toEqual({ role: 'assistant', content: '1. read\n2. write' });
    expect(m[1]).toEqual({ role: 'assistant', content: '[codex futureThing item f] {"detail":{"a":1}}' });
    // The reasoning goes with the first message the model produced: the failed tool call here.
    expect(m[2]).toMatchObject({ reasoning: 'why', tool_calls: [{ function: { name: 'mcp.s.t' } }] });
    expect(m[3]).toMatchObject({ role: 'tool', content: 'error: boom' });
    expect(m[5]).toMatchObject({ role: 'tool', content: 'error: bad input' });
    expect(m[6]).toEqual({ role: 'assistant', content: 'answer' });
  });

  it("projects codex 0.171's shapes as the older ones: moderation display modes on an answer, environmentId on an MCP call", () => {
    const project = (extra: { agent?: object; mcp?: object }) => {
      const p = new TurnProjector();
      p.add({ type: 'mcpToolCall', id: 'm1', server: 'docs', tool: 'search', arguments: { q: 'x' }, result: { content: [{ type: 'text', text: 'found' }] }, error: null, status: 'completed', ...extra.mcp });
      p.add({ type: 'agentMessage', id: 'a1', text: 'the answer', phase: null, ...extra.agent });
      return { messages: p.messages(), finalText: p.finalText };
    };
    const before = project({ agent: { moderation: { moderated: false, display: { action: 'show', blockType: null, cyberTrustedAccess: null, checkTrustedContacts: null } } } }); // 0.170's shape
    for (const display of [
      { mode: 'show', version: 1, trustedContacts: {} },
      { mode: 'hide', version: 1, replacement: { kind: 'wellbeingPromptHelpline' } },
      { mode: 'block', version: 1, reason: { kind: 'cyber', trustedAccess: false } },
      { mode: 'some-future-mode', version: 2 },
      null,
    ]) {
      expect(project({ agent: { moderation: { moderated: display !== null, display } }, mcp: { environmentId: 'local' } }), JSON.stringify(display)).toEqual(before);
    }
    expect(before.finalText).toBe('the answer');
    expect(before.messages[0]!.tool_calls![0]!.function.name).toBe('mcp.docs.search');
  });

  it('is deterministic: replaying the same items gives identical messages', () => {
    const a = new TurnProjector();
    const b = new TurnProjector();
    for (const i of items) a.add(i);
    for (const i of structuredClone(items)) b.add(i);
    expect(JSON.stringify(a.messages())).toBe(JSON.stringify(b.messages()));
  });

  it('truncates long outputs with a marker, keeping head and tail', () => {
    const long = 'a'.repeat(10_000) + 'b'.repeat(10_000);
    const t = truncateOutput(long);
    expect(t.length).toBeLessThanOrEqual(MAX_TOOL_OUTPUT_CHARS);
    expect(t.startsWith('aaa')).toBe(true);
    expect(t.endsWith('bbb')).toBe(true);
    expect(t).toMatch(/…\[truncated \d+ characters\]…/);
    expect(truncateOutput('short')).toBe('short');
  });

  it('derives safe tool-call ids and sorted argument JSON', () => {
    expect(toolCallId('call_abc')).toBe('call_abc');
    expect(toolCallId('019a-x')).toBe('call_019a-x');
    expect(toolCallId('weird id/with spaces')).toMatch(/^call_[0-9a-f]{32}$/);
    expect(toolCallId('weird id/with spaces')).toBe(toolCallId('weird id/with spaces'));
    expect(sortedJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });

  it('marks declined commands and ignores malformed items', () => {
    const p = new TurnProjector();
    p.add(null);
    p.add('nope');
    p.add({ type: 'commandExecution', id: 'c', command: 'rm -rf /', cwd: '/', status: 'declined', exitCode: null, aggregatedOutput: null });
    expect(p.messages()[1]!.content).toMatch(/^declined/);
    expect(p.finalText).toBe('');
  });
});

describe('approvalHandler', () => {
  const cmd = { id: 1, method: 'item/commandExecution/requestApproval', params: { threadId: 't', turnId: 'u', itemId: 'i', command: 'ls', cwd: '/w', reason: 'why' } };
  const file = { id: 2, method: 'item/fileChange/requestApproval', params: { threadId: 't', turnId: 'u', itemId: 'fc', reason: null, grantRoot: null } };

  it('maps never/once/session and declines without a policy', async () => {
    expect(await approvalHandler(undefined, new Map())(cmd)).toEqual({ decision: 'decline' });
    expect(await approvalHandler('never', new Map())(cmd)).toEqual({ decision: 'decline' });
    expect(await approvalHandler('once', new Map())(cmd)).toEqual({ decision: 'accept' });
    expect(await approvalHandler('session', new Map())(file)).toEqual({ decision: 'acceptForSession' });
  });

  it('gives a callback the command, or the cached file changes, and declines when it throws', async () => {
    const seen: ApprovalRequest[] = [];
    const h = approvalHandler((r) => (seen.push(r), 'accept'), new Map([['fc', [{ path: '/w/a', kind: 'add' }]]]));
    await h(cmd);
    await h(file);
    expect(seen[0]).toMatchObject({ kind: 'command', command: 'ls', cwd: '/w', reason: 'why' });
    expect(seen[1]).toMatchObject({ kind: 'fileChange', changes: [{ path: '/w/a', kind: 'add' }] });
    const throwing = approvalHandler(() => {
      throw new Error('prompt failed');
    }, new Map());
    expect(await throwing(cmd)).toEqual({ decision: 'decline' });
  });

  it('grants no extra permissions, trusts elicitations only from hermes-tools, refuses the rest', async () => {
    const h = approvalHandler('once', new Map());
    expect(await h({ id: 3, method: 'item/permissions/requestApproval', params: {} })).toEqual({ permissions: {}, scope: 'turn' });
    expect(await h({ id: 4, method: 'mcpServer/elicitation/request', params: { serverName: 'hermes-tools', mode: 'form' } })).toMatchObject({ action: 'accept' });
    expect(await h({ id: 5, method: 'mcpServer/elicitation/request', params: { serverName: 'github', mode: 'form' } })).toMatchObject({ action: 'decline' });
    await expect(h({ id: 6, method: 'item/tool/call', params: {} })).rejects.toBeInstanceOf(JsonRpcError);
  });
});

describe('codex version', () => {
  it('parses codex-cli output and compares versions', () => {
    expect(parseCodexVersion('codex-cli 0.169.0\n')?.version).toBe('0.169.0');
    expect(parseCodexVersion('codex-cli 1.2.3-alpha.1')?.version).toBe('1.2.3');
    expect(parseCodexVersion('garbage')).toBeNull();
    expect(compareVersions('0.125.0', '0.99.9')).toBe(1);
    expect(compareVersions('0.169.0', '0.169.0')).toBe(0);
  });

  it('fails below the supported floor 0.128.0 naming the version, and marks newer versions untested', () => {
    expect(() => judgeVersion('0.125.0', 'codex')).toThrow(CodexVersionError);
    expect(() => judgeVersion('0.125.0', 'codex')).toThrow(/codex 0\.125\.0 \(codex\) is too old: hermes-codex needs 0\.128\.0 or newer/);
    expect(judgeVersion('0.128.0', 'codex').status).toBe('ok');
    expect(judgeVersion('0.200.0', 'codex')).toMatchObject({ status: 'untested', warning: expect.stringMatching(/newer than the tested/) });
  });

  it('checks the real pinned binary, and explains a missing one', async () => {
    const run = (await import('../../src/core/process.js')).runCommand;
    const info = await checkCodexVersion(run, path.join(repoRoot, 'node_modules/.bin/codex'), process.env);
    expect(info).toEqual({ version: TESTED_CODEX_VERSION, status: 'ok' });
    await expect(checkCodexVersion(run, '/nonexistent/codex', process.env)).rejects.toThrow(/codex not found/);
  });

  it('keeps the tested version, the npm pin and the generated types in step', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(pkg.devDependencies['@openai/codex']).toBe(TESTED_CODEX_VERSION);
    expect(readFileSync(path.join(repoRoot, 'src/runtime/protocol/generated/CODEX_VERSION'), 'utf8').trim()).toBe(TESTED_CODEX_VERSION);
  });

  it('has committed protocol types identical to what the pinned codex generates', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gen-check-'));
    try {
      execFileSync(process.execPath, [path.join(repoRoot, 'scripts/gen-protocol.mjs'), '--check', dir], { stdio: 'ignore' });
      const committed = path.join(repoRoot, 'src/runtime/protocol/generated');
      const list = (d: string, base = d): string[] =>
        readdirSync(d).flatMap((n) => (statSync(path.join(d, n)).isDirectory() ? list(path.join(d, n), base) : [path.relative(base, path.join(d, n))]));
      const files = list(dir).sort();
      expect(files).toEqual(list(committed).sort());
      for (const f of files) expect(readFileSync(path.join(dir, f), 'utf8'), f).toBe(readFileSync(path.join(committed, f), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('LineRing', () => {
  it('keeps the last lines within the line and character caps', () => {
    const r = new LineRing(3, 100);
    for (let i = 0; i < 10; i++) r.push(`line ${i}`);
    expect(r.tail()).toBe('line 7\nline 8\nline 9');
    r.push('x'.repeat(500));
    expect(r.tail().length).toBeLessThanOrEqual(100);
    expect(r.size).toBe(1);
  });
});

describe('MCP elicitations', () => {
  const toolApproval = (persist: unknown = ['session', 'always']) => ({
    id: 1,
    method: 'mcpServer/elicitation/request',
    params: { threadId: 't', turnId: 'u', serverName: 'memory', mode: 'form', message: 'Allow the memory MCP server to run tool "delete_entities"?', requestedSchema: { type: 'object', properties: {} }, _meta: { codex_approval_kind: 'mcp_tool_call', persist, tool_name: 'delete_entities', tool_params: { entityNames: ['x'] }, tool_annotations: { destructiveHint: true } } },
  });
  const form = (extra: object = {}) => ({ id: 2, method: 'mcpServer/elicitation/request', params: { threadId: 't', turnId: null, serverName: 'other', mode: 'form', message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }, _meta: null, ...extra } });

  it('answers MCP tool approvals by policy, remembering for the session only when codex offers it', async () => {
    const { approvalHandler } = await import('../../src/runtime/approvals.js');
    const h = (p: Parameters<typeof approvalHandler>[0]) => approvalHandler(p, new Map());
    expect(await h('never')(toolApproval())).toEqual({ action: 'decline', content: null, _meta: null });
    expect(await h('once')(toolApproval())).toEqual({ action: 'accept', content: {}, _meta: null });
    expect(await h('session')(toolApproval())).toEqual({ action: 'accept', content: {}, _meta: { persist: 'session' } });
    expect(await h('session')(toolApproval(['always']))).toEqual({ action: 'accept', content: {}, _meta: null });
    expect(await h(() => 'cancel')(toolApproval())).toEqual({ action: 'cancel', content: null, _meta: null });
    expect(await h(() => { throw new Error('x'); })(toolApproval())).toEqual({ action: 'decline', content: null, _meta: null });
    expect(await h(undefined)(toolApproval())).toEqual({ action: 'decline', content: null, _meta: null });
  });

  it('declines real elicitations unless the consent callback accepts a complete form; url mode always', async () => {
    const { approvalHandler } = await import('../../src/runtime/approvals.js');
    const accept = approvalHandler('once', new Map(), () => ({ action: 'accept', content: { name: 'Ada' } }));
    const incomplete = approvalHandler('once', new Map(), () => ({ action: 'accept', content: {} }));
    const none = approvalHandler('once', new Map());
    expect(await none(form())).toEqual({ action: 'decline', content: null, _meta: null });
    expect(await accept(form())).toEqual({ action: 'accept', content: { name: 'Ada' }, _meta: null });
    expect(await incomplete(form())).toEqual({ action: 'decline', content: null, _meta: null });
    expect(await accept(form({ mode: 'url', url: 'https://x.example', elicitationId: 'e' }))).toEqual({ action: 'decline', content: null, _meta: null });
  });
});

describe('codex capabilities by version', () => {
  it('keeps docs/compatibility.md generated from the capability table (npm run gen:compat-doc)', async () => {
    const { compatibilityMarkdown } = await import('../../src/codex/capabilities.js');
    expect(readFileSync(path.join(repoRoot, 'docs/compatibility.md'), 'utf8')).toBe(compatibilityMarkdown());
  });

  it('answers by version, oldest facts first', async () => {
    const { capabilitiesOf } = await import('../../src/codex/capabilities.js');
    expect(capabilitiesOf('0.128.0')).toMatchObject({ builtinPermissionProfiles: true, strictAppServer: false, printStartupConfig: false, mcpStartupErrors: false });
    expect(capabilitiesOf('0.150.0')).toMatchObject({ strictAppServer: true, permissionProfileList: true, threadReadMethodNotFound: false, printStartupConfig: false });
    expect(capabilitiesOf('0.169.0')).toMatchObject({ printStartupConfig: true, mcpStartupErrors: true, threadReadMethodNotFound: true });
    expect(capabilitiesOf('0.200.0').printStartupConfig).toBe(true);
  });

  it('turns codex error output into a finding with the line and column when codex gives them', async () => {
    const { errorFinding } = await import('../../src/codex/loader.js');
    expect(errorFinding('Error: failed to load configuration\n\nCaused by:\n    0: /tmp/x/config.toml:2:1: url is not supported for stdio\n    1: url is not supported for stdio\n')).toEqual({ message: 'url is not supported for stdio', line: 2, column: 1 });
    expect(errorFinding('Error: failed to load bootstrap configuration\n\nCaused by:\n    url is not supported for stdio\n    in `mcp_servers.a`\n    \n\nStack backtrace:\n')).toEqual({ message: 'url is not supported for stdio in `mcp_servers.a`' });
  });
});

describe('what codex is given and what it prints', () => {
  it('codex gets a clean environment plus what config.toml names', async () => {
    const { codexChildEnv, variablesNamedIn } = await import('../../src/codex/child-env.js');
    const toml = '[model_providers.p]\nenv_key = "P_KEY"\n[mcp_servers.a]\ncommand = "x"\nenv_vars = ["HERMES_HOME", { name = "SPECIAL" }]\n[mcp_servers.b]\nurl = "https://b"\nbearer_token_env_var = "B_TOKEN"\nenv_http_headers = { "X-Key" = "X_KEY" }\n';
    expect(variablesNamedIn(toml).sort()).toEqual(['B_TOKEN', 'HERMES_HOME', 'P_KEY', 'SPECIAL', 'X_KEY']);
    const env = codexChildEnv({ PATH: '/bin', HOME: '/h', LC_ALL: 'C', CODEX_X: '1', GATEWAY_TOKEN: 'secret', MINE: 'v', OPENAI_API_KEY: 'k' }, undefined, ['MINE']);
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', LC_ALL: 'C', CODEX_X: '1', MINE: 'v', OPENAI_API_KEY: 'k' });
  });

  it('redacts secrets from what codex printed', async () => {
    const { redactSecrets } = await import('../../src/codex/child-env.js');
    const text = 'auth failed for key abcd1234efgh with Authorization: Bearer eyJhbGciOiJI.payload.sig and sk-proj-ABCDEFGHIJKLMNOP and ghp_0123456789abcdefghij';
    const out = redactSecrets(text, { MY_API_KEY: 'abcd1234efgh', SHORT_TOKEN: 'abc' });
    expect(out).not.toMatch(/abcd1234efgh|eyJhbGciOiJI|sk-proj-|ghp_0123/);
    expect(out).toContain('Bearer ***');
  });
});

describe('write errors', () => {
  it('a read-only CODEX_HOME names CODEX_HOME itself in the hint, not its parent', async () => {
    const { asWriteError } = await import('../../src/fs/filesystem.js');
    const eacces = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const err = await asWriteError('the lock file in', '/home/me/.codex', async () => Promise.reject(eacces), '/home/me/.codex').catch((e: Error & { remediation?: string }) => e);
    expect((err as { remediation?: string }).remediation).toMatch(/^Make \/home\/me\/\.codex writable/);
  });
});

describe('redaction keeps places', () => {
  it('does not blank out paths and sockets held by variables with secret-looking names', async () => {
    const { redactSecrets } = await import('../../src/codex/child-env.js');
    const env = { SSH_AUTH_SOCK: '/run/user/1000/ssh-agent.sock', KEYRING_DIR: 'relative-keyring-dir', API_TOKEN: 'tok-1234567890' };
    expect(redactSecrets('socket /run/user/1000/ssh-agent.sock dir relative-keyring-dir token tok-1234567890', env)).toBe('socket /run/user/1000/ssh-agent.sock dir relative-keyring-dir token ***');
  });
});

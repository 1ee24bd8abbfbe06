/**
 * A server that works under Hermes works under codex after migrate (docs/migrate.md,
 * "Behaviour kept from Hermes"), end to end with real codex releases, the mock model and
 * fixtures/mcp/behaviour-server.mjs (an SDK server that answers `initialize` late, a tool
 * that sleeps, a tool that reports its environment):
 * - a server whose first start takes 40 s (an `npx -y` download) starts: Hermes waits 60 s,
 *   codex by itself 30 s ("timed out after 30 seconds", measured);
 * - on the floor, where codex stops a tool call after 120 s by itself (measured), a 125 s
 *   call completes, as Hermes lets it run 300 s;
 * - the server sees the variables Hermes hands stdio servers (USER, TMPDIR, LC_ALL, XDG_*,
 *   HERMES_KANBAN_*) with the values of the environment codex runs in.
 * The tests of a file run concurrently: each waits on its server, not on the others.
 */
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'smol-toml';
import { cliBin, fixture, sandbox as baseSandbox } from '../helpers/codex.js';
import { installCodex } from '../helpers/codex-versions.js';
import { startMockResponses, mockProviderConfig, type MockReply } from '../../fixtures/mock-responses/server.mjs';
import { SUPPORTED_FLOOR, TESTED_CODEX_VERSION, codexDefaultToolTimeoutSec } from '../../src/codex/capabilities.js';

const bins = new Map<string, string>();
beforeAll(async () => {
  for (const v of [SUPPORTED_FLOOR, TESTED_CODEX_VERSION]) bins.set(v, await installCodex(v));
}, 600_000);

const server = fixture('mcp/behaviour-server.mjs');
const cli = (args: string[], env: Record<string, string>) => execa('node', [cliBin, ...args], { env, extendEnv: false, reject: false });

/**
 * Migrate a Hermes config with one `slow` server into a CODEX_HOME whose model is the mock
 * (answering `script`), then run one turn with that codex; returns the turn and what the
 * model got back from the tool call.
 */
async function migrateAndTurn(version: string, hermesServer: string, script: MockReply[], extraEnv: Record<string, string> = {}, turnArgs: string[] = []) {
  const b = baseSandbox();
  onTestFinished(b.cleanup);
  const env = { ...b.env, RUST_LOG: 'error', MOCK_API_KEY: 'x', ...extraEnv };
  const mock = await startMockResponses({ script });
  onTestFinished(() => mock.close());
  writeFileSync(path.join(b.hermesHome, 'config.yaml'), `mcp_servers:\n  slow:\n    command: node\n    args: [${JSON.stringify(server)}]\n${hermesServer}`);
  writeFileSync(path.join(b.codexHome, 'config.toml'), mockProviderConfig(mock.baseUrl));
  const m = await cli(['migrate', '--codex-bin', bins.get(version)!, '--no-hermes-tools', '--no-plugins', '--no-permissions'], env);
  expect(m.exitCode, String(m.stderr)).toBe(0);
  const entry = (parse(readFileSync(path.join(b.codexHome, 'config.toml'), 'utf8')) as { mcp_servers: Record<string, Record<string, unknown>> }).mcp_servers['slow']!;
  const turn = await cli(['turn', 'go', '--json', '--codex-bin', bins.get(version)!, '--cwd', b.root, ...turnArgs], env);
  // A tool's output reaches the model as text, or (newer codex) as a list of text parts.
  const text = (o: unknown) => (Array.isArray(o) ? o.map((p: { text?: string }) => p.text ?? '').join('\n') : String(o));
  const outputs = mock.requests.flatMap((r: { input?: { type: string; output?: unknown }[] }) => (r.input ?? []).filter((i) => i.type === 'function_call_output').map((i) => text(i.output)));
  return { entry, turn, outputs, offered: (mock.requests[0]?.tools ?? []) as { type: string; name: string }[] };
}

/** The tool namespace codex offers a server under (`mcp__<name>__` in 0.128, `mcp__<name>` from 0.150). */
const ns = (version: string, name: string) => (version === SUPPORTED_FLOOR ? `mcp__${name}__` : `mcp__${name}`);

describe.concurrent("Hermes' behaviour under codex after migrate", () => {
  it(`codex ${TESTED_CODEX_VERSION}: a server whose first start takes 40 s starts (Hermes waits 60 s; codex alone gives up after 30 s), and sees the environment Hermes gives it`, async () => {
    const hermesEnv = { USER: 'hermes-user', TMPDIR: '/tmp', LC_ALL: 'C.UTF-8', XDG_CONFIG_HOME: '/srv/xdg-config', HERMES_KANBAN_BOARD: 'board-7' };
    const names = Object.keys(hermesEnv);
    const r = await migrateAndTurn(
      TESTED_CODEX_VERSION,
      '    env:\n      SLOW_START_MS: "40000"\n',
      [{ toolCall: { namespace: ns(TESTED_CODEX_VERSION, 'slow'), name: 'getenv', arguments: { names } } }, { message: 'done' }],
      hermesEnv,
      ['--mcp-wait', '90', '--timeout', '150'],
    );
    expect(r.entry).toMatchObject({ startup_timeout_sec: 60, env_vars: expect.arrayContaining(['XDG_CONFIG_HOME', 'HERMES_KANBAN_BOARD']) });
    expect(r.turn.exitCode, String(r.turn.stderr)).toBe(0);
    expect(r.offered.some((t) => t.type === 'namespace' && t.name === ns(TESTED_CODEX_VERSION, 'slow'))).toBe(true);
    // What Hermes' _build_safe_env passes the server, with the same values.
    expect(r.outputs.join('\n')).toContain(Object.entries(hermesEnv).map(([k, v]) => `${k}=${v}`).join('\n'));
  }, 200_000);

  it(`codex ${SUPPORTED_FLOOR}: a tool call longer than this codex's own ${codexDefaultToolTimeoutSec(SUPPORTED_FLOOR)} s completes, as Hermes lets it run ${300} s`, async () => {
    const ms = (codexDefaultToolTimeoutSec(SUPPORTED_FLOOR) + 5) * 1000;
    const r = await migrateAndTurn(SUPPORTED_FLOOR, '', [{ toolCall: { namespace: ns(SUPPORTED_FLOOR, 'slow'), name: 'sleep', arguments: { ms } } }, { message: 'done' }], {}, ['--timeout', '300']);
    expect(r.entry).toMatchObject({ tool_timeout_sec: 300 });
    expect(r.turn.exitCode, String(r.turn.stderr)).toBe(0);
    expect(r.outputs).toEqual([expect.stringContaining(`slept ${ms}`)]);
  }, 400_000);
});

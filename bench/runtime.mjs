#!/usr/bin/env node
// Runtime benchmarks (imported by bench/run.mjs):
//  1. client + session + projector throughput in process: the recorded realistic turn
//     (fixtures/recorded/tool-turn.jsonl) replayed over an in-memory transport; target ≥ 100,000
//     notifications per second.
//  2. a full PONG turn through `hermes-codex turn --json` vs bench/raw-turn.mjs (the least a
//     JSON-lines client does), same codex, same mock model; target overhead ≤ 1.1×.
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { CodexAppServerClient } = await import(join(root, 'dist/runtime/client.js'));
const { CodexSession } = await import(join(root, 'dist/runtime/session.js'));
const { startMockResponses, mockProviderConfig } = await import(join(root, 'fixtures/mock-responses/server.mjs'));
const run = promisify(execFile);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** In-process app-server that answers thread/start and turn/start with the recorded ids, then replays the turn. */
function replayTransport(lines, repeatPerTurn) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const first = JSON.parse(lines.find((l) => l.includes('"turn/started"')));
  const threadId = first.params.threadId;
  const turnId = first.params.turn.id;
  const body = lines.filter((l) => !l.includes('"thread/started"'));
  const middle = body.filter((l) => !l.includes('"turn/completed"'));
  const done = body.find((l) => l.includes('"turn/completed"'));
  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  createInterface({ input: stdin }).on('line', (line) => {
    const m = JSON.parse(line);
    if (m.method === 'initialize') stdout.write(JSON.stringify({ id: m.id, result: { userAgent: 'replay', codexHome: '/', platformFamily: 'unix', platformOs: 'linux' } }) + '\n');
    else if (m.method === 'thread/start') stdout.write(JSON.stringify({ id: m.id, result: { thread: { id: threadId } } }) + '\n');
    else if (m.method === 'turn/start') {
      stdout.write(JSON.stringify({ id: m.id, result: { turn: { id: turnId, status: 'inProgress' } } }) + '\n');
      let chunk = '';
      for (let i = 0; i < repeatPerTurn; i++) chunk += middle.join('\n') + '\n';
      stdout.write(chunk + done + '\n');
    }
  });
  stdin.on('finish', () => resolveExit({ code: 0, signal: null }));
  return { transport: { stdin, stdout, stderr, exited, kill: () => resolveExit({ code: null, signal: 'SIGTERM' }) }, perTurn: middle.length * repeatPerTurn + 1 };
}

export async function throughput() {
  const lines = readFileSync(join(root, 'fixtures/recorded/tool-turn.jsonl'), 'utf8').trim().split('\n');
  const { transport, perTurn } = replayTransport(lines, 500);
  const client = await CodexAppServerClient.connect(transport, { codexBin: 'replay' });
  const session = new CodexSession(client);
  await session.startThread({ cwd: '/' });
  await session.runTurn('warm up');
  const turns = 10;
  const t0 = performance.now();
  let items = 0;
  for (let i = 0; i < turns; i++) items += (await session.runTurn('replay')).projectedMessages.length;
  const secs = (performance.now() - t0) / 1000;
  await client.close();
  return { notifications: perTurn * turns, perSecond: (perTurn * turns) / secs, messages: items };
}

export async function turnOverhead(runs = 7, baseEnv = process.env) {
  const mock = await startMockResponses({ script: () => ({ message: 'PONG' }) });
  const dir = mkdtempSync(join(tmpdir(), 'bench-turn-'));
  writeFileSync(join(dir, 'config.toml'), mockProviderConfig(mock.baseUrl));
  const env = { ...baseEnv, PATH: `${join(root, 'node_modules/.bin')}:${baseEnv.PATH}`, MOCK_API_KEY: 'x', NO_COLOR: '1' };
  // Both sides run the same native codex: hermes-codex resolves npm's wrapper to it, so the
  // baseline must too, or the comparison would credit us with skipping the wrapper.
  const { nativeBehindNpmWrapper } = await import(join(root, 'dist/codex/binary.js'));
  const wrapper = join(root, 'node_modules/.bin/codex');
  const bin = nativeBehindNpmWrapper(wrapper)?.native ?? wrapper;
  const time = async (file, args) => {
    const t0 = performance.now();
    await run(file, args, { env });
    return performance.now() - t0;
  };
  const cli = [join(root, 'dist/cli/bin.cjs'), 'turn', 'PONG?', '--json', '--codex-home', dir, '--cwd', dir];
  const raw = [join(root, 'bench/raw-turn.mjs'), bin, dir, dir];
  await time(process.execPath, raw);
  await time(process.execPath, cli);
  const rawMs = [];
  const cliMs = [];
  for (let i = 0; i < runs; i++) {
    rawMs.push(await time(process.execPath, raw));
    cliMs.push(await time(process.execPath, cli));
  }
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
  return { raw: median(rawMs), cli: median(cliMs) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await throughput());
  console.log(await turnOverhead());
}

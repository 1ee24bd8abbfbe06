#!/usr/bin/env node
// The baseline for the turn benchmark: the least a JSON-lines client can do for one PONG
// turn (spawn codex app-server, initialize, thread/start, turn/start, wait for
// turn/completed, end stdin). Usage: node raw-turn.mjs CODEX_BIN CODEX_HOME CWD
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const [bin, codexHome, cwd] = process.argv.slice(2);
const child = spawn(bin, ['app-server'], { env: { ...process.env, CODEX_HOME: codexHome, RUST_LOG: 'warn' }, stdio: ['pipe', 'pipe', 'ignore'] });
const send = (m) => child.stdin.write(JSON.stringify(m) + '\n');
createInterface({ input: child.stdout }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.id === 1) {
    send({ method: 'initialized' });
    send({ id: 2, method: 'thread/start', params: { cwd } });
  } else if (m.id === 2) send({ id: 3, method: 'turn/start', params: { threadId: m.result.thread.id, input: [{ type: 'text', text: 'PONG?', text_elements: [] }] } });
  else if (m.method === 'turn/completed') {
    process.stdout.write(JSON.stringify({ status: m.params.turn.status }) + '\n');
    child.stdin.end();
  }
});
send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'raw', title: null, version: '0' }, capabilities: null } });

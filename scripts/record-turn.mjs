#!/usr/bin/env node
// Record the notification stream of a realistic turn (user message, reasoning-free tool call
// with approval, command output, final answer, token usage) from the real pinned codex against
// the mock model, one JSON line per notification, into fixtures/recorded/tool-turn.jsonl.
// Re-run after moving the codex pin; the benchmark replays this file.
import { CodexAppServerClient } from '../dist/runtime/client.js';
import { CodexSession } from '../dist/runtime/session.js';
import { startMockResponses, mockProviderConfig } from '../fixtures/mock-responses/server.mjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mock = await startMockResponses({
  script: [
    { toolCall: { arguments: { cmd: 'ls -la && echo listed', sandbox_permissions: 'require_escalated', justification: 'list the files' } } },
    { message: 'The directory holds the files listed above.' },
  ],
});
const dir = mkdtempSync(join(tmpdir(), 'record-'));
writeFileSync(join(dir, 'config.toml'), mockProviderConfig(mock.baseUrl));
const client = await CodexAppServerClient.start({ codexBin: join(root, 'node_modules/.bin/codex'), codexHome: dir, env: { ...process.env, MOCK_API_KEY: 'x' } });
const lines = [];
client.onNotification((n) => lines.push(JSON.stringify(n)));
const session = new CodexSession(client, 'once');
await session.startThread({ cwd: dir });
const r = await session.runTurn('List the files here');
await client.close();
await mock.close();
rmSync(dir, { recursive: true, force: true });
writeFileSync(join(root, 'fixtures/recorded/tool-turn.jsonl'), lines.join('\n') + '\n');
console.log(`recorded ${lines.length} notifications (${r.status}, ${r.toolIterations} tool call)`);

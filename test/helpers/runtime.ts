/**
 * Real pinned codex + the mock Responses server, in a temporary CODEX_HOME,
 * for runtime tests. Nothing leaves 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMockResponses, mockProviderConfig, type MockReply, type MockResponses } from '../../fixtures/mock-responses/server.mjs';
import { CodexAppServerClient, type ClientOptions } from '../../src/runtime/client.js';
import { CodexSession } from '../../src/runtime/session.js';
import type { ApprovalPolicy } from '../../src/runtime/approvals.js';
import { codexBin, OFFLINE_ENV } from './codex.js';

export interface CodexWithMock {
  mock: MockResponses;
  codexHome: string;
  cwd: string;
  env: Record<string, string>;
  client: CodexAppServerClient;
  session: CodexSession;
  cleanup(): Promise<void>;
}

export async function codexHomeWithMock(script: MockReply[] | ((body: unknown, i: number) => MockReply), extraConfig = '') {
  const mock = await startMockResponses({ script });
  const root = mkdtempSync(path.join(os.tmpdir(), 'hermes-codex-rt-'));
  const codexHome = path.join(root, 'codex');
  const cwd = path.join(root, 'work');
  for (const d of [codexHome, cwd]) mkdirp(d);
  writeFileSync(path.join(codexHome, 'config.toml'), mockProviderConfig(mock.baseUrl, extraConfig));
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: path.join(root, 'home'),
    MOCK_API_KEY: 'test',
    RUST_LOG: 'warn',
    LANG: 'C.UTF-8',
    ...OFFLINE_ENV,
  };
  mkdirp(env['HOME']!);
  return { mock, root, codexHome, cwd, env };
}

export async function startCodexWithMock(
  script: MockReply[] | ((body: unknown, i: number) => MockReply),
  opts: { approvals?: ApprovalPolicy; client?: Partial<ClientOptions>; extraConfig?: string } = {},
): Promise<CodexWithMock> {
  const { mock, root, codexHome, cwd, env } = await codexHomeWithMock(script, opts.extraConfig);
  const client = await CodexAppServerClient.start({ codexBin, codexHome, env, cwd, ...opts.client });
  const session = new CodexSession(client, opts.approvals);
  await session.startThread({ cwd });
  return {
    mock,
    codexHome,
    cwd,
    env,
    client,
    session,
    cleanup: async () => {
      await client.close();
      await mock.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function mkdirp(d: string) {
  mkdirSync(d, { recursive: true });
}

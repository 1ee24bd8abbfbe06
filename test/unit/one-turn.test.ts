/**
 * runOneTurn()'s version gate, with a fake codex (a shell script that answers
 * `--version` and otherwise runs the fake app-server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TESTED_CODEX_VERSION } from '../../src/codex/capabilities.js';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runOneTurn } from '../../src/runtime/one-turn.js';
import { configLoadFailure, JsonRpcError } from '../../src/runtime/errors.js';
import { ConfigSyntaxError } from '../../src/core/errors.js';
import { CodexVersionError } from '../../src/runtime/errors.js';
import { versionFromUserAgent } from '../../src/runtime/version.js';
import { repoRoot } from '../helpers/codex.js';

let dir: string;
let codexHome: string;
const fakeCodex = (name: string, versionLine: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "${versionLine}"; exit 0; fi\nexec "${process.execPath}" "${path.join(repoRoot, 'fixtures/fake-app-server/server.mjs')}"\n`);
  chmodSync(p, 0o755);
  return p;
};
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'one-turn-'));
  codexHome = path.join(dir, 'home');
  mkdirSync(codexHome);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('versionFromUserAgent', () => {
  it('reads the codex version after the client name', () => {
    expect(versionFromUserAgent('hermes-codex/0.169.0 (Debian 12.0.0; x86_64) xterm (hermes-codex; 0.1.0)')).toBe('0.169.0');
    expect(versionFromUserAgent('probe/1.2.3-beta.1 (x)')).toBe('1.2.3');
    expect(versionFromUserAgent('no version here')).toBeNull();
    expect(versionFromUserAgent(undefined)).toBeNull();
  });
});

describe('runOneTurn version gate', () => {
  const base = () => ({ prompt: 'hi', codexHome, env: { ...process.env, PATH: process.env['PATH'] ?? '' }, cwd: dir });

  it('refuses a codex whose handshake reports a version below 0.128.0, with the upgrade hint', async () => {
    const bin = fakeCodex('old-codex', 'codex-cli 0.100.0');
    const err = await runOneTurn({ ...base(), codexBin: bin, env: { ...base().env, CODEX_FAKE_USER_AGENT: 'hermes-codex/0.100.0 (fake)' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodexVersionError);
    expect((err as CodexVersionError).message).toMatch(/codex 0\.100\.0 .* is too old/);
    expect((err as CodexVersionError).remediation).toMatch(new RegExp(`npm i -g @openai/codex@${TESTED_CODEX_VERSION.replace(/\./g, '\\.')}`));
  });

  it('falls back to `codex --version` when the handshake carries no version', async () => {
    const bin = fakeCodex('quiet-codex', 'codex-cli 0.101.0');
    const err = await runOneTurn({ ...base(), codexBin: bin, env: { ...base().env, CODEX_FAKE_USER_AGENT: 'no-version-here' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodexVersionError);
    expect((err as Error).message).toMatch(/codex 0\.101\.0/);
  });
});

describe('configLoadFailure', () => {
  it("reads codex's refusal of its config.toml from the message (0.169) or the error's data, and nothing else", () => {
    const fromMessage = configLoadFailure(new JsonRpcError('thread/start', -32600, 'failed to load configuration: /h/config.toml:16:22: invalid basic string, expected `"`'));
    expect(fromMessage).toBeInstanceOf(ConfigSyntaxError);
    expect(fromMessage?.message).toBe('codex cannot load /h/config.toml:16:22: invalid basic string, expected `"`');
    expect(fromMessage?.location).toEqual({ file: '/h/config.toml', line: 16, column: 22 });
    const fromData = configLoadFailure(new JsonRpcError('thread/start', -32600, 'failed to load configuration: x', { reason: 'configLoad', filePath: '/h/config.toml', line: 3, column: 1, detail: 'unknown field' }));
    expect(fromData?.message).toBe('codex cannot load /h/config.toml:3:1: unknown field');
    expect(configLoadFailure(new JsonRpcError('thread/start', -32600, 'failed to load configuration: something else'))?.message).toBe('codex cannot load config.toml: something else');
    expect(configLoadFailure(new JsonRpcError('thread/start', -32600, 'no rollout found for thread id x'))).toBeNull();
    expect(configLoadFailure(new Error('failed to load configuration: x'))).toBeNull();
    // plugin/list and mcpServerStatus/list on a private copy of CODEX_HOME: the user's path is shown.
    const reload = configLoadFailure(new JsonRpcError('plugin/list', -32603, 'failed to reload config: /tmp/copy-1/config.toml:16:22: invalid'), { from: '/tmp/copy-1', to: '/h' });
    expect(reload?.message).toBe('codex cannot load /h/config.toml:16:22: invalid');
  });
});

/**
 * EarlyStart: codex started before the command line is parsed, handed over
 * only for the same launch, closed otherwise. A fake codex (a shell script
 * that notes each start, then runs the fake app-server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EarlyStart } from '../../src/runtime/early-start.js';
import { resolveTurnLaunch } from '../../src/runtime/launch.js';
import { repoRoot } from '../helpers/codex.js';

let dir: string;
let codexHome: string;
let codex: string;
let log: string;
const starts = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'early-start-'));
  codexHome = path.join(dir, 'home');
  mkdirSync(codexHome);
  log = path.join(dir, 'starts');
  codex = path.join(dir, 'codex');
  // `--version` is noted too: a start nobody takes must not be explained by running it.
  writeFileSync(codex, `#!/bin/sh\necho "$$ $*" >> "${log}"\nif [ "$1" = "--version" ]; then echo "codex-cli 0.169.0"; exit 0; fi\nif [ -n "$CODEX_FAKE_MUTE" ]; then exec cat > /dev/null; fi\nexec "${process.execPath}" "${path.join(repoRoot, 'fixtures/fake-app-server/server.mjs')}"\n`);
  chmodSync(codex, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('EarlyStart', () => {
  const env = { ...process.env, PATH: process.env['PATH'] ?? '' };
  const opts = (over: { cwd?: string; passEnv?: string[] } = {}) => ({ codexHome, codexBin: codex, env, cwd: dir, ...over });

  it('hands over the codex it started when the launch is the same, once', async () => {
    writeFileSync(log, '');
    const early = await EarlyStart.begin(opts({ passEnv: ['B', 'A'] }));
    expect(early).toBeDefined();
    const launch = await resolveTurnLaunch(opts({ passEnv: ['A', 'B', 'A'] }));
    const taken = early!.take(launch);
    expect(taken).toBeDefined();
    const { client, version } = await taken!;
    expect(version.version).toBe('0.169.0');
    expect(await client.request('fake/echo', { value: 7 })).toEqual({ value: 7 });
    expect(early!.take(launch)).toBeUndefined(); // once
    await early!.discard(); // a no-op once taken
    expect(await client.request('fake/echo', { value: 8 })).toEqual({ value: 8 });
    await client.close();
    expect(starts()).toHaveLength(1);
  });

  it('closes its codex when the launch differs (another working directory, other variables), without running --version', async () => {
    for (const other of [{ cwd: codexHome }, { passEnv: ['GITHUB_TOKEN'] }]) {
      writeFileSync(log, '');
      const early = (await EarlyStart.begin(opts()))!;
      await new Promise((r) => setTimeout(r, 50));
      const pid = Number(starts()[0]!.split(' ')[0]);
      expect(alive(pid)).toBe(true);
      expect(early.take(await resolveTurnLaunch(opts(other)))).toBeUndefined();
      await early.discard();
      expect(alive(pid)).toBe(false);
      expect(starts()).toEqual([`${pid} app-server`]);
    }
  });

  it('discard() before the handshake ends codex without explaining the failure (no `codex --version`)', async () => {
    writeFileSync(log, '');
    // A codex that never answers: the handshake can only fail, when discard() ends its stdin.
    const early = (await EarlyStart.begin({ ...opts(), env: { ...env, CODEX_FAKE_MUTE: '1' } }))!;
    await new Promise((r) => setTimeout(r, 50));
    await early.discard();
    await new Promise((r) => setTimeout(r, 100));
    expect(starts()).toEqual([expect.stringMatching(/^\d+ app-server$/)]);
    expect(early.take(await resolveTurnLaunch(opts()))).toBeUndefined(); // discarded: nothing to take
  });

  it('starts nothing when the launch does not resolve (the turn reports that itself)', async () => {
    writeFileSync(log, '');
    expect(await EarlyStart.begin(opts({ cwd: path.join(dir, 'missing') }))).toBeUndefined();
    expect(await EarlyStart.begin({ ...opts(), codexHome: path.join(dir, 'no-home') })).toBeUndefined();
    expect(starts()).toEqual([]);
  });
});

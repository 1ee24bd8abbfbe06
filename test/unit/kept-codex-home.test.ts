/**
 * Plugin discovery's kept private CODEX_HOME (src/codex/private-home.ts): refreshed from the real
 * CODEX_HOME on every run, codex's own state kept, one process at a time, dropped when a run fails.
 * Real files in a temporary directory (locks and permissions are what is tested).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoveryHomeKey, discoveryHomesDirectory, withKeptCodexHome } from '../../src/codex/private-home.js';

let dir: string;
let real: string;
let root: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hermes-codex-kept-'));
  real = path.join(dir, 'codex-home');
  root = path.join(dir, 'kept');
  mkdirSync(path.join(real, 'plugins', 'cache'), { recursive: true });
  writeFileSync(path.join(real, 'config.toml'), 'model = "a"\n');
  writeFileSync(path.join(real, 'plugins', 'cache', 'demo.json'), '{}');
  writeFileSync(path.join(real, 'auth.json'), '{"secret":true}');
});
afterEach(() => {
  chmodSync(dir, 0o700);
  if (existsSync(root)) chmodSync(root, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

const kept = () => ({ root, key: 'k1' });
/** A process id that has ended (a child that ran and exited). */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('discoveryHomesDirectory', () => {
  it('is $HERMES_CODEX_DISCOVERY_HOME, off for 0/off/false/no, else per user under the temporary directory', () => {
    expect(discoveryHomesDirectory({ HERMES_CODEX_DISCOVERY_HOME: 'rel/x' }, '/tmp', 7)).toBe(path.resolve('rel/x'));
    for (const off of ['0', 'off', 'FALSE', 'no']) expect(discoveryHomesDirectory({ HERMES_CODEX_DISCOVERY_HOME: off }, '/tmp', 7)).toBeNull();
    expect(discoveryHomesDirectory({}, '/tmp', 7)).toBe('/tmp/hermes-codex-discovery-home-7');
    expect(discoveryHomesDirectory({ HERMES_CODEX_DISCOVERY_HOME: '' }, '/tmp', undefined)).toBe('/tmp/hermes-codex-discovery-home');
  });
});

describe('discoveryHomeKey', () => {
  it('differs by CODEX_HOME and by the codex binary (path and size), and is stable', () => {
    const bin = path.join(dir, 'codex');
    writeFileSync(bin, 'x'.repeat(10));
    const k = discoveryHomeKey(real, bin);
    expect(k).toMatch(/^[0-9a-f]{8}$/);
    expect(discoveryHomeKey(real, bin)).toBe(k);
    expect(discoveryHomeKey(path.join(real, '..', 'codex-home'), bin)).toBe(k); // resolved
    expect(discoveryHomeKey(path.join(dir, 'other'), bin)).not.toBe(k);
    writeFileSync(bin, 'x'.repeat(11)); // another release
    expect(discoveryHomeKey(real, bin)).not.toBe(k);
  });
});

describe('withKeptCodexHome', () => {
  it("keeps what codex wrote between runs and refreshes the real CODEX_HOME's entries each time; auth.json is never copied", async () => {
    const first = await withKeptCodexHome(real, kept(), async (home) => {
      expect(readFileSync(path.join(home, 'config.toml'), 'utf8')).toBe('model = "a"\n');
      expect(existsSync(path.join(home, 'plugins', 'cache', 'demo.json'))).toBe(true);
      expect(existsSync(path.join(home, 'auth.json'))).toBe(false);
      writeFileSync(path.join(home, 'state_5.sqlite'), 'codex state');
      writeFileSync(path.join(home, 'plugins', 'stale.json'), 'codex wrote this into plugins/');
      return home;
    });
    expect(first).toBe(path.join(root, 'k1'));
    expect(existsSync(`${first}.lock`)).toBe(false); // released

    writeFileSync(path.join(real, 'config.toml'), 'model = "b"\n');
    rmSync(path.join(real, 'plugins'), { recursive: true });
    const second = await withKeptCodexHome(real, kept(), async (home) => ({
      home,
      config: readFileSync(path.join(home, 'config.toml'), 'utf8'),
      plugins: existsSync(path.join(home, 'plugins')),
      state: readFileSync(path.join(home, 'state_5.sqlite'), 'utf8'),
    }));
    expect(second).toEqual({ home: first, config: 'model = "b"\n', plugins: false, state: 'codex state' });
  });

  it('uses a temporary home, removed afterwards, while another live process holds the kept one', async () => {
    await withKeptCodexHome(real, kept(), async () => undefined);
    writeFileSync(path.join(root, 'k1.lock'), `${process.ppid} 0 0`); // a live process (the test runner's parent)
    const used = await withKeptCodexHome(real, kept(), async (home) => {
      expect(readFileSync(path.join(home, 'config.toml'), 'utf8')).toBe('model = "a"\n');
      return home;
    });
    expect(path.dirname(used)).not.toBe(root);
    expect(existsSync(used)).toBe(false);
    expect(readFileSync(path.join(root, 'k1.lock'), 'utf8')).toBe(`${process.ppid} 0 0`); // not ours to remove
  });

  it('takes over a lock whose process has ended', async () => {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    writeFileSync(path.join(root, 'k1.lock'), `${deadPid()} 0 0`);
    const used = await withKeptCodexHome(real, kept(), async (home) => home);
    expect(used).toBe(path.join(root, 'k1'));
    expect(existsSync(path.join(root, 'k1.lock'))).toBe(false);
  });

  it('drops the kept home when the run fails, and keeps it when the caller says the failure was not codex\'s', async () => {
    await withKeptCodexHome(real, kept(), async (home) => writeFileSync(path.join(home, 'state_5.sqlite'), 's'));
    await expect(withKeptCodexHome(real, kept(), async () => Promise.reject(new Error('codex exited')), undefined, () => false)).rejects.toThrow('codex exited');
    expect(existsSync(path.join(root, 'k1', 'state_5.sqlite'))).toBe(true);
    await expect(withKeptCodexHome(real, kept(), async () => Promise.reject(new Error('codex exited')))).rejects.toThrow('codex exited');
    expect(existsSync(path.join(root, 'k1'))).toBe(false);
    expect(existsSync(path.join(root, 'k1.lock'))).toBe(false);
  });

  it('does not use a directory others can write to, nor a link in place of the kept home', async () => {
    mkdirSync(root, { mode: 0o700 });
    chmodSync(root, 0o777);
    const open = await withKeptCodexHome(real, kept(), async (home) => home);
    expect(path.dirname(open)).not.toBe(root);
    chmodSync(root, 0o700);
    mkdirSync(path.join(dir, 'elsewhere'));
    spawnSync('ln', ['-s', path.join(dir, 'elsewhere'), path.join(root, 'k1')]);
    const linked = await withKeptCodexHome(real, kept(), async (home) => home);
    expect(path.dirname(linked)).not.toBe(root);
    expect(readdirSync(path.join(dir, 'elsewhere'))).toEqual([]);
    expect(existsSync(path.join(root, 'k1.lock'))).toBe(false);
  });

  it('with no kept location, is a temporary copy', async () => {
    const used = await withKeptCodexHome(real, null, async (home) => {
      expect(readFileSync(path.join(home, 'config.toml'), 'utf8')).toBe('model = "a"\n');
      return home;
    });
    expect(existsSync(used)).toBe(false);
    expect(existsSync(root)).toBe(false);
  });

  it('removes other kept homes unused for a week, not recent ones or one a live process holds', async () => {
    mkdirSync(root, { mode: 0o700 });
    const old = Date.now() / 1000 - 8 * 24 * 3600;
    for (const name of ['stale', 'recent', 'held']) mkdirSync(path.join(root, name));
    utimesSync(path.join(root, 'stale'), old, old);
    utimesSync(path.join(root, 'held'), old, old);
    writeFileSync(path.join(root, 'held.lock'), `${process.ppid} 0 0`);
    writeFileSync(path.join(root, 'stale.lock'), `${deadPid()} 0 0`);
    await withKeptCodexHome(real, kept(), async () => undefined);
    expect(readdirSync(root).sort()).toEqual(['held', 'held.lock', 'k1', 'recent']);
  });
});

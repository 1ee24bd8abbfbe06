/**
 * The code cache bin.cjs runs the CLI bundle through (src/cli/compile-cache.cts),
 * on small bundles written here: V8 takes the cache it wrote, refuses a corrupt
 * one (then it is rewritten), and nothing is read from or written to a directory
 * others could write to.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../helpers/codex.js';
import { CHUNK_PREFIX, WRAPPER_HEAD, cacheDirectory, commandWord, flagsKey, isPrivateDirectory, loadBundle } from '../../src/cli/compile-cache.cjs';

let dir: string;
let cacheDir: string;
const BUILD = '0123456789abcdef';

/** A bundle shaped like scripts/bundle-cli.mjs writes it (`wrapped`: inside the CommonJS wrapper, as it does now; else bare, as older builds did). */
function writeBundle(body: string, build: string | null = BUILD, { wrapped = false } = {}): string {
  const file = path.join(dir, 'cli.cjs');
  const text = `${build ? `// hermes-codex 9.9.9 build ${build}\n` : ''}"use strict";\n${body}\n`;
  writeFileSync(file, wrapped ? `${WRAPPER_HEAD}${text}\n})` : text);
  return file;
}

const BODY = [
  'const path = require("node:path");',
  'exports.sloppy = (function () { return this !== undefined; })();',
  'exports.where = () => [__filename, __dirname, path.basename(__filename)];',
  'exports.twice = (n) => n * 2;',
  'exports.fail = () => { throw new Error("from the bundle"); };',
].join('\n');

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hermes-codex-cc-'));
  cacheDir = path.join(dir, 'cache');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadBundle', () => {
  it('runs the bundle like require(): exports, strict mode, __filename, require, line numbers', () => {
    const file = writeBundle(BODY);
    const b = loadBundle(file, { env: { HERMES_CODEX_COMPILE_CACHE: cacheDir } });
    expect(b.exports.sloppy).toBe(false);
    expect((b.exports.where as () => string[])()).toEqual([file, dir, 'cli.cjs']);
    expect((b.exports.twice as (n: number) => number)(21)).toBe(42);
    let stack = '';
    try {
      (b.exports.fail as () => void)();
    } catch (e) {
      stack = (e as Error).stack ?? '';
    }
    expect(stack).toContain(`${file}:7:`); // line 7 of the file: the build line and "use strict" come first
  });

  it('runs a bundle written inside the wrapper as it is: the same exports, strict mode, line numbers and cache file', () => {
    const file = writeBundle(BODY, BUILD, { wrapped: true });
    const b = loadBundle(file, { env: { HERMES_CODEX_COMPILE_CACHE: cacheDir } });
    expect(b.exports.sloppy).toBe(false);
    expect((b.exports.where as () => string[])()).toEqual([file, dir, 'cli.cjs']);
    expect(path.basename(b.cacheFile!)).toMatch(new RegExp(`^${BUILD}-${process.version}-${process.arch}\\b.*-default\\.v8$`));
    let stack = '';
    try {
      (b.exports.fail as () => void)();
    } catch (e) {
      stack = (e as Error).stack ?? '';
    }
    expect(stack).toContain(`${file}:7:`);
  });

  it("resolves a relative require and require.resolve from the bundle's own file, a built-in or a package as Node does", () => {
    writeFileSync(path.join(dir, 'sibling.cjs'), 'exports.name = "sibling";\n');
    const file = writeBundle(
      `${BODY}\nexports.sibling = () => require("./sibling.cjs").name;\nexports.resolved = () => require.resolve("./sibling.cjs");\nexports.os = () => require("os") === require("node:os");\nexports.vitest = () => require.resolve("vitest/package.json");\nexports.vitestRequired = () => require("vitest/package.json");`,
      BUILD,
      { wrapped: true },
    );
    const b = loadBundle(file, { env: { HERMES_CODEX_COMPILE_CACHE: cacheDir } });
    expect((b.exports.sibling as () => string)()).toBe('sibling');
    expect((b.exports.resolved as () => string)()).toBe(path.join(dir, 'sibling.cjs'));
    expect((b.exports.os as () => boolean)()).toBe(true);
    // The bundle sits in a temporary directory: a package resolves only through the paths Node gives that file.
    expect(() => (b.exports.vitest as () => string)()).toThrow(/Cannot find module/);
    expect(() => (b.exports.vitestRequired as () => unknown)()).toThrow(/Cannot find module/);
  });

  it('loads a chunk the bundle requires from the file beside it, once, through a code cache of its own', () => {
    const chunkFile = path.join(dir, 'extra.cjs');
    writeFileSync(chunkFile, `${WRAPPER_HEAD}// hermes-codex 9.9.9 build fedcba9876543210\n"use strict";\nexports.loads = (exports.loads ?? 0) + 1;\nexports.half = (n) => n / 2;\n})`);
    const file = writeBundle(`${BODY}\nexports.extra = () => require("${CHUNK_PREFIX}extra");\nexports.bad = () => require("${CHUNK_PREFIX}../x");`, BUILD, { wrapped: true });
    const b = loadBundle(file, { env: { HERMES_CODEX_COMPILE_CACHE: cacheDir }, command: 'migrate' });
    const extra = b.exports.extra as () => { loads: number; half: (n: number) => number };
    expect(extra().half(8)).toBe(4);
    expect(extra().loads).toBe(1); // the same module, run once
    expect(() => (b.exports.bad as () => unknown)()).toThrow(/unusable name/);
    b.save();
    // The bundle's cache and the chunk's, each under its own build and the same command word.
    expect(readdirSync(cacheDir).map((f) => `${f.slice(0, 16)} ${f.endsWith('-migrate.v8')}`).sort()).toEqual([`${BUILD} true`, 'fedcba9876543210 true']);
    // A bundle that never requires its chunk leaves no cache for it.
    rmSync(cacheDir, { recursive: true, force: true });
    const quiet = loadBundle(file, { env: { HERMES_CODEX_COMPILE_CACHE: cacheDir }, command: 'doctor' });
    quiet.save();
    expect(readdirSync(cacheDir).map((f) => f.slice(0, 16))).toEqual([BUILD]);
  });

  it('misses, saves on exit, then hits; a corrupt cache is rejected and rewritten (each load a fresh process)', () => {
    // V8 keeps scripts it compiled in memory and would answer a second load in this process from there,
    // so each load runs in its own Node, through the compiled module bin.cjs uses.
    const file = writeBundle(BODY);
    const load = (command: string) => {
      const script = `const { loadBundle } = require(${JSON.stringify(path.join(repoRoot, 'dist/cli/compile-cache.cjs'))});
        const b = loadBundle(${JSON.stringify(file)}, { command: ${JSON.stringify(command)} });
        process.once('exit', () => b.save());
        console.log(JSON.stringify({ cache: b.cache, file: b.cacheFile, twice: b.exports.twice(21) }));`;
      const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, HERMES_CODEX_COMPILE_CACHE: cacheDir }, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as { cache: string; file: string; twice: number };
    };
    const first = load('migrate');
    expect(first).toEqual({ cache: 'miss', file: path.join(cacheDir, `${BUILD}-${process.version}-${process.arch}-migrate.v8`), twice: 42 });
    expect(readdirSync(cacheDir)).toEqual([path.basename(first.file)]);
    const written = readFileSync(first.file);
    expect(load('migrate').cache).toBe('hit');
    expect(readFileSync(first.file).equals(written)).toBe(true); // a hit is not rewritten

    writeFileSync(first.file, Buffer.from('not a code cache'));
    expect(load('migrate')).toMatchObject({ cache: 'rejected', twice: 42 });
    expect(load('migrate').cache).toBe('hit');
    // Another command word has its own cache.
    expect(load('doctor').cache).toBe('miss');
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });

  it('writes a hit again once it is over an hour old, adding what that run compiled (each load a fresh process)', () => {
    // Two paths through one command, as `migrate --dry-run` then `migrate`: the first run's cache lacks the second path.
    const pathBody = Array.from({ length: 40 }, (_, i) => `  s += String(n * ${i + 1}).length;`).join('\n');
    const file = writeBundle(`${BODY}\nexports.first = (n) => n + 1;\nexports.second = (n) => {\n  let s = 0;\n${pathBody}\n  return s;\n};`);
    const load = (which: 'first' | 'second') => {
      const script = `const { loadBundle } = require(${JSON.stringify(path.join(repoRoot, 'dist/cli/compile-cache.cjs'))});
        const b = loadBundle(${JSON.stringify(file)}, { command: 'migrate' });
        process.once('exit', () => b.save());
        console.log(JSON.stringify({ cache: b.cache, refresh: b.refresh, file: b.cacheFile, out: b.exports.${which}(7) }));`;
      const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, HERMES_CODEX_COMPILE_CACHE: cacheDir }, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as { cache: string; refresh: boolean; file: string; out: number };
    };
    const made = load('first');
    expect(made).toMatchObject({ cache: 'miss', refresh: false, out: 8 });
    const firstCache = readFileSync(made.file);
    // Within the hour: a hit down the other path leaves the file alone.
    expect(load('second')).toMatchObject({ cache: 'hit', refresh: false });
    expect(readFileSync(made.file).equals(firstCache)).toBe(true);

    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    utimesSync(made.file, twoHoursAgo, twoHoursAgo);
    expect(load('second')).toMatchObject({ cache: 'hit', refresh: true });
    const refreshed = readFileSync(made.file);
    expect(refreshed.length).toBeGreaterThan(firstCache.length); // the second path's bytecode added
    expect(statSync(made.file).mtimeMs).toBeGreaterThan(twoHoursAgo.getTime() + 3600 * 1000);
    // V8 takes the refreshed cache, and it is fresh again.
    expect(load('first')).toMatchObject({ cache: 'hit', refresh: false, out: 8 });
    expect(readFileSync(made.file).equals(refreshed)).toBe(true);
  });

  it('leaves no temporary file behind when the cache cannot take its name', () => {
    const file = writeBundle(BODY);
    const env = { HERMES_CODEX_COMPILE_CACHE: cacheDir };
    const probe = loadBundle(file, { env });
    mkdirSync(probe.cacheFile!); // a directory where the cache file goes: the rename fails
    const b = loadBundle(file, { env });
    expect(b.cache).toBe('miss');
    expect(() => b.save()).not.toThrow();
    expect(readdirSync(cacheDir)).toEqual([path.basename(probe.cacheFile!)]);
  });

  it('keys the cache by the build named on the first line; without one there is no cache', () => {
    const env = { HERMES_CODEX_COMPILE_CACHE: cacheDir };
    const a = loadBundle(writeBundle(BODY), { env });
    a.save();
    // Same length, other build: the old cache is not offered to V8 (which checks the length only).
    const b = loadBundle(writeBundle(BODY, 'fedcba9876543210'), { env });
    expect(b.cache).toBe('miss');
    const none = loadBundle(writeBundle(BODY, null), { env });
    expect(none.cache).toBe('off');
    none.save();
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });

  it('uses no directory others can write to, and no link', () => {
    const file = writeBundle(BODY);
    mkdirSync(cacheDir, { mode: 0o700 });
    chmodSync(cacheDir, 0o777);
    const open = loadBundle(file, { env: { HERMES_CODEX_COMPILE_CACHE: cacheDir } });
    expect(open.cache).toBe('off');
    open.save();
    expect(readdirSync(cacheDir)).toEqual([]);
    expect(isPrivateDirectory(cacheDir)).toBe(false);

    const real = path.join(dir, 'real');
    mkdirSync(real, { mode: 0o700 });
    const link = path.join(dir, 'link');
    symlinkSync(real, link);
    expect(isPrivateDirectory(link)).toBe(false);
    expect(loadBundle(file, { env: { HERMES_CODEX_COMPILE_CACHE: link } }).cache).toBe('off');
    expect(isPrivateDirectory(real)).toBe(true);
  });

  it('is off when asked', () => {
    const file = writeBundle(BODY);
    for (const env of [{ NODE_DISABLE_COMPILE_CACHE: '1', HERMES_CODEX_COMPILE_CACHE: cacheDir }, { HERMES_CODEX_COMPILE_CACHE: '0' }, { HERMES_CODEX_COMPILE_CACHE: 'off' }]) {
      const b = loadBundle(file, { env });
      expect(b.cache).toBe('off');
      b.save();
    }
    expect(() => readdirSync(cacheDir)).toThrow();
  });

  it('prunes other builds\u2019 caches untouched for a week, and keeps recent ones', () => {
    mkdirSync(cacheDir, { mode: 0o700 });
    const old = path.join(cacheDir, `ffffffffffffffff-${process.version}-${process.arch}-migrate.v8`);
    const recent = path.join(cacheDir, `eeeeeeeeeeeeeeee-${process.version}-${process.arch}-migrate.v8`);
    const unrelated = path.join(cacheDir, 'notes.txt');
    for (const f of [old, recent, unrelated]) writeFileSync(f, 'x');
    const weekAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    for (const f of [old, unrelated]) utimesSync(f, weekAgo, weekAgo);
    const b = loadBundle(writeBundle(BODY), { env: { HERMES_CODEX_COMPILE_CACHE: cacheDir } });
    b.save();
    expect(readdirSync(cacheDir).sort()).toEqual([path.basename(b.cacheFile!), path.basename(recent), 'notes.txt'].sort());
    expect(readFileSync(recent, 'utf8')).toBe('x');
  });
});

describe('cacheDirectory and commandWord', () => {
  it('defaults to a per-user directory under the temporary directory', () => {
    expect(cacheDirectory({}, '/tmp', 1000)).toBe('/tmp/hermes-codex-compile-cache-1000');
    expect(cacheDirectory({}, 'C:\\Temp', undefined)).toBe(path.join('C:\\Temp', 'hermes-codex-compile-cache'));
    expect(cacheDirectory({ HERMES_CODEX_COMPILE_CACHE: 'rel/dir' }, '/tmp', 1)).toBe(path.resolve('rel/dir'));
    expect(cacheDirectory({ HERMES_CODEX_COMPILE_CACHE: '' }, '/tmp', 1)).toBe('/tmp/hermes-codex-compile-cache-1');
    expect(cacheDirectory({ NODE_DISABLE_COMPILE_CACHE: '1' }, '/tmp', 1)).toBeNull();
    expect(cacheDirectory({ HERMES_CODEX_COMPILE_CACHE: 'false' }, '/tmp', 1)).toBeNull();
  });

  it('keeps runs under other Node flags apart (V8 refuses a cache made under other flags)', () => {
    expect(flagsKey([], undefined)).toBe('');
    expect(flagsKey([], '  ')).toBe('');
    expect(flagsKey(['--max-old-space-size=4096'], undefined)).toMatch(/^-[0-9a-f]{8}$/);
    expect(flagsKey(['--max-old-space-size=4096'], undefined)).toBe(flagsKey([], '--max-old-space-size=4096'));
    expect(flagsKey(['--max-old-space-size=4096'], undefined)).not.toBe(flagsKey(['--max-old-space-size=2048'], undefined));
    // `node -e SCRIPT` puts the script in execArgv: not a flag.
    expect(flagsKey(['-e', 'console.log(1)'], undefined)).toBe('');
    expect(flagsKey(['--eval=1', '--stack-size=2000'], undefined)).toBe(flagsKey(['--stack-size=2000'], undefined));
  });

  it('keeps a cache per command word, and one for everything else', () => {
    expect(commandWord(['migrate', '--json'])).toBe('migrate');
    expect(commandWord(['doctor'])).toBe('doctor');
    expect(commandWord(['--help'])).toBe('default');
    expect(commandWord([])).toBe('default');
    expect(commandWord(['../x'])).toBe('default');
    expect(commandWord(['a'.repeat(40)])).toBe('default');
  });
});

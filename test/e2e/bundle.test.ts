/**
 * The CLI runs from the bundle `npm run build` makes (dist/cli-bundle/cli.cjs)
 * through a V8 code cache; the compiled modules it is made from must behave
 * the same, and bin.cjs uses them when there is no bundle.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { cliBin, repoRoot } from '../helpers/codex.js';

const env = { ...process.env, NO_COLOR: '1' };
const viaModules = (args: string[]) =>
  execa(process.execPath, ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(path.join(repoRoot, 'dist/cli/main.js'))}); process.exitCode = await main(${JSON.stringify(args)});`], { env, reject: false });

/** The build a bundle file names on its first line (after the wrapper's head). */
const buildOf = (file: string) => / build ([0-9a-f]{16})\n/.exec(readFileSync(path.join(repoRoot, 'dist/cli-bundle', file), 'utf8').slice(0, 200))?.[1];
const mainBuild = () => buildOf('cli.cjs');
const chunkBuild = (name: string) => buildOf(`${name}.cjs`);

describe('the CLI bundle', () => {
  it('exists after the build, carries the package version, and is what bin.cjs runs', async () => {
    const bundle = path.join(repoRoot, 'dist/cli-bundle/cli.cjs');
    expect(existsSync(bundle)).toBe(true);
    const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const text = readFileSync(bundle, 'utf8');
    const head = '(function (exports, require, module, __filename, __dirname) {';
    const build = new RegExp(`^${head.replace(/[()]/g, '\\$&')}// hermes-codex ${version.replace(/\./g, '\\.')} build ([0-9a-f]{16})\n"use strict";\n`).exec(text)?.[1];
    expect(build, 'first lines: the wrapper\'s head and the build comment, then "use strict" (still a directive)').toBeDefined();
    expect(text.endsWith('\n})'), 'the wrapper closes the file').toBe(true);
    // Both bundles name the sources they were built from, which keys migrate's no-change memo (src/migrate/memo.ts).
    const digests = [bundle, path.join(repoRoot, 'dist/lib/index.js')].map((f) => /\?\s*"([0-9a-f]{16})"\s*:\s*"unbundled"/.exec(readFileSync(f, 'utf8'))?.[1]);
    expect(digests[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(digests[1]).toBe(digests[0]);
    const help = await execa(process.execPath, [cliBin, '--help'], { env, reject: false });
    expect(help.exitCode).toBe(0);
    const doctorJson = await execa(process.execPath, [cliBin, 'doctor', '--only', 'codex.home', '--json', '--codex-home', '/nonexistent-hermes-codex'], { env, reject: false });
    expect(JSON.parse(doctorJson.stdout)).toMatchObject({ toolVersion: version });
    // The bundle is what runs: it leaves its code cache behind, keyed by its build.
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'hermes-codex-cache-'));
    try {
      const listed = await execa(process.execPath, [cliBin, 'doctor', '--list-checks'], { env: { ...env, HERMES_CODEX_COMPILE_CACHE: cacheDir }, reject: false });
      expect(listed.exitCode).toBe(0);
      // The bundle's own cache and the yargs chunk's (doctor's command line goes through yargs), each keyed by its build.
      const caches = [`${build}-${process.version}-${process.arch}-doctor.v8`, `${chunkBuild('yargs')}-${process.version}-${process.arch}-doctor.v8`].sort();
      expect(readdirSync(cacheDir).sort()).toEqual(caches);
      // A mistyped command (a usage error, exit 2) leaves no cache of its own.
      const typo = await execa(process.execPath, [cliBin, 'doctr'], { env: { ...env, HERMES_CODEX_COMPILE_CACHE: cacheDir }, reject: false });
      expect(typo.exitCode).toBe(2);
      expect(readdirSync(cacheDir).sort()).toEqual(caches);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
    // And no compiled ES module of dist/ loads beside it.
    const hook = 'data:text/javascript,export async function load(u, c, n) { if (u.startsWith("file:")) process.stderr.write("loaded " + u + "\\n"); return n(u, c); }';
    const register = `data:text/javascript,import { register } from "node:module"; register(${JSON.stringify(hook)});`;
    const traced = await execa(process.execPath, ['--import', register, cliBin, 'doctor', '--list-checks'], { env, reject: false });
    const loaded = traced.stderr.split('\n').filter((l) => l.startsWith('loaded ')).map((l) => l.slice('loaded '.length));
    expect(traced.exitCode).toBe(0);
    expect(loaded.filter((u) => u.includes('/dist/') && !u.endsWith('/dist/cli/bin.cjs'))).toEqual([]);
  });

  it('is self-contained: every module it and its chunks require by name is one of Node\'s own, or one of its chunks', () => {
    const named = (file: string) => [...new Set([...readFileSync(path.join(repoRoot, 'dist/cli-bundle', file), 'utf8').matchAll(/\brequire\((["'])([^"']+)\1\)/g)].map((m) => m[2]!))];
    const main = named('cli.cjs');
    expect(main.length).toBeGreaterThan(10);
    const chunks = main.filter((n) => n.startsWith('hermes-codex-chunk:')).map((n) => n.slice('hermes-codex-chunk:'.length)).sort();
    expect(chunks).toEqual(['execa', 'yaml', 'yargs']);
    expect(main.filter((n) => !isBuiltin(n) && !n.startsWith('hermes-codex-chunk:'))).toEqual([]);
    for (const c of chunks) expect(named(`${c}.cjs`).filter((n) => !isBuiltin(n)), c).toEqual([]);
    // What the chunks hold is not in the bundle too (yaml's composer, execa's error class, yargs' own instance).
    const text = readFileSync(path.join(repoRoot, 'dist/cli-bundle/cli.cjs'), 'utf8');
    for (const marker of ['Composer', 'ExecaError', 'kTrackManuallySetKeys']) expect(text.includes(marker), marker).toBe(false);
  });

  it('loads no chunk for a plain migrate: the run leaves the bundle\'s code cache only', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'hermes-codex-cache-'));
    const codexHome = mkdtempSync(path.join(tmpdir(), 'hermes-codex-home-'));
    try {
      const r = await execa(process.execPath, [cliBin, 'migrate', '--hermes-config', path.join(repoRoot, 'fixtures/hermes/config.yaml'), '--codex-home', codexHome, '--no-validate', '--no-plugins', '--no-hermes-tools', '--json'], { env: { ...env, HERMES_CODEX_COMPILE_CACHE: cacheDir }, reject: false });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(readdirSync(cacheDir).map((f) => f.slice(0, 16))).toEqual([mainBuild()]);
      // A line only yargs reads (a short flag) loads the yargs chunk, and leaves its cache too.
      const h = await execa(process.execPath, [cliBin, 'migrate', '-h'], { env: { ...env, HERMES_CODEX_COMPILE_CACHE: cacheDir }, reject: false });
      expect(h.exitCode).toBe(0);
      expect(readdirSync(cacheDir).map((f) => f.slice(0, 16)).sort()).toEqual([mainBuild(), chunkBuild('yargs')].sort());
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
      rmSync(codexHome, { recursive: true, force: true });
    }
  });

  it('behaves the same with the code cache off, missing and hit', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'hermes-codex-cache-'));
    try {
      for (const args of [['doctor', '--list-checks'], ['runtime', '--help'], ['migrate', '--bogus-flag']]) {
        const run = async (cache: string) => {
          const r = await execa(process.execPath, [cliBin, ...args], { env: { ...env, HERMES_CODEX_COMPILE_CACHE: cache }, reject: false });
          return { code: r.exitCode, out: r.stdout, err: r.stderr };
        };
        const off = await run('0');
        const miss = await run(cacheDir);
        const hit = await run(cacheDir);
        expect(miss, args.join(' ')).toEqual(off);
        expect(hit, args.join(' ')).toEqual(off);
      }
      // The runs that exit 0 left their caches (the usage error did not).
      expect([...new Set(readdirSync(cacheDir).map((f) => f.replace(/^.*-/, '')))].sort()).toEqual(['doctor.v8', 'runtime.v8']);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('speaks one language: yargs\' own words stay English beside ours under a German LANG', async () => {
    const help = await execa(process.execPath, [cliBin, '--help'], { env: { ...env, LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' }, reject: false });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^Commands:$/m);
    expect(help.stdout).toMatch(/^Options:$/m);
    expect(help.stdout).not.toMatch(/Befehle|Optionen/);
  });

  it('gives the same output as the compiled modules it is made from', async () => {
    for (const args of [['--help'], ['doctor', '--list-checks'], ['runtime', '--help'], ['migrate', '--bogus-flag']]) {
      const bundled = await execa(process.execPath, [cliBin, ...args], { env, reject: false });
      const modules = await viaModules(args);
      expect({ code: modules.exitCode, out: modules.stdout, err: modules.stderr }, args.join(' ')).toEqual({ code: bundled.exitCode, out: bundled.stdout, err: bundled.stderr });
    }
  });
});

/**
 * The CLI runs from the bundle `npm run build` makes (dist/cli-bundle); the
 * compiled modules it is made from must behave the same, and bin.cjs uses
 * them when there is no bundle.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { execa } from 'execa';
import { cliBin, repoRoot } from '../helpers/codex.js';

const env = { ...process.env, NO_COLOR: '1' };
const viaModules = (args: string[]) =>
  execa(process.execPath, ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(path.join(repoRoot, 'dist/cli/main.js'))}); process.exitCode = await main(${JSON.stringify(args)});`], { env, reject: false });

describe('the CLI bundle', () => {
  it('exists after the build, carries the package version, and is what bin.cjs runs', async () => {
    expect(existsSync(path.join(repoRoot, 'dist/cli-bundle/main.js'))).toBe(true);
    const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const help = await execa(process.execPath, [cliBin, '--help'], { env, reject: false });
    expect(help.exitCode).toBe(0);
    const doctorJson = await execa(process.execPath, [cliBin, 'doctor', '--only', 'codex.home', '--json', '--codex-home', '/nonexistent-hermes-codex'], { env, reject: false });
    expect(JSON.parse(doctorJson.stdout)).toMatchObject({ toolVersion: version });
    // The bundle's chunks are what runs, not the compiled modules: list the ES modules loaded.
    const hook = 'data:text/javascript,export async function load(u, c, n) { if (u.startsWith("file:")) process.stderr.write("loaded " + u + "\\n"); return n(u, c); }';
    const register = `data:text/javascript,import { register } from "node:module"; register(${JSON.stringify(hook)});`;
    const traced = await execa(process.execPath, ['--import', register, cliBin, 'doctor', '--list-checks'], { env, reject: false });
    const loaded = traced.stderr.split('\n').filter((l) => l.startsWith('loaded ')).map((l) => l.slice('loaded '.length));
    expect(loaded.some((u) => u.includes('/dist/cli-bundle/'))).toBe(true);
    expect(loaded.filter((u) => u.includes('/dist/') && !u.includes('/dist/cli-bundle/') && !u.endsWith('/bin.cjs'))).toEqual([]);
  });

  it('every chunk loads (a chunk no other test reaches would otherwise fail only for the user who needs it)', async () => {
    const dir = path.join(repoRoot, 'dist/cli-bundle');
    const chunks = readdirSync(dir).filter((f) => f.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(5);
    const script = `for (const f of ${JSON.stringify(chunks)}) await import(${JSON.stringify(pathToFileURL(dir).href)} + '/' + f); console.log('loaded');`;
    const r = await execa(process.execPath, ['--input-type=module', '-e', script], { env, reject: false });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('loaded');
  });

  it('gives the same output as the compiled modules it is made from', async () => {
    for (const args of [['--help'], ['doctor', '--list-checks'], ['runtime', '--help'], ['migrate', '--bogus-flag']]) {
      const bundled = await execa(process.execPath, [cliBin, ...args], { env, reject: false });
      const modules = await viaModules(args);
      expect({ code: modules.exitCode, out: modules.stdout, err: modules.stderr }, args.join(' ')).toEqual({ code: bundled.exitCode, out: bundled.stdout, err: bundled.stderr });
    }
  });
});

/**
 * migrate under concurrency and crashes, with real processes on a real disk.
 * HERMES_CODEX_CRASH_TRIALS sets the number of SIGKILL trials (default 200).
 */
import { describe, expect, it } from 'vitest';
import { HERMES_FORWARDED_ENV } from '../../src/config/hermes-behaviour.js';
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'smol-toml';
import { START_MARKER, END_MARKER } from '../../src/migrate/block-render.js';
import { cliBin, repoRoot } from '../helpers/codex.js';

const TRIALS = Number(process.env['HERMES_CODEX_CRASH_TRIALS'] ?? 200);
const USER_TOML = '# my settings\nmodel = "o3"\n\n[features]\nweb_search = true\n\n[projects."/home/me/code"]\ntrust_level = "trusted"\n';
const HERMES_YAML = 'mcp_servers:\n  gh:\n    command: npx\n    env:\n      TOKEN: "${TOKEN}"\n  docs:\n    url: https://docs.example/mcp\n';
const OURS = new Set(['config.toml', '.hermes-codex-memo.json', 'config.toml.hermes-codex.bak', '.hermes-codex-state.json', '.hermes-codex-state.json.bak', 'config.toml.hermes-codex.lock']);

function home(root: string) {
  const codex = path.join(root, 'codex');
  const hermes = path.join(root, 'hermes');
  mkdirSync(codex, { recursive: true, mode: 0o700 });
  mkdirSync(hermes, { recursive: true });
  writeFileSync(path.join(codex, 'config.toml'), USER_TOML);
  writeFileSync(path.join(hermes, 'config.yaml'), HERMES_YAML);
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: root, CODEX_HOME: codex, HERMES_HOME: hermes, NO_COLOR: '1' };
  return { codex, hermes, env, config: path.join(codex, 'config.toml') };
}
const args = ['migrate', '--no-validate', '--no-plugins', '--hermes-python', '/usr/bin/python3', '--json'];

describe('migrate under concurrency', () => {
  it('10 concurrent runs against a file another program keeps adding tables to: all succeed, one block, nothing lost', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hc-concurrent-'));
    try {
      const h = home(root);
      // Another program (it does not take our lock) appending its own tables, checking each stays.
      const writer = execa(process.execPath, ['-e', `
        const fs = require('node:fs');
        const file = ${JSON.stringify(h.config)};
        const deadline = Date.now() + 2500;
        let n = 0, reappended = 0;
        (async () => {
          while (Date.now() < deadline) {
            const name = 'other_' + (n++);
            fs.appendFileSync(file, '\\n[' + name + ']\\nby = "other"\\n');
            await new Promise((r) => setTimeout(r, 15));
          }
          // Its own lost appends (an append into a file being replaced) are put back, like a careful writer would.
          for (let i = 0; i < n; i++) if (!fs.readFileSync(file, 'utf8').includes('[other_' + i + ']')) { fs.appendFileSync(file, '\\n[other_' + i + ']\\nby = "other"\\n'); reappended++; }
          process.stdout.write(JSON.stringify({ n, reappended }));
        })();
      `], { reject: false });
      await new Promise((r) => setTimeout(r, 100));
      const runs = await Promise.all(Array.from({ length: 10 }, () => execa('node', [cliBin, ...args], { env: h.env, extendEnv: false, reject: false })));
      const w = JSON.parse(String((await writer).stdout)) as { n: number; reappended: number };
      for (const r of runs) expect(r.exitCode, String(r.stderr)).toBe(0);
      const final = readFileSync(h.config, 'utf8');
      const doc = parse(final) as Record<string, unknown>;
      expect(final.split(START_MARKER).length - 1).toBe(1);
      expect(final.split(END_MARKER).length - 1).toBe(1);
      expect(doc).toMatchObject({ model: 'o3', features: { web_search: true }, projects: { '/home/me/code': { trust_level: 'trusted' } } });
      expect(doc['mcp_servers']).toMatchObject({ gh: { command: 'npx', env_vars: ['TOKEN', ...HERMES_FORWARDED_ENV] }, docs: { url: 'https://docs.example/mcp' } });
      for (let i = 0; i < w.n; i++) expect(doc[`other_${i}`], `other_${i}`).toEqual({ by: 'other' });
      expect(w.n).toBeGreaterThan(50);
      expect(readdirSync(h.codex).filter((f) => !OURS.has(f))).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('takes over a lock whose holder died', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hc-stale-'));
    try {
      const h = home(root);
      const lock = path.join(h.codex, 'config.toml.hermes-codex.lock');
      // A lock left by a process that no longer runs (pid 2^22 - 1 is beyond Linux's default pid_max).
      writeFileSync(lock, JSON.stringify({ pid: 4194303, host: os.hostname(), startedAt: Date.now(), token: 'dead' }));
      const r = await execa('node', [cliBin, ...args], { env: h.env, extendEnv: false, reject: false });
      expect(r.exitCode, String(r.stderr)).toBe(0);
      expect(readFileSync(h.config, 'utf8')).toContain(START_MARKER);
      expect(existsSync(lock)).toBe(false);

      // A lock file left empty (its writer was killed between creating and filling it) is taken over too.
      writeFileSync(path.join(h.hermes, 'config.yaml'), HERMES_YAML + '  more:\n    command: node\n');
      writeFileSync(lock, '');
      const past = new Date(Date.now() - 10_000);
      utimesSync(lock, past, past);
      const r2 = await execa('node', [cliBin, ...args], { env: h.env, extendEnv: false, reject: false });
      expect(r2.exitCode, String(r2.stderr)).toBe(0);
      expect(readFileSync(h.config, 'utf8')).toContain('[mcp_servers.more]');
      expect(existsSync(lock)).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('migrate under SIGKILL', () => {
  it(`leaves config.toml old or new, never partial or missing, over ${TRIALS} random kills; the backup holds the old; the next run recovers with no temp files left`, async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hc-kill-'));
    try {
      // The expected new content, from an uninterrupted run; its duration (under the same
      // parallel load as the trials) sets the range the kills are drawn from.
      const parallel = 2;
      const refs = await Promise.all(Array.from({ length: parallel }, (_, k) => {
        const h = home(path.join(root, `ref${k}`));
        const t0 = Date.now();
        return execa('node', [cliBin, ...args], { env: h.env, extendEnv: false }).then(() => ({ ms: Date.now() - t0, text: readFileSync(h.config, 'utf8') }));
      }));
      const expectedNew = refs[0]!.text;
      const runMs = Math.max(...refs.map((r) => r.ms));

      let sawOld = 0;
      let sawNew = 0;
      const trial = async (i: number) => {
        const h = home(path.join(root, `t${i}`));
        const child = execa('node', [cliBin, ...args], { env: h.env, extendEnv: false, reject: false });
        const delay = Math.floor(Math.random() * runMs * 1.5);
        const timer = setTimeout(() => child.kill('SIGKILL'), delay);
        await child;
        clearTimeout(timer);
        expect(existsSync(h.config), `trial ${i}: config.toml missing`).toBe(true);
        const text = readFileSync(h.config, 'utf8');
        if (text === USER_TOML) sawOld++;
        else if (text === expectedNew) sawNew++;
        else throw new Error(`trial ${i} (killed after ${delay} ms): config.toml is neither the old nor the new content:\n${text}`);
        const backup = path.join(h.codex, 'config.toml.hermes-codex.bak');
        if (existsSync(backup)) expect(readFileSync(backup, 'utf8'), `trial ${i}: backup`).toBe(USER_TOML);
        // The next run recovers at once: it takes over the dead run's lock, sweeps its temp files, finishes the job.
        const again = await execa('node', [cliBin, ...args], { env: h.env, extendEnv: false, reject: false });
        expect(again.exitCode, `trial ${i}: recovery run: ${again.stderr}`).toBe(0);
        expect(readFileSync(h.config, 'utf8'), `trial ${i}: after recovery`).toBe(expectedNew);
        expect(readdirSync(h.codex).filter((f) => !OURS.has(f) || f.endsWith('.lock')), `trial ${i}: temp files or lock left`).toEqual([]);
        rmSync(path.join(root, `t${i}`), { recursive: true, force: true });
      };
      for (let i = 0; i < TRIALS; i += parallel) await Promise.all(Array.from({ length: Math.min(parallel, TRIALS - i) }, (_, k) => trial(i + k)));
      // The kills landed on both sides of the write, so both outcomes were exercised.
      expect(sawOld + sawNew).toBe(TRIALS);
      expect(sawOld).toBeGreaterThan(0);
      expect(sawNew).toBeGreaterThan(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 300_000);
});

void repoRoot;

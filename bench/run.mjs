#!/usr/bin/env node
// `npm run bench`: speed targets from the issues, measured on this machine.
//  1. Cold start: `hermes-codex --version` vs `node -e 0` (median wall time; target ratio ≤ 1.5).
//  2. `migrate --dry-run` on 10, 100, 1,000 and 10,000 servers: the built CLI end to end
//     (codex validation and plugin discovery off, so the figure is ours) and planMigration() in process
//     (target: linear growth; 1,000 servers well under a second on 2 cores).
// Prints a Markdown table; copy the figures into docs/performance.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/bin.js');
const { planMigration, parseHermesConfig } = await import(join(root, 'dist/index.js'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(cmd, args, env = process.env) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
for (let i = 0; i < 3; i++) time(process.execPath, [cli, '--version']); // warm the file cache
const nodeMs = median(Array.from({ length: RUNS }, () => time(process.execPath, ['-e', '0'])));
const cliMs = median(Array.from({ length: RUNS }, () => time(process.execPath, [cli, '--version'])));

function hermesYaml(n) {
  let s = 'mcp_servers:\n';
  for (let i = 0; i < n; i++) {
    s += i % 2
      ? `  srv${i}:\n    command: npx\n    args: ["-y", "pkg-${i}", "--flag"]\n    env:\n      TOKEN: "\${TOKEN}"\n      MODE: fast\n    timeout: 60\n`
      : `  srv${i}:\n    url: https://mcp${i}.example.com/mcp\n    headers:\n      Authorization: "Bearer \${KEY}"\n      X-Client: hermes\n`;
  }
  return s;
}

const dir = mkdtempSync(join(tmpdir(), 'hermes-codex-bench-'));
const rows = [];
try {
  for (const n of [10, 100, 1000, 10000]) {
    const yamlPath = join(dir, `h${n}.yaml`);
    const codexHome = join(dir, `c${n}`);
    mkdirSync(codexHome);
    const yaml = hermesYaml(n);
    writeFileSync(yamlPath, yaml);
    const args = [cli, 'migrate', '--hermes-config', yamlPath, '--codex-home', codexHome, '--dry-run', '--json', '--no-validate', '--no-plugins', '--hermes-python', '/usr/bin/python3'];
    const cliRuns = n >= 10000 ? 3 : 5;
    const wall = median(Array.from({ length: cliRuns }, () => time(process.execPath, args)));
    const hermes = parseHermesConfig(yaml, yamlPath);
    const inProc = median(
      Array.from({ length: cliRuns }, () => {
        const t0 = performance.now();
        planMigration({ hermes, configPath: join(codexHome, 'config.toml'), existingText: null, state: null, hermesTools: { python: { command: '/usr/bin/python3', source: 'flag' } }, permissions: ':workspace', now: new Date() });
        return performance.now() - t0;
      }),
    );
    // A re-run: the block exists, every entry is owned (the usual case after the first run).
    const input = { hermes, configPath: join(codexHome, 'config.toml'), hermesTools: { python: { command: '/usr/bin/python3', source: 'flag' } }, permissions: ':workspace', now: new Date() };
    const first = planMigration({ ...input, existingText: '[features]\nx = true\n', state: null });
    const rerun = median(
      Array.from({ length: cliRuns }, () => {
        const t0 = performance.now();
        const p = planMigration({ ...input, existingText: first.newText, state: first.newState });
        if (p.changed) throw new Error('re-run changed the file');
        return performance.now() - t0;
      }),
    );
    rows.push({ n, wall, inProc, rerun });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const f = (ms) => `${ms.toFixed(1)} ms`;
console.log(`hermes-codex bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}\n`);
console.log('| cold start | median wall time |');
console.log('|---|---|');
console.log(`| \`node -e 0\` | ${f(nodeMs)} |`);
console.log(`| \`hermes-codex --version\` | ${f(cliMs)} |`);
console.log(`| ratio (target ≤ 1.5) | ${(cliMs / nodeMs).toFixed(2)} |\n`);
console.log('| servers | `migrate --dry-run` (CLI, wall) | planMigration() in process | per server (in process) | re-run over an existing block (in process) |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.n.toLocaleString('en')} | ${f(r.wall)} | ${f(r.inProc)} | ${(r.inProc / r.n * 1000).toFixed(1)} µs | ${f(r.rerun)} |`);

// doctor (no --live) vs codex's own `codex doctor --summary`, same migrated CODEX_HOME.
{
  const dir = mkdtempSync(join(tmpdir(), 'hermes-codex-bench-doctor-'));
  try {
    const codexHome = join(dir, 'codex');
    const hermesHome = join(dir, 'hermes');
    mkdirSync(codexHome);
    mkdirSync(hermesHome);
    writeFileSync(join(hermesHome, 'config.yaml'), readFileSync(join(root, 'fixtures/hermes/config.yaml')));
    const env = {
      ...process.env,
      PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}`,
      CODEX_HOME: codexHome,
      HERMES_HOME: hermesHome,
      RUST_LOG: 'error',
      // Keep codex's own network attempts (plugin catalog, update checks) on this machine.
      HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', ALL_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1',
    };
    spawnSync(process.execPath, [cli, 'migrate', '--no-plugins', '--hermes-python', '/usr/bin/python3'], { env });
    const timeEnv = (cmd, args) => {
      const t0 = performance.now();
      spawnSync(cmd, args, { env, stdio: 'ignore' });
      return performance.now() - t0;
    };
    const codexBin = join(root, 'node_modules/.bin/codex');
    timeEnv(codexBin, ['doctor', '--summary']);
    timeEnv(process.execPath, [cli, 'doctor', '--json']);
    const theirs = [];
    const ours = [];
    for (let i = 0; i < 9; i++) {
      theirs.push(timeEnv(codexBin, ['doctor', '--summary']));
      ours.push(timeEnv(process.execPath, [cli, 'doctor', '--json']));
    }
    console.log('\n| doctor, same migrated CODEX_HOME | median wall time | target |');
    console.log('|---|---|---|');
    console.log(`| \`codex doctor --summary\` | ${f(median(theirs))} | |`);
    console.log(`| \`hermes-codex doctor --json\` (no --live) | ${f(median(ours))} | |`);
    console.log(`| ratio | ${(median(ours) / median(theirs)).toFixed(2)} | ≤ 1.5 |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { throughput, turnOverhead } = await import('./runtime.mjs');
const tp = await throughput();
const turn = await turnOverhead();
console.log('\n| runtime | figure | target |');
console.log('|---|---|---|');
console.log(`| client + session + projector, recorded turn replayed in process | ${Math.round(tp.perSecond).toLocaleString('en')} notifications/s (${tp.notifications.toLocaleString('en')} in total) | ≥ 100,000/s |`);
console.log(`| PONG turn, raw JSON-lines client (bench/raw-turn.mjs) | ${f(turn.raw)} | |`);
console.log(`| PONG turn, \`hermes-codex turn --json\` | ${f(turn.cli)} | |`);
console.log(`| overhead ratio | ${(turn.cli / turn.raw).toFixed(2)} | ≤ 1.2 |`);

#!/usr/bin/env node
// The baseline for migrate's default run: the codex commands migrate runs, run alone on the same
// files, with nothing around them. (1) plugin discovery: spawn `codex app-server` on a CODEX_HOME,
// initialize, one `plugin/list`, end stdin, wait for exit; (2) validation: the written config.toml in
// a fresh CODEX_HOME, `codex app-server --strict-config --print-startup-config`.
// With KEPT_HOME, (1) runs as migrate's discovery does: on KEPT_HOME (kept between runs, so codex's
// own databases and skills are there after the first), with CODEX_HOME's config.toml, plugins/ and
// .tmp/ copied in first (src/codex/private-home.ts, withKeptCodexHome).
// Usage: node raw-codex.mjs CODEX_BIN CODEX_HOME CONFIG_TOML [KEPT_HOME]
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [bin, codexHome, configToml, keptHome] = process.argv.slice(2);
const env = { ...process.env, RUST_LOG: 'warn' };
if (keptHome) {
  mkdirSync(keptHome, { recursive: true, mode: 0o700 });
  for (const name of ['config.toml', 'plugins', '.tmp']) {
    rmSync(join(keptHome, name), { recursive: true, force: true });
    try {
      cpSync(join(codexHome, name), join(keptHome, name), { recursive: true, verbatimSymlinks: true });
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
    }
  }
}
const child = spawn(bin, ['app-server'], { env: { ...env, CODEX_HOME: keptHome ?? codexHome }, stdio: ['pipe', 'pipe', 'ignore'] });
const send = (m) => child.stdin.write(JSON.stringify(m) + '\n');
createInterface({ input: child.stdout }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.id === 1) {
    send({ method: 'initialized' });
    send({ id: 2, method: 'plugin/list', params: {} });
  } else if (m.id === 2) child.stdin.end();
});
send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'raw', title: null, version: '0' }, capabilities: null } });
await new Promise((resolve) => child.once('exit', resolve));

const home = mkdtempSync(join(tmpdir(), 'raw-codex-'));
try {
  writeFileSync(join(home, 'config.toml'), readFileSync(configToml));
  const r = spawnSync(bin, ['app-server', '--strict-config', '--print-startup-config'], { env: { ...env, CODEX_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`codex rejected ${configToml}: ${r.stderr}`);
} finally {
  rmSync(home, { recursive: true, force: true });
}

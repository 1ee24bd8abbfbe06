#!/usr/bin/env node
// The main job on the bundled example: migrate fixtures/hermes/config.yaml into
// a fresh temporary CODEX_HOME, print the diff and the report, then ask the
// pinned codex binary whether it accepts the result. Never touches ~/.codex.
// `--keep` leaves the temporary CODEX_HOME in place for a look.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuild } from './ensure-build.mjs';

ensureBuild();

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const codexHome = mkdtempSync(join(tmpdir(), 'hermes-codex-demo-'));
const env = { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}`, RUST_LOG: 'warn' };
delete env.CODEX_HOME;

const run = (args) => spawnSync(process.execPath, [join(root, 'dist/cli/bin.cjs'), ...args], { env, stdio: 'inherit' });
console.log(`$ hermes-codex migrate --hermes-config fixtures/hermes/config.yaml --codex-home ${codexHome} --diff\n`);
const migrated = run([
  'migrate',
  '--hermes-config', join(root, 'fixtures/hermes/config.yaml'),
  '--codex-home', codexHome,
  '--hermes-root', join(codexHome, 'no-hermes-install'),
  '--diff',
]);

console.log(`\n$ CODEX_HOME=${codexHome} codex app-server --print-startup-config`);
let verdict = 1;
try {
  const out = execFileSync(join(root, 'node_modules/.bin/codex'), ['app-server', '--print-startup-config'], {
    env: { ...env, CODEX_HOME: codexHome },
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString();
  console.log(out.trim());
  console.log('codex accepts the migrated config.toml');
  verdict = 0;
} catch (err) {
  console.log(String(err.stdout ?? err.message).trim());
  console.log('codex REJECTS the migrated config.toml');
}
if (process.argv.includes('--keep')) console.log(`\nKept ${codexHome}`);
else rmSync(codexHome, { recursive: true, force: true });
process.exit(migrated.status || verdict);

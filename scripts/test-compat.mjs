#!/usr/bin/env node
// `npm run test:compat [-- VERSION ...]`: the codex version matrix (test/compat). Without
// versions, the default list (the floor, a middle release, the boundary releases and the pin);
// with versions, the per-version suite on exactly those (each installed from npm into the cache
// outside the repository, see test/helpers/codex-versions.ts). The versions reach the tests as
// HERMES_CODEX_VERSIONS (comma-separated), which may also be set directly.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const versions = process.argv.slice(2);
const bad = versions.find((v) => !/^\d+\.\d+\.\d+$/.test(v));
if (bad !== undefined) {
  console.error(`test:compat takes codex versions such as 0.171.0, not ${JSON.stringify(bad)}`);
  process.exit(2);
}
const env = { ...process.env, ...(versions.length ? { HERMES_CODEX_VERSIONS: versions.join(',') } : {}) };
const r = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/compat'], { cwd: root, env, stdio: 'inherit' });
process.exit(r.status ?? 1);

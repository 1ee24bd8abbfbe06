#!/usr/bin/env node
// `npm run gen:protocol`: regenerate the app-server protocol types from the pinned
// codex binary (`codex app-server generate-ts`) into src/runtime/protocol/generated.
// The generator writes extension-less relative imports; they are rewritten to `.js`
// so the files compile under NodeNext module resolution. `--check DIR` writes to DIR
// instead (used by the test that keeps the committed types current).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const checkIdx = process.argv.indexOf('--check');
const outDir = checkIdx !== -1 ? process.argv[checkIdx + 1] : join(root, 'src/runtime/protocol/generated');
const codex = join(root, 'node_modules/.bin/codex');
const raw = mkdtempSync(join(tmpdir(), 'codex-gen-'));
try {
  const version = execFileSync(codex, ['--version'], { env: { ...process.env, RUST_LOG: 'error' } }).toString().trim();
  execFileSync(codex, ['app-server', 'generate-ts', '--out', raw], { env: { ...process.env, RUST_LOG: 'error' }, stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(outDir, { recursive: true, force: true });
  const walk = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
  for (const file of walk(raw)) {
    const rel = relative(raw, file);
    // A specifier naming a directory means its index.
    const resolveSpec = (spec) => {
      const target = join(dirname(file), spec);
      try {
        if (statSync(target).isDirectory()) return `${spec}/index.js`;
      } catch {}
      return `${spec}.js`;
    };
    let text = readFileSync(file, 'utf8').replace(/from "(\.{1,2}\/[^"]+)"/g, (_m, spec) => `from "${resolveSpec(spec)}"`);
    if (rel === 'index.ts') text = `// Generated from ${version} by scripts/gen-protocol.mjs.\n` + text;
    mkdirSync(dirname(join(outDir, rel)), { recursive: true });
    writeFileSync(join(outDir, rel), text);
  }
  writeFileSync(join(outDir, 'CODEX_VERSION'), version.replace(/^codex-cli /, '') + '\n');
  console.log(`wrote ${walk(outDir).length} files for ${version} to ${relative(root, outDir) || outDir}`);
} finally {
  rmSync(raw, { recursive: true, force: true });
}

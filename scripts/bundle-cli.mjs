#!/usr/bin/env node
/**
 * Bundles the compiled CLI (dist/cli/main.js and everything it imports,
 * dependencies included) into dist/cli-bundle/, one chunk per lazily loaded
 * part, so a command loads a few files instead of a few hundred: Node's
 * module loader cost about 100 ms per command on the project's machine
 * (execa alone: 100+ files, ~120 ms; bundled, ~28 ms). See docs/performance.md.
 * The library (dist/index.js) is not bundled. yargs and yaml are left to
 * Node (they are loaded through createRequire), as is the codex binary.
 * Run by `npm run build`, after tsc.
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/cli-bundle');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'dist/cli/main.js')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['yargs', 'yaml'],
  // CommonJS dependencies bundled into ES modules still call require() for Node's built-ins,
  // and read __filename/__dirname (write-file-atomic names its temporary files with them).
  banner: {
    js: [
      "import { createRequire as __hermesCodexRequire } from 'node:module';",
      "import { fileURLToPath as __hermesCodexPath } from 'node:url';",
      'const require = __hermesCodexRequire(import.meta.url);',
      'const __filename = __hermesCodexPath(import.meta.url);',
      "const __dirname = __hermesCodexPath(new URL('.', import.meta.url));",
    ].join(' '),
  },
  define: { __HERMES_CODEX_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
  legalComments: 'none',
});

#!/usr/bin/env node
/**
 * Bundles the library (dist/index.js and everything it imports, dependencies
 * included) into one ES module, dist/lib/index.js, and its declarations into
 * one file, dist/lib/index.d.ts (dts-bundle-generator, from the .d.ts files tsc
 * wrote). The package ships these two and the CLI bundle, not the compiled
 * modules: an installed hermes-codex needs no dependency at all, and a library
 * user loads one copy of each module (package.json `files`, docs/ci.md).
 *
 * Run by `npm run build`, after tsc and the CLI bundle.
 */
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { commonJsRequires, root, sourcesDigest, version } from './bundle-plugins.mjs';

const outdir = join(root, 'dist/lib');
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

await build({
  entryPoints: [join(root, 'dist/index.js')],
  outfile: join(outdir, 'index.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  charset: 'ascii',
  plugins: [commonJsRequires],
  define: { __HERMES_CODEX_VERSION__: JSON.stringify(version), __HERMES_CODEX_BUILD__: JSON.stringify(sourcesDigest()) },
  // The CommonJS dependencies inside require() Node's own modules; an ES module has no require of its own.
  banner: { js: `// hermes-codex ${version}\nimport { createRequire as __hermesCodexCreateRequire } from 'node:module';\nconst require = __hermesCodexCreateRequire(import.meta.url);` },
  logLevel: 'warning',
  legalComments: 'none',
});

// dts-bundle-generator is CommonJS; it reads tsconfig.build.json for the compiler options.
const { generateDtsBundle } = createRequire(import.meta.url)('dts-bundle-generator');
const [declarations] = generateDtsBundle([{ filePath: join(root, 'dist/index.d.ts'), output: { noBanner: true } }], { preferredConfigPath: join(root, 'tsconfig.build.json') });
writeFileSync(join(outdir, 'index.d.ts'), `// hermes-codex ${version}\n${declarations}`);

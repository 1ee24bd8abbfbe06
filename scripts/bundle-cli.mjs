#!/usr/bin/env node
/**
 * Bundles the compiled CLI (dist/cli/main.js and everything it imports,
 * dependencies included) into one CommonJS file, dist/cli-bundle/cli.cjs,
 * which dist/cli/bin.cjs runs through a V8 code cache (src/cli/compile-cache.cts).
 * One file, because Node's module loader cost about 100 ms per command on
 * the project's machine (execa alone: 100+ files); CommonJS, because Node 20
 * has no code cache for ES modules, and compiling the bundle was most of what
 * remained (see docs/performance.md). Lazily imported parts stay lazy: esbuild
 * runs a dynamically imported module's body on first import, not at load.
 * The library has its own bundle (scripts/bundle-lib.mjs); the codex binary is not touched.
 *
 * The file is the bundle inside the CommonJS wrapper it runs in
 * (`(function (exports, require, module, __filename, __dirname) {` … `})`,
 * `WRAPPER_HEAD` in compile-cache.cts), so it is compiled as read. Its first
 * line, after the wrapper's head, names the build: `// hermes-codex <version> build <16 hex>`,
 * a SHA-256 prefix of the bundle's text. The code cache is keyed by it,
 * because V8 checks a cache against the source's length only.
 *
 * Run by `npm run build`, after tsc.
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cliuiWrapAnsi, commonJsRequires, root, sourcesDigest, version, yargsAssert } from './bundle-plugins.mjs';

const outdir = join(root, 'dist/cli-bundle');
/** The wrapper's head, from the loader that runs the bundle (tsc has compiled it by now). */
const { WRAPPER_HEAD } = createRequire(import.meta.url)('../dist/cli/compile-cache.cjs');

/**
 * Dependencies that only some paths use, each in a file of its own beside the bundle (`<name>.cjs`),
 * loaded through the same code cache when the bundle first requires it (`hermes-codex-chunk:<name>`,
 * compile-cache.cts): every start reads about half as much (the `yaml` package for the full YAML
 * reading and config.yaml edits, execa for codex's and Python's short processes, yargs for command
 * lines plain-args.ts does not read). Each maps the specifier our compiled modules use to the chunk's entry.
 */
const CHUNKS = [
  { name: 'yaml', specifier: 'yaml', entry: "module.exports = require('yaml');" },
  { name: 'execa', specifier: 'execa', entry: "export * from 'execa';" },
  { name: 'yargs', specifier: 'yargs/yargs', entry: "module.exports = require('yargs/yargs');" },
];
const CHUNK_PREFIX = 'hermes-codex-chunk:';
/** In the bundle, our modules' imports of a chunked dependency become a require() the loader answers with the chunk. */
const chunked = {
  name: 'chunked-dependencies',
  setup(b) {
    const bySpecifier = new Map(CHUNKS.map((c) => [c.specifier, c]));
    const filter = new RegExp(`^(?:${CHUNKS.map((c) => c.specifier.replace(/[/]/g, '\\/')).join('|')})$`);
    b.onResolve({ filter }, (args) => {
      const chunk = bySpecifier.get(args.path);
      // Only our compiled modules' imports: inside a chunk (or a dependency) the package is itself.
      if (!chunk || !/[\\/]dist[\\/]/.test(args.importer) || /[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
      return { path: chunk.name, namespace: 'hermes-codex-chunk' };
    });
    b.onLoad({ filter: /.*/, namespace: 'hermes-codex-chunk' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(CHUNK_PREFIX + args.path)});`, loader: 'js' }));
    b.onResolve({ filter: /^hermes-codex-chunk:/ }, (args) => ({ path: args.path, external: true }));
  },
};

const common = {
  write: false,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  charset: 'ascii',
  define: { __HERMES_CODEX_VERSION__: JSON.stringify(version), __HERMES_CODEX_BUILD__: JSON.stringify(sourcesDigest()), 'import.meta.url': '__hermesCodexModuleUrl' },
  logLevel: 'warning',
  legalComments: 'none',
  // Whitespace only: 28% less to read at every start (about 1 ms, measured); names stay, so an
  // internal error's stack still names its functions (its columns point into long lines of this build).
  minifyWhitespace: true,
};
const result = await build({ ...common, entryPoints: [join(root, 'dist/cli/main.js')], plugins: [commonJsRequires, chunked, yargsAssert, cliuiWrapAnsi] });
const chunks = await Promise.all(
  CHUNKS.map(async (c) => ({ ...c, result: await build({ ...common, stdin: { contents: c.entry, resolveDir: root, loader: 'js', sourcefile: `${c.name}-chunk.js` }, plugins: [yargsAssert, cliuiWrapAnsi] }) })),
);

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
writeBundle('cli.cjs', result.outputFiles[0].text, { strict: 'keep' });
// A chunk of CommonJS packages keeps each module's own "use strict" inside its wrapper; an ES module's is strict.
for (const c of chunks) writeBundle(`${c.name}.cjs`, c.result.outputFiles[0].text, { strict: c.entry.startsWith('export ') ? 'add' : 'none' });

/**
 * Writes one bundle file: checked, its module URL declared, its build named, inside the wrapper.
 * `strict`: `keep` (it must start with "use strict"), `add` (it is made strict), `none` (left as it is).
 */
function writeBundle(file, out, { strict: mode }) {
  // The module URL the compiled code reads, declared after the bundle's "use strict" (a line before it would
  // turn the directive into a plain string and the whole CLI into sloppy mode).
  const STRICT = /^"use strict";\n?/;
  const found = STRICT.exec(out);
  if (!found && mode === 'keep') throw new Error(`${file}: the bundle does not start with "use strict"`);
  const strict = found ? found[0] : '';
  // esbuild keeps `import('node:…')` of a built-in as a real dynamic import, which fails at run time in a
  // script run by vm.Script (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING): built-ins are loaded with
  // process.getBuiltinModule() or a static import instead. Bundled modules' imports become Promise.resolve().
  const dynamicImport = /\bimport\(\s*["'`]/.exec(out);
  if (dynamicImport) {
    const line = out.slice(0, dynamicImport.index).split('\n').length;
    throw new Error(`${file}: the bundle keeps a dynamic import() at line ${line} (${out.slice(dynamicImport.index, dynamicImport.index + 40)}): it cannot run under vm.Script`);
  }
  const body = `${found || mode === 'add' ? '"use strict";\n' : ''}var __hermesCodexModuleUrl = require('node:url').pathToFileURL(__filename).href;\n${out.slice(strict.length)}`;
  const buildId = createHash('sha256').update(body).digest('hex').slice(0, 16);
  // Written inside the CommonJS wrapper compile-cache.cts runs it in (WRAPPER_HEAD there), so the text read
  // at every start is compiled as it is, without a copy.
  writeFileSync(join(outdir, file), `${WRAPPER_HEAD}// hermes-codex ${version} build ${buildId}\n${body}\n})`);
}

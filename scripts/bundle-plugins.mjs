/**
 * esbuild plugins shared by the CLI bundle (scripts/bundle-cli.mjs) and the
 * library bundle (scripts/bundle-lib.mjs).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// The compiled modules load yargs' and yaml's CommonJS builds through createRequire (yargs' ES
// module build wraps help lines inside words). In a bundle those calls become plain require()
// so esbuild bundles the same CommonJS builds. Each named file must hold the call: a refactor that
// moves it fails the build here instead of silently loading the package from node_modules.
const REQUIRE_CALL = 'createRequire(import.meta.url)(';
const REWRITTEN = ['dist/cli/main.js', 'dist/cli/commands/turn.js', 'dist/config/hermes-config.js'];
export const commonJsRequires = {
  name: 'common-js-requires',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, (args) => {
      const rel = relative(root, args.path).split('\\').join('/');
      if (!REWRITTEN.includes(rel)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(REQUIRE_CALL)) throw new Error(`${rel}: expected ${REQUIRE_CALL}…) to rewrite for the bundle`);
      return { contents: text.replaceAll(REQUIRE_CALL, 'require('), loader: 'js' };
    });
  },
};

// yargs loads node:assert for two internal checks; the bundle gives it a shim with those two
// functions (scripts/bundle-shims/assert.cjs) instead of loading node:assert (about 1.8 ms).
export const yargsAssert = {
  name: 'yargs-assert',
  setup(b) {
    b.onResolve({ filter: /^assert$/ }, (args) => (/[\\/]node_modules[\\/]yargs[\\/]/.test(args.importer) ? { path: join(root, 'scripts/bundle-shims/assert.cjs') } : undefined));
  },
};

// cliui requires wrap-ansi (and through it ansi-styles, which builds its tables at load) when yargs
// loads; the bundle gives cliui a shim that requires it on first use (scripts/bundle-shims/wrap-ansi-lazy.cjs).
export const cliuiWrapAnsi = {
  name: 'cliui-wrap-ansi',
  setup(b) {
    b.onResolve({ filter: /^wrap-ansi$/ }, (args) => (/[\\/]node_modules[\\/]cliui[\\/]/.test(args.importer) ? { path: join(root, 'scripts/bundle-shims/wrap-ansi-lazy.cjs') } : undefined));
  },
};

/** The package version, which both bundles carry as `__HERMES_CODEX_VERSION__` (src/core/version.ts). */
export const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

/**
 * A digest of what the bundles are built from (every compiled module under dist/ but the bundles
 * themselves, and package-lock.json for the dependencies bundled in), which both carry as
 * `__HERMES_CODEX_BUILD__`: migrate's no-change memo is keyed by it (src/migrate/memo.ts), so a
 * rebuilt hermes-codex never trusts what an older build planned. 16 hex digits of SHA-256.
 */
export function sourcesDigest() {
  const h = createHash('sha256');
  const dist = join(root, 'dist');
  const files = readdirSync(dist, { recursive: true })
    .map((f) => String(f).split('\\').join('/'))
    .filter((f) => f.endsWith('.js') && !f.startsWith('cli-bundle/') && !f.startsWith('lib/'))
    .sort();
  for (const f of [...files.map((f) => join(dist, f)), join(root, 'package-lock.json')]) {
    h.update(`${relative(root, f)}\0`).update(readFileSync(f)).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * The package version: written into the CLI and library bundles at build
 * time (scripts/bundle-cli.mjs, bundle-lib.mjs), else read once from
 * package.json next to `dist/`.
 */
import { readFileSync } from 'node:fs';

declare const __HERMES_CODEX_VERSION__: string | undefined;

let cached: string | undefined;

/** hermes-codex's own version (e.g. `0.1.0`). */
export function toolVersion(): string {
  if (cached === undefined) {
    cached =
      typeof __HERMES_CODEX_VERSION__ === 'string'
        ? __HERMES_CODEX_VERSION__
        : (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  }
  return cached;
}

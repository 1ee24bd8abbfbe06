/**
 * Published codex releases for the version matrix: the pinned devDependency, or an npm
 * install into a cache outside the repository (scripts/codex-cache.mjs, shared with
 * `npm run probe:codex`), made once and reused between runs.
 */
import { installCodex as install } from '../../scripts/codex-cache.mjs';

/** The codex binary of a version (installed from npm into the cache when it is not the pin). */
export async function installCodex(version: string): Promise<string> {
  return install(version);
}

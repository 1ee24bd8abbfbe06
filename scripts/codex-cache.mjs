// Published codex releases, installed from npm into a cache outside the repository
// (`$HERMES_CODEX_COMPAT_CACHE`, else `$XDG_CACHE_HOME/hermes-codex/codex`, else
// `~/.cache/hermes-codex/codex`), once per version; the pinned devDependency for the pin.
// Used by the version matrix (test/helpers/codex-versions.ts) and `npm run probe:codex`.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CODEX_CACHE = process.env.HERMES_CODEX_COMPAT_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'hermes-codex', 'codex');
export const PINNED_CODEX = path.join(root, 'node_modules', '.bin', 'codex');

/** `codex --version`'s X.Y.Z for a binary, or null (run on a scratch CODEX_HOME: it creates tmp/ there). */
export function versionOfCodex(bin) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'hc-v-'));
  try {
    const out = execFileSync(bin, ['--version'], { env: { ...process.env, CODEX_HOME: home, RUST_LOG: 'error' }, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    return /(\d+\.\d+\.\d+)/.exec(out)?.[1] ?? null;
  } catch {
    return null;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * The codex binary of `version`: the pinned one when it is that version, else an npm install
 * in the cache (made once; installs of several versions may run at once). Rejects when npm cannot install it or it reports another version.
 */
export async function installCodex(version) {
  if (versionOfCodex(PINNED_CODEX) === version) return PINNED_CODEX;
  const dir = path.join(CODEX_CACHE, version);
  const bin = path.join(dir, 'node_modules', '.bin', 'codex');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    await promisify(execFile)('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, `@openai/codex@${version}`]);
  }
  const got = versionOfCodex(bin);
  if (got !== version) throw new Error(`${bin} reports ${got ?? 'no version'}, not ${version}`);
  return bin;
}

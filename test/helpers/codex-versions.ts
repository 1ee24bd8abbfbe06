/**
 * Published codex releases for the version matrix: the pinned devDependency, or an npm
 * install into a cache outside the repository (made once, reused between runs).
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { codexBin as pinnedBin } from './codex.js';
import { TESTED_CODEX_VERSION } from '../../src/codex/capabilities.js';

/** Where releases are installed: `$HERMES_CODEX_COMPAT_CACHE`, else `$XDG_CACHE_HOME/hermes-codex/codex` (`~/.cache/…`). */
export const CODEX_CACHE = process.env['HERMES_CODEX_COMPAT_CACHE'] ?? path.join(process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'), 'hermes-codex', 'codex');

/** The codex binary of a version: the pinned devDependency, or an npm install in the cache (made once); checks `--version`. */
export async function installCodex(version: string): Promise<string> {
  if (version === TESTED_CODEX_VERSION) return pinnedBin;
  const dir = path.join(CODEX_CACHE, version);
  const bin = path.join(dir, 'node_modules', '.bin', 'codex');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    await execa('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, `@openai/codex@${version}`], { stdio: 'ignore' });
  }
  const v = await execa(bin, ['--version'], { reject: false, env: { ...process.env, CODEX_HOME: mkdtempSync(path.join(os.tmpdir(), 'hc-v-')) } });
  expect(String(v.stdout)).toContain(version);
  return bin;
}

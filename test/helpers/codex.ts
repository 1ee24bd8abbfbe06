/**
 * The real, pinned codex binary and throwaway homes for end-to-end tests.
 * Tests never touch the user's HOME, CODEX_HOME or HERMES_HOME.
 */
import { execa } from 'execa';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const codexBin = path.join(repoRoot, 'node_modules/.bin/codex');
export const cliBin = path.join(repoRoot, 'dist/cli/bin.cjs');
export const fixture = (p: string) => path.join(repoRoot, 'fixtures', p);

/**
 * Environment that keeps every codex network attempt on this machine: codex's git and
 * HTTP clients honour proxy variables, so any sync it tries (its curated plugin catalog
 * when plugins are on) fails at a closed loopback port; 127.0.0.1 (the mock model) is direct.
 */
export const OFFLINE_ENV: Record<string, string> = Object.fromEntries(
  ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'https_proxy', 'http_proxy', 'all_proxy']
    .map((k) => [k, 'http://127.0.0.1:9'])
    .concat([['NO_PROXY', '127.0.0.1,localhost'], ['no_proxy', '127.0.0.1,localhost']]),
);

export interface Sandbox {
  root: string;
  home: string;
  hermesHome: string;
  codexHome: string;
  /** Environment for child processes: PATH with the pinned codex first, temp HOME, no inherited Codex/Hermes vars. */
  env: Record<string, string>;
  cleanup(): void;
}

export function sandbox(): Sandbox {
  const root = mkdtempSync(path.join(os.tmpdir(), 'hermes-codex-test-'));
  const home = path.join(root, 'home');
  const hermesHome = path.join(home, '.hermes');
  const codexHome = path.join(root, 'codex-home');
  for (const d of [home, hermesHome, codexHome]) mkdirSync(d, { recursive: true, mode: 0o700 });
  const env: Record<string, string> = {
    PATH: `${path.join(repoRoot, 'node_modules/.bin')}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    HOME: home,
    HERMES_HOME: hermesHome,
    CODEX_HOME: codexHome,
    RUST_LOG: 'warn',
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
    // Plugin discovery's kept CODEX_HOMEs, inside the sandbox (removed with it).
    HERMES_CODEX_DISCOVERY_HOME: path.join(root, 'discovery-homes'),
    ...OFFLINE_ENV,
  };
  return { root, home, hermesHome, codexHome, env, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Run the built CLI. */
export async function runCli(args: string[], env: Record<string, string>, cwd = repoRoot) {
  return execa('node', [cliBin, ...args], { env, extendEnv: false, reject: false, cwd });
}

/** Run the pinned codex with an environment. */
export async function runCodex(args: string[], env: Record<string, string>) {
  return execa(codexBin, args, { env, extendEnv: false, reject: false, stdin: 'ignore' });
}

/** Codex's own loader verdict on a CODEX_HOME: exit 0 and a JSON line, or the error JSON. */
export async function codexAccepts(codexHome: string, env: Record<string, string>): Promise<{ ok: boolean; stdout: string }> {
  const r = await runCodex(['app-server', '--print-startup-config'], { ...env, CODEX_HOME: codexHome });
  return { ok: r.exitCode === 0 && String(r.stdout).includes('appServerVersion'), stdout: String(r.stdout) };
}

/**
 * codex version checks. `codex --version` prints `codex-cli X.Y.Z`
 * (shared/codex-field-notes.md). hermes-codex needs at least
 * {@link SUPPORTED_FLOOR} (the first release that loads what migrate
 * writes; see codex/capabilities.ts) and is tested against the pinned
 * devDependency; newer versions work but are marked untested.
 */
import { CodexVersionError } from './errors.js';
import { withScratchCodexHome } from '../codex/private-home.js';
import type { RunCommand } from '../core/process.js';
import { codexNotFound, codexSpawnEnv } from '../codex/binary.js';

import { compareVersions, parseCodexVersion, SUPPORTED_FLOOR, TESTED_CODEX_VERSION, untestedNote } from '../codex/capabilities.js';

export { compareVersions, parseCodexVersion, TESTED_CODEX_VERSION };
/** The oldest supported codex (see codex/capabilities.ts). */
export const MIN_CODEX_VERSION = SUPPORTED_FLOOR;


/**
 * The codex version from the `initialize` reply's `userAgent`
 * (`<clientName>/<codexVersion> (<os>; <arch>) …`, codex 0.169), or null
 * when it carries none.
 */
export function versionFromUserAgent(userAgent: unknown): string | null {
  if (typeof userAgent !== 'string') return null;
  const m = /^[^/\s]+\/(\d+)\.(\d+)\.(\d+)(?:[-+][\w.]+)?(?:\s|$)/.exec(userAgent);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : null;
}

export interface CodexVersionInfo {
  version: string;
  /** `ok` (≤ tested), `untested` (newer than tested: a warning, not a failure). */
  status: 'ok' | 'untested';
  warning?: string;
}

const INSTALL_HINT = `Install or upgrade with \`npm i -g @openai/codex@${TESTED_CODEX_VERSION}\` (or pass --codex-bin).`;

/** Judge a parsed version. @throws CodexVersionError below the minimum */
export function judgeVersion(version: string, bin: string): CodexVersionInfo {
  if (compareVersions(version, MIN_CODEX_VERSION) < 0) {
    throw new CodexVersionError(
      `codex ${version} (${bin}) is too old: hermes-codex needs ${MIN_CODEX_VERSION} or newer (the first release that loads the managed block it writes: ${version} refuses default_permissions without a [permissions] table)`,
      { remediation: INSTALL_HINT },
    );
  }
  if (compareVersions(version, TESTED_CODEX_VERSION) > 0) {
    return { version, status: 'untested', warning: untestedNote(version) };
  }
  return { version, status: 'ok' };
}

/**
 * Run `codex --version` once and judge it.
 * @throws CodexVersionError when codex cannot be run, prints no version, or is too old
 */
export async function checkCodexVersion(run: RunCommand, bin: string, env: Record<string, string | undefined>): Promise<CodexVersionInfo> {
  // On an empty private CODEX_HOME: `codex --version` creates `tmp/` in the one it is given.
  const r = await withScratchCodexHome((home) =>
    run(bin, ['--version'], { env: { ...env, ...codexSpawnEnv(bin), CODEX_HOME: home, RUST_LOG: env['RUST_LOG'] ?? 'error' }, timeoutMs: 15_000 }),
  );
  if (r.failure?.kind === 'not-found') throw codexNotFound(bin);
  if (r.failure) throw new CodexVersionError(`could not run ${bin} --version: ${r.failure.message}`, { remediation: INSTALL_HINT });
  const parsed = parseCodexVersion(r.stdout);
  if (!parsed) {
    throw new CodexVersionError(`${bin} --version printed no version (${JSON.stringify(r.stdout.trim().slice(0, 80))})`, { remediation: INSTALL_HINT });
  }
  return judgeVersion(parsed.version, bin);
}

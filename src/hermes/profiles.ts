/**
 * Per-profile Codex state. A Hermes profile (`<root>/profiles/NAME/`) can
 * have its own CODEX_HOME at `<root>/profiles/NAME/codex`; otherwise it
 * shares the default one (`$CODEX_HOME` or `~/.codex`). Codex state is
 * isolated through CODEX_HOME only: HOME stays real, so git, gh and other
 * tools keep finding their own config. `auth.json` is never copied between
 * homes: refresh tokens rotate, and two copies of one login break each other.
 */
import { loginState, type LoginState } from '../codex/login.js';
import { resolveEffects, type EffectOptions } from '../effects.js';
import * as path from 'node:path';
import { LocationError } from '../errors.js';
import { codexLoginCommand, exportCodexHomeLine } from '../hints.js';
import { defaultCodexHomePath, hermesRoot, listProfiles, ownProfileCodexHome, profileCodexHomePath, resolveHermesConfig } from '../paths.js';
import { migrate, type MigrateOptions } from '../migrate/migrate.js';
import type { MigrationReport } from '../migrate/report.js';
import { inspectManagedBlock, type BlockState } from '../migrate/inspect.js';

export { loginState, type LoginState };

export interface ProfileOptions extends EffectOptions {
  hermesRoot?: string;
  codexBin?: string;
  migrate?: Pick<MigrateOptions, 'hermesPython' | 'plugins' | 'discover' | 'validateWithCodex' | 'tmpRoots'>;
}


export interface ProfileRow {
  name: string;
  dir: string;
  codexHome: string;
  isolated: boolean;
  login: LoginState;
  block: BlockState;
}

/** Every profile with its CODEX_HOME, isolation, login and managed-block state. */
export async function listProfileRows(opts: ProfileOptions = {}): Promise<ProfileRow[]> {
  const { fs, e } = resolveEffects(opts);
  const root = hermesRoot(e, opts.hermesRoot);
  const defaultHome = defaultCodexHomePath(e);
  const rows: ProfileRow[] = [];
  for (const name of await listProfiles(fs, root)) {
    const dir = path.join(root, 'profiles', name);
    const own = await ownProfileCodexHome(fs, root, name);
    const isolated = own !== null;
    const codexHome = own ?? defaultHome;
    const hasConfig = (await fs.stat(path.join(dir, 'config.yaml')).catch(() => null))?.isFile() ?? false;
    const inspection = hasConfig
      ? await inspectManagedBlock(codexHome, { profile: name, hermesRoot: root, ...(opts.codexBin ? { codexBin: opts.codexBin } : {}), env: e.env, home: e.home, cwd: e.cwd, fs }).catch(() => null)
      : null;
    const block: BlockState = inspection?.state ?? 'unknown';
    rows.push({ name, dir, codexHome, isolated, login: await loginState(fs, codexHome, e.env), block });
  }
  return rows;
}

export interface SetupReport {
  schemaVersion: 1;
  profile: string;
  codexHome: string;
  created: boolean;
  migration: MigrationReport;
  login: LoginState;
  exportLine: string;
  loginCommand: string;
}

/**
 * Give a profile its own CODEX_HOME (`<root>/profiles/NAME/codex`, 0700) and
 * migrate the profile's config.yaml into it. Re-running is safe. auth.json is
 * never copied.
 * @throws LocationError for a profile that does not exist (listing the existing ones)
 */
export async function setupProfile(name: string, opts: ProfileOptions = {}): Promise<SetupReport> {
  const { fs, e } = resolveEffects(opts);
  // Throws, listing the existing profiles, when this one does not exist.
  await resolveHermesConfig(fs, e, { profile: name, ...(opts.hermesRoot ? { hermesRoot: opts.hermesRoot } : {}) });
  const codexHome = profileCodexHomePath(hermesRoot(e, opts.hermesRoot), name);
  const st = await fs.lstat(codexHome).catch(() => null);
  if (st && !st.isDirectory()) {
    throw new LocationError(`${codexHome} exists but is not a directory`, { location: { file: codexHome }, remediation: 'Move it away, then run profile setup again.' });
  }
  if (!st) await fs.mkdir(codexHome, { recursive: true, mode: 0o700 });
  const migration = await migrate({
    profile: name,
    ...(opts.hermesRoot ? { hermesRoot: opts.hermesRoot } : {}),
    codexHome,
    ...(opts.codexBin ? { codexBin: opts.codexBin } : {}),
    ...opts.migrate,
    env: e.env,
    home: e.home,
    cwd: e.cwd,
    fs,
    ...(opts.run ? { run: opts.run } : {}),
  });
  return {
    schemaVersion: 1,
    profile: name,
    codexHome,
    created: !st,
    migration,
    login: await loginState(fs, codexHome, e.env),
    exportLine: exportCodexHomeLine(codexHome),
    loginCommand: codexLoginCommand(codexHome),
  };
}

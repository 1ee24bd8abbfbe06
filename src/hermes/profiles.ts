/**
 * Per-profile Codex state. A Hermes profile (`<root>/profiles/NAME/`) can
 * have its own CODEX_HOME at `<root>/profiles/NAME/codex`; otherwise it
 * shares the default one (`$CODEX_HOME` or `~/.codex`). Codex state is
 * isolated through CODEX_HOME only: HOME stays real, so git, gh and other
 * tools keep finding their own config. `auth.json` is never copied between
 * homes: refresh tokens rotate, and two copies of one login break each other.
 */
import { loginState, type LoginState } from '../codex/login.js';
import { resolveWorkspace, withLocations, type WorkspaceOptions } from '../core/workspace.js';
import * as path from 'node:path';
import { LocationError } from '../core/errors.js';
import { codexApiKeyLoginCommand, codexLoginCommand, exportCodexHomeLine } from '../core/hints.js';
import { canonicalProfileName, defaultCodexHomePath, hermesRoot, listProfiles, ownProfileCodexHome, profileCodexHomePath, resolveHermesConfig } from '../core/paths.js';
import { migrate, type MigrateOptions } from '../migrate/migrate.js';
import type { MigrationReport } from '../migrate/report.js';
import { inspectManagedBlock, type BlockState } from '../migrate/inspect.js';

export { loginState, type LoginState };

/**
 * The workspace (or the options to resolve one from). Of its locations,
 * `hermesRoot` and `codexBin` apply; each profile brings its own config.yaml
 * and CODEX_HOME.
 */
export interface ProfileOptions extends WorkspaceOptions {
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
  const ws = resolveWorkspace(opts);
  const { fs, e } = ws;
  const root = hermesRoot(e, ws.locations.hermesRoot);
  const defaultHome = defaultCodexHomePath(e);
  const rows: ProfileRow[] = [];
  for (const name of await listProfiles(fs, root)) {
    const dir = path.join(root, 'profiles', name);
    const own = await ownProfileCodexHome(fs, root, name);
    const isolated = own !== null;
    const codexHome = own ?? defaultHome;
    const hasConfig = (await fs.stat(path.join(dir, 'config.yaml')).catch(() => null))?.isFile() ?? false;
    const inspection = hasConfig
      ? await inspectManagedBlock(codexHome, { workspace: withLocations(ws, { profile: name, hermesRoot: root, hermesConfig: undefined, codexHome: undefined }) }).catch(() => null)
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
  /** The same login with an API key on stdin (codex app-server reads no key from its environment). */
  apiKeyLoginCommand: string;
}

/**
 * Give a profile its own CODEX_HOME (`<root>/profiles/NAME/codex`, 0700) and
 * migrate the profile's config.yaml into it. Re-running is safe. auth.json is
 * never copied.
 * @throws LocationError for a profile that does not exist (listing the existing ones)
 */
export async function setupProfile(given: string, opts: ProfileOptions = {}): Promise<SetupReport> {
  const ws = resolveWorkspace(opts);
  const { fs, e } = ws;
  const name = canonicalProfileName(given);
  if (name === 'default') {
    throw new LocationError('the default profile (the Hermes root itself) uses the shared CODEX_HOME; profile setup gives a named profile one of its own', {
      remediation: 'Migrate the default profile with `hermes-codex migrate`; name a profile from `hermes-codex profile list` to give it its own CODEX_HOME.',
    });
  }
  // Throws, listing the existing profiles, when this one does not exist.
  await resolveHermesConfig(fs, e, { profile: name, ...(ws.locations.hermesRoot ? { hermesRoot: ws.locations.hermesRoot } : {}) });
  const codexHome = profileCodexHomePath(hermesRoot(e, ws.locations.hermesRoot), name);
  const st = await fs.lstat(codexHome).catch(() => null);
  if (st && !st.isDirectory()) {
    throw new LocationError(`${codexHome} exists but is not a directory`, { location: { file: codexHome }, remediation: 'Move it away, then run profile setup again.' });
  }
  if (!st) await fs.mkdir(codexHome, { recursive: true, mode: 0o700 });
  // This command's workspace, aimed at the profile and its own CODEX_HOME.
  const migration = await migrate({ workspace: withLocations(ws, { profile: name, hermesConfig: undefined, codexHome }), ...opts.migrate });
  return {
    schemaVersion: 1,
    profile: name,
    codexHome,
    created: !st,
    migration,
    login: await loginState(fs, codexHome, e.env),
    exportLine: exportCodexHomeLine(codexHome),
    loginCommand: codexLoginCommand(codexHome),
    apiKeyLoginCommand: codexApiKeyLoginCommand(codexHome),
  };
}

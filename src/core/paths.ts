/**
 * Where hermes-codex reads and writes: the Hermes config, the Hermes root
 * (profiles live under `<root>/profiles/<name>/`), and CODEX_HOME.
 *
 * Rules follow Hermes and Codex: HERMES_HOME defaults to `~/.hermes`;
 * CODEX_HOME defaults to `~/.codex`; an explicitly set CODEX_HOME that does
 * not exist or is not a directory is an error (Codex refuses to start too),
 * while the default one is created (0700) on demand. HOME is never changed.
 */
import * as path from 'node:path';
import { LocationError, UsageError } from './errors.js';
import { errnoCode, type FileSystem } from '../fs/filesystem.js';

export interface Environment {
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory. */
  home: string;
  /** The working directory relative paths resolve against. */
  cwd: string;
}

/**
 * The Hermes root, where `profiles/` and Hermes' install (`hermes-agent/`)
 * live: `--hermes-root`, else Hermes' own rule for `$HERMES_HOME`
 * (`get_default_hermes_root()` in NousResearch/hermes-agent's
 * hermes_constants.py). Hermes runs a profile with HERMES_HOME set to
 * `<root>/profiles/NAME`, so: unset → `~/.hermes`; inside `~/.hermes` (the
 * root itself or one of its profiles) → `~/.hermes`; elsewhere,
 * `<root>/profiles/NAME` → `<root>`, any other directory is the root itself
 * (Docker and custom deployments). Hermes compares resolved paths; this
 * compares them as written (no file system here), which differs only
 * through symbolic links.
 */
export function hermesRoot(e: Environment, flag?: string): string {
  if (flag) return path.resolve(e.cwd, flag);
  const native = path.join(e.home, '.hermes');
  const fromEnv = e.env['HERMES_HOME']?.trim();
  if (!fromEnv) return native;
  const home = path.resolve(e.cwd, fromEnv);
  const rel = path.relative(native, home);
  if (rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))) return native;
  return path.basename(path.dirname(home)) === 'profiles' ? path.dirname(path.dirname(home)) : home;
}

/**
 * A profile name as Hermes reads it (`normalize_profile_name` and
 * `validate_profile_name` in hermes_cli/profiles.py): trimmed and lowercased
 * (`Work` is `work`), `default` in any casing is the default profile (the
 * root's own config), anything else must match `[a-z0-9][a-z0-9_-]{0,63}`.
 * @throws LocationError for a name Hermes would refuse
 */
export function canonicalProfileName(name: string): string {
  const canon = name.trim().toLowerCase();
  if (canon === 'default') return canon;
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(canon)) {
    throw new LocationError(`"${name}" is not a valid profile name`, {
      remediation: 'Hermes profile names are lowercase letters, digits, `-` and `_` (up to 64, starting with a letter or digit): the directory names under ~/.hermes/profiles, or `default` for ~/.hermes itself.',
    });
  }
  return canon;
}

export interface HermesConfigLocation {
  path: string;
  source: 'flag' | 'profile' | 'HERMES_HOME' | 'default';
  /** The profile: named with `--profile`, or the one HERMES_HOME points at (`source` is then `HERMES_HOME`). */
  profile?: string;
  /** `<root>/profiles/<name>` for a profile. */
  profileDir?: string;
}

/** Names of the profiles under a Hermes root (directories under `profiles/`), sorted. */
export async function listProfiles(fs: FileSystem, root: string): Promise<string[]> {
  try {
    const names = await fs.readdir(path.join(root, 'profiles'));
    const dirs: string[] = [];
    for (const n of names) {
      const st = await fs.stat(path.join(root, 'profiles', n)).catch(() => null);
      if (st?.isDirectory()) dirs.push(n);
    }
    return dirs.sort();
  } catch {
    return [];
  }
}

/**
 * The Hermes profile HERMES_HOME points at, or null: Hermes runs profile NAME
 * with `HERMES_HOME=<root>/profiles/NAME` (hermes_cli/profiles.py), so a
 * HERMES_HOME whose parent directory is `profiles` under the Hermes root
 * ({@link hermesRoot}) with a name Hermes accepts is that profile. Compared as
 * written (no file system), like hermesRoot.
 */
export function profileOfHermesHome(e: Environment): { name: string; dir: string } | null {
  const fromEnv = e.env['HERMES_HOME']?.trim();
  if (!fromEnv) return null;
  const dir = path.resolve(e.cwd, fromEnv);
  if (path.basename(path.dirname(dir)) !== 'profiles' || path.dirname(path.dirname(dir)) !== hermesRoot(e)) return null;
  const name = path.basename(dir);
  return /^[a-z0-9][a-z0-9_-]{0,63}$/.test(name) ? { name, dir } : null;
}

/**
 * The profile a command works on: `--profile`, else the profile HERMES_HOME points at
 * ({@link profileOfHermesHome}) unless `--hermes-config` names the file; undefined for none.
 * @throws UsageError when `--profile` names another profile than HERMES_HOME's
 * @throws LocationError for a profile name Hermes would refuse
 */
export function effectiveProfile(e: Environment, opts: { hermesConfig?: string; profile?: string; hermesRoot?: string }): { name: string; fromHermesHome: boolean } | undefined {
  const implicit = opts.hermesRoot ? null : profileOfHermesHome(e);
  if (opts.profile !== undefined) {
    const name = canonicalProfileName(opts.profile);
    if (implicit && name !== implicit.name) {
      throw new UsageError(`--profile ${opts.profile} disagrees with HERMES_HOME, which is Hermes profile "${implicit.name}" (${implicit.dir})`, {
        remediation: `Drop --profile to work on "${implicit.name}", or run with HERMES_HOME unset (or set to the Hermes root) to use --profile ${name}.`,
      });
    }
    return { name, fromHermesHome: false };
  }
  if (opts.hermesConfig || !implicit) return undefined;
  return { name: implicit.name, fromHermesHome: true };
}

/**
 * Resolve the Hermes config: `--hermes-config PATH`, else `--profile NAME`
 * (`<root>/profiles/NAME/config.yaml`), else `$HERMES_HOME/config.yaml` (with the
 * profile it is, when HERMES_HOME points at one: {@link effectiveProfile}), else
 * `~/.hermes/config.yaml`.
 * @throws LocationError for a profile that does not exist (listing the existing ones)
 * @throws UsageError when `--profile` disagrees with HERMES_HOME's profile
 */
export async function resolveHermesConfig(
  fs: FileSystem,
  e: Environment,
  opts: { hermesConfig?: string; profile?: string; hermesRoot?: string },
): Promise<HermesConfigLocation> {
  if (opts.hermesConfig) return { path: path.resolve(e.cwd, opts.hermesConfig), source: 'flag' };
  const root = hermesRoot(e, opts.hermesRoot);
  const profile = effectiveProfile(e, opts);
  if (profile?.fromHermesHome) {
    const profileDir = path.join(root, 'profiles', profile.name);
    return { path: path.join(profileDir, 'config.yaml'), source: 'HERMES_HOME', profile: profile.name, profileDir };
  }
  if (profile !== undefined) {
    const name = profile.name;
    // Hermes' `default` profile is the root itself (hermes_cli/profiles.py get_profile_dir).
    if (name === 'default') return { path: path.join(root, 'config.yaml'), source: 'profile' };
    const profileDir = path.join(root, 'profiles', name);
    const st = await fs.stat(profileDir).catch(() => null);
    if (!st?.isDirectory()) {
      const existing = await listProfiles(fs, root);
      throw new LocationError(`Hermes profile "${name}" does not exist (no directory ${profileDir})`, {
        location: { file: profileDir },
        remediation: existing.length
          ? `Existing profiles: ${existing.join(', ')}. Create one with \`hermes profile create ${name}\`.`
          : `There are no profiles under ${path.join(root, 'profiles')}. Create one with \`hermes profile create ${name}\`.`,
      });
    }
    return { path: path.join(profileDir, 'config.yaml'), source: 'profile', profile: name, profileDir };
  }
  const fromEnv = e.env['HERMES_HOME'];
  if (fromEnv) return { path: path.join(path.resolve(e.cwd, fromEnv), 'config.yaml'), source: 'HERMES_HOME' };
  return { path: path.join(e.home, '.hermes', 'config.yaml'), source: 'default' };
}

export interface CodexHomeLocation {
  path: string;
  source: 'flag' | 'CODEX_HOME' | 'default';
  /** False only for the default `~/.codex` when it does not exist yet. */
  exists: boolean;
}

/**
 * Resolve CODEX_HOME: `--codex-home DIR`, else `$CODEX_HOME`, else `~/.codex`.
 * @throws LocationError when an explicit CODEX_HOME is missing or not a directory
 */
export async function resolveCodexHome(fs: FileSystem, e: Environment, flag?: string): Promise<CodexHomeLocation> {
  const fromEnv = e.env['CODEX_HOME'];
  const explicit = flag ?? (fromEnv && fromEnv !== '' ? fromEnv : undefined);
  const source = flag ? 'flag' : explicit ? 'CODEX_HOME' : 'default';
  const p = path.resolve(e.cwd, explicit ?? path.join(e.home, '.codex'));
  let st;
  try {
    st = await fs.stat(p);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') {
      throw new LocationError(`cannot use CODEX_HOME ${p}: ${(err as Error).message}`, { location: { file: p } });
    }
    if (source === 'default') return { path: p, source, exists: false };
    const how = source === 'flag' ? '--codex-home' : 'CODEX_HOME';
    throw new LocationError(`${how} points to ${p}, which does not exist`, {
      location: { file: p },
      remediation: `Create it first (mkdir -m 700 ${p}) or fix ${how}; Codex itself refuses to start with a missing CODEX_HOME.`,
    });
  }
  if (!st.isDirectory()) {
    throw new LocationError(`CODEX_HOME ${p} is not a directory`, {
      location: { file: p },
      remediation: `Point ${source === 'flag' ? '--codex-home' : 'CODEX_HOME'} at a directory.`,
    });
  }
  return { path: p, source, exists: true };
}

/** Create the default CODEX_HOME (0700) if it does not exist. */
export async function ensureCodexHome(fs: FileSystem, loc: CodexHomeLocation): Promise<void> {
  if (!loc.exists) await fs.mkdir(loc.path, { recursive: true, mode: 0o700 });
}

/** `<root>/profiles/NAME/codex`: the CODEX_HOME `hermes-codex profile setup` gives a profile (a path; not checked). */
export function profileCodexHomePath(root: string, name: string): string {
  return path.join(root, 'profiles', name, 'codex');
}

/** The shared CODEX_HOME, `$CODEX_HOME` else `~/.codex`, as an absolute path (not checked). */
export function defaultCodexHomePath(e: Environment): string {
  const fromEnv = e.env['CODEX_HOME'];
  return path.resolve(e.cwd, fromEnv && fromEnv !== '' ? fromEnv : path.join(e.home, '.codex'));
}

/** A profile's own CODEX_HOME when that directory exists, else null (the profile shares the default one). */
export async function ownProfileCodexHome(fs: FileSystem, root: string, name: string): Promise<string | null> {
  const own = profileCodexHomePath(root, name);
  return (await fs.stat(own).catch(() => null))?.isDirectory() ? own : null;
}

/**
 * The CODEX_HOME for a command that takes `--codex-home` and `--profile`:
 * the flag, else the profile's own `<root>/profiles/NAME/codex` when it
 * exists, else `$CODEX_HOME` or `~/.codex` (as {@link resolveCodexHome}).
 * The profile is `--profile`, else the one HERMES_HOME points at ({@link effectiveProfile}).
 * With `requireOwn`, a profile named with `--profile` without its own CODEX_HOME is an
 * error instead of falling back to the shared one.
 * @throws LocationError as resolveCodexHome, and for a missing own CODEX_HOME under `requireOwn`
 */
export async function resolveCodexHomeFor(
  fs: FileSystem,
  e: Environment,
  opts: { codexHome?: string; profile?: string; hermesRoot?: string; hermesConfig?: string },
  { requireOwn = false }: { requireOwn?: boolean } = {},
): Promise<CodexHomeLocation> {
  let flag = opts.codexHome;
  const chosen = flag ? undefined : effectiveProfile(e, opts);
  const profile = chosen?.name;
  // The default profile (the root itself) uses the shared CODEX_HOME.
  if (!flag && profile && profile !== 'default') {
    const root = hermesRoot(e, opts.hermesRoot);
    const own = await ownProfileCodexHome(fs, root, profile);
    if (own) flag = own;
    else if (requireOwn && !chosen?.fromHermesHome) {
      throw new LocationError(`profile "${profile}" has no CODEX_HOME of its own (${profileCodexHomePath(root, profile)})`, {
        remediation: `Run \`hermes-codex profile setup ${profile}\`, or pass --codex-home.`,
      });
    }
  }
  return resolveCodexHome(fs, e, flag);
}

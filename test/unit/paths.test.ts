/**
 * Where CODEX_HOME comes from for commands taking --codex-home and --profile
 * (doctor, plugins, turn, runtime): one rule, on memfs.
 */
import { describe, expect, it } from 'vitest';
import { canonicalProfileName, defaultCodexHomePath, hermesRoot, profileOfHermesHome, resolveCodexHomeFor, resolveHermesConfig, type Environment } from '../../src/core/paths.js';
import { LocationError, UsageError } from '../../src/core/errors.js';
import { memFileSystem } from '../helpers/memfs.js';

const e = (env: Record<string, string> = {}): Environment => ({ env, home: '/home/u', cwd: '/work' });

describe('hermesRoot (Hermes\' get_default_hermes_root)', () => {
  it.each([
    [{}, '/home/u/.hermes'],
    [{ HERMES_HOME: '  ' }, '/home/u/.hermes'],
    [{ HERMES_HOME: '/home/u/.hermes' }, '/home/u/.hermes'],
    // Hermes runs a profile with HERMES_HOME = <root>/profiles/NAME.
    [{ HERMES_HOME: '/home/u/.hermes/profiles/work' }, '/home/u/.hermes'],
    [{ HERMES_HOME: '/home/u/.hermes/elsewhere/deep' }, '/home/u/.hermes'],
    [{ HERMES_HOME: '/opt/data' }, '/opt/data'],
    [{ HERMES_HOME: '/opt/data/profiles/coder' }, '/opt/data'],
    [{ HERMES_HOME: '/home/u/.hermes-other' }, '/home/u/.hermes-other'],
    [{ HERMES_HOME: 'data' }, '/work/data'],
  ])('HERMES_HOME %j → %s', (env, root) => {
    expect(hermesRoot(e(env as Record<string, string>))).toBe(root);
  });

  it('takes --hermes-root as given', () => {
    expect(hermesRoot(e({ HERMES_HOME: '/home/u/.hermes/profiles/work' }), '/hr')).toBe('/hr');
  });
});

describe('profile names, as Hermes reads them', () => {
  it('trims and lowercases, keeps `default` in any casing, refuses what Hermes refuses', () => {
    expect(canonicalProfileName(' Work ')).toBe('work');
    expect(canonicalProfileName('DEFAULT')).toBe('default');
    for (const bad of ['', 'a b', '../x', '-x', 'x/y', 'é', 'a'.repeat(65)]) expect(() => canonicalProfileName(bad), bad).toThrow(LocationError);
  });

  it('--profile default is the root\'s own config and the shared CODEX_HOME; --profile Work is work', async () => {
    const fs = memFileSystem({ '/home/u/.hermes/config.yaml': 'a: 1\n', '/home/u/.hermes/profiles/work/config.yaml': 'a: 2\n', '/home/u/.hermes/profiles/default/codex': null });
    expect(await resolveHermesConfig(fs, e(), { profile: 'Default' })).toEqual({ path: '/home/u/.hermes/config.yaml', source: 'profile' });
    expect(await resolveHermesConfig(fs, e(), { profile: 'Work' })).toMatchObject({ path: '/home/u/.hermes/profiles/work/config.yaml', profile: 'work' });
    // Run from inside a profile (HERMES_HOME set to it, as Hermes runs one): that profile; another --profile is a usage error.
    const inProfile = e({ HERMES_HOME: '/home/u/.hermes/profiles/work' });
    expect(await resolveHermesConfig(fs, inProfile, {})).toEqual({ path: '/home/u/.hermes/profiles/work/config.yaml', source: 'HERMES_HOME', profile: 'work', profileDir: '/home/u/.hermes/profiles/work' });
    expect(await resolveHermesConfig(fs, inProfile, { profile: 'Work' })).toMatchObject({ path: '/home/u/.hermes/profiles/work/config.yaml', profile: 'work' });
    await expect(resolveHermesConfig(fs, inProfile, { profile: 'Default' })).rejects.toThrow(/--profile Default disagrees with HERMES_HOME, which is Hermes profile "work"/);
    await expect(resolveHermesConfig(fs, inProfile, { profile: 'Default' })).rejects.toBeInstanceOf(UsageError);
    // --hermes-config names the file: no profile is implied.
    expect(await resolveHermesConfig(fs, inProfile, { hermesConfig: '/x/config.yaml' })).toEqual({ path: '/x/config.yaml', source: 'flag' });
    expect((await resolveCodexHomeFor(fs, e(), { profile: 'default' }, { requireOwn: true })).path).toBe('/home/u/.codex');
  });
});

describe('resolveCodexHomeFor', () => {
  const fs = memFileSystem({
    '/home/u/.hermes/profiles/own/codex': null,
    '/home/u/.hermes/profiles/shared/config.yaml': 'model: {}\n',
    '/srv/codex': null,
    '/flag': null,
  });

  it('takes --codex-home over a profile', async () => {
    expect(await resolveCodexHomeFor(fs, e(), { codexHome: '/flag', profile: 'own' })).toEqual({ path: '/flag', source: 'flag', exists: true });
  });

  it("uses a profile's own codex directory when it exists", async () => {
    expect(await resolveCodexHomeFor(fs, e({ CODEX_HOME: '/srv/codex' }), { profile: 'own' })).toMatchObject({ path: '/home/u/.hermes/profiles/own/codex', exists: true });
  });

  it('falls back to $CODEX_HOME, then ~/.codex, for a profile without one', async () => {
    expect(await resolveCodexHomeFor(fs, e({ CODEX_HOME: '/srv/codex' }), { profile: 'shared' })).toEqual({ path: '/srv/codex', source: 'CODEX_HOME', exists: true });
    expect(await resolveCodexHomeFor(fs, e(), { profile: 'shared' })).toEqual({ path: '/home/u/.codex', source: 'default', exists: false });
  });

  it('with requireOwn, refuses a profile without its own CODEX_HOME and names the setup command', async () => {
    const err = await resolveCodexHomeFor(fs, e({ CODEX_HOME: '/srv/codex' }), { profile: 'shared' }, { requireOwn: true }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(LocationError);
    expect((err as LocationError).message).toBe('profile "shared" has no CODEX_HOME of its own (/home/u/.hermes/profiles/shared/codex)');
    expect((err as LocationError).remediation).toMatch(/hermes-codex profile setup shared/);
  });

  it("uses the profile HERMES_HOME points at: its own CODEX_HOME when it has one, else the shared one (never an error)", async () => {
    expect((await resolveCodexHomeFor(fs, e({ HERMES_HOME: '/home/u/.hermes/profiles/own' }), {}, { requireOwn: true })).path).toBe('/home/u/.hermes/profiles/own/codex');
    expect((await resolveCodexHomeFor(fs, e({ HERMES_HOME: '/home/u/.hermes/profiles/shared', CODEX_HOME: '/srv/codex' }), {}, { requireOwn: true })).path).toBe('/srv/codex');
    expect((await resolveCodexHomeFor(fs, e({ HERMES_HOME: '/home/u/.hermes/profiles/own' }), { codexHome: '/flag' })).path).toBe('/flag');
    await expect(resolveCodexHomeFor(fs, e({ HERMES_HOME: '/home/u/.hermes/profiles/own' }), { profile: 'shared' })).rejects.toBeInstanceOf(UsageError);
  });

  it('knows a profile directory only under the Hermes root, with a name Hermes accepts', () => {
    expect(profileOfHermesHome(e({ HERMES_HOME: '/home/u/.hermes/profiles/work' }))).toEqual({ name: 'work', dir: '/home/u/.hermes/profiles/work' });
    expect(profileOfHermesHome(e({ HERMES_HOME: '/srv/h/profiles/ci' }))).toEqual({ name: 'ci', dir: '/srv/h/profiles/ci' });
    expect(profileOfHermesHome(e({ HERMES_HOME: '/home/u/.hermes' }))).toBeNull();
    expect(profileOfHermesHome(e({ HERMES_HOME: '/home/u/.hermes/profiles/Bad Name' }))).toBeNull();
    expect(profileOfHermesHome(e({ HERMES_HOME: '/home/u/.hermes/x/profiles/work' }))).toBeNull();
    expect(profileOfHermesHome(e())).toBeNull();
  });

  it('honours --hermes-root for the profile lookup', async () => {
    const fs2 = memFileSystem({ '/hr/profiles/p/codex': null });
    expect((await resolveCodexHomeFor(fs2, e(), { profile: 'p', hermesRoot: '/hr' }, { requireOwn: true })).path).toBe('/hr/profiles/p/codex');
  });
});

describe('defaultCodexHomePath', () => {
  it('resolves a relative $CODEX_HOME against the working directory and ignores an empty one', () => {
    expect(defaultCodexHomePath(e({ CODEX_HOME: 'rel' }))).toBe('/work/rel');
    expect(defaultCodexHomePath(e({ CODEX_HOME: '' }))).toBe('/home/u/.codex');
  });
});

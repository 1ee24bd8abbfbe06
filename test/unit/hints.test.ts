/**
 * The migrate command line hints print: same Hermes config and CODEX_HOME as
 * the run that printed it, and safe to paste into a POSIX shell.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'shell-quote';
import { codexLoginCommand, exportCodexHomeLine, migrateCommandLine } from '../../src/core/hints.js';

describe('migrateCommandLine', () => {
  it('is the bare command for the defaults', () => {
    expect(migrateCommandLine({})).toBe('hermes-codex migrate');
    expect(migrateCommandLine({ codexHome: { path: '/home/u/.codex', source: 'default', exists: true } })).toBe('hermes-codex migrate');
    expect(migrateCommandLine({ codexHome: { path: '/srv/codex', source: 'CODEX_HOME', exists: true } })).toBe('hermes-codex migrate');
  });

  it('names a profile, the Hermes root and a CODEX_HOME that came from a flag or the profile', () => {
    expect(migrateCommandLine({ profile: 'work', hermesRoot: '/hr', codexHome: { path: '/hr/profiles/work/codex', source: 'flag', exists: true } }, ['--no-plugins'])).toBe(
      'hermes-codex migrate --profile work --hermes-root /hr --codex-home /hr/profiles/work/codex --no-plugins',
    );
  });

  it('lets an explicit Hermes config win over a profile, as migrate does', () => {
    expect(migrateCommandLine({ hermesConfig: '/c.yaml', profile: 'work' })).toBe('hermes-codex migrate --hermes-config /c.yaml');
  });

  it('quotes what a shell would split or expand, so parsing it back gives the same arguments', () => {
    const home = "/tmp/it's a $HOME";
    const line = migrateCommandLine({ profile: 'my work', codexHome: { path: home, source: 'flag', exists: false } }, ['--hermes-python', '/opt/py thon']);
    expect(parse(line)).toEqual(['hermes-codex', 'migrate', '--profile', 'my work', '--codex-home', home, '--hermes-python', '/opt/py thon']);
  });
});

describe('codexLoginCommand and exportCodexHomeLine', () => {
  it('leave a plain path as it is and quote one a shell would split', () => {
    expect(codexLoginCommand('/h/.hermes/profiles/work/codex')).toBe('CODEX_HOME=/h/.hermes/profiles/work/codex codex login');
    expect(exportCodexHomeLine('/h/.hermes/profiles/work/codex')).toBe('export CODEX_HOME=/h/.hermes/profiles/work/codex');
    expect(parse(codexLoginCommand('/My Drive/codex'))).toEqual(['CODEX_HOME=/My Drive/codex', 'codex', 'login']);
    expect(parse(exportCodexHomeLine('/My Drive/codex'))).toEqual(['export', 'CODEX_HOME=/My Drive/codex']);
  });
});

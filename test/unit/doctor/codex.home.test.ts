/**
 * Doctor check `codex.home` on memfs with scripted process results.
 */
import { describe, expect, it } from 'vitest';
import { HERMES, CODEX, setup } from '../../helpers/doctor.js';

describe('codex.home', () => {
  it('fails for an explicit CODEX_HOME that does not exist, with its remediation', async () => {
    const r = await setup({}, {}, { CODEX_HOME: '/nowhere' }).check('codex.home');
    expect(r).toMatchObject({ status: 'fail', summary: expect.stringMatching(/\/nowhere, which does not exist/), remediation: expect.stringMatching(/mkdir -m 700/) });
  });


  it('warns (fixable) for a missing default ~/.codex; warns for group-writable; lists profiles sharing it', async () => {
    expect(await setup().check('codex.home')).toMatchObject({ status: 'warn', fixable: true, fix: 'create-codex-home' });
    const { fs, check } = setup({ [CODEX]: null, [`${HERMES}/profiles/work`]: null, [`${HERMES}/profiles/solo/codex`]: null });
    await fs.chmod(CODEX, 0o777);
    const r = await check('codex.home', { only: ['codex.home'] });
    expect(r.status).toBe('warn');
    expect(r.remediation).toMatch(/chmod 700/);
    expect(r.details).toContain('used by Hermes profiles: work');
  });


  it('warns when HOME points into CODEX_HOME or Hermes\' directory', async () => {
    const { check } = setup({ [CODEX]: null, [`${HERMES}/home`]: null });
    const r = await check('codex.home', { home: `${HERMES}/home`, env: { PATH: '/bin', CODEX_HOME: CODEX, HERMES_HOME: HERMES } });
    expect(r).toMatchObject({ status: 'warn', remediation: expect.stringMatching(/keep HOME real/) });
  });
});

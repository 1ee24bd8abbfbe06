/**
 * Doctor check `hermes.profiles` on memfs with scripted process results.
 */
import { describe, expect, it } from 'vitest';
import { HERMES, CODEX, setup } from '../../helpers/doctor.js';

describe('hermes.profiles', () => {
  it('skips without profiles; counts own and shared CODEX_HOMEs; warns for an isolated profile without a login, with its login command', async () => {
    expect(await setup().check('hermes.profiles')).toMatchObject({ status: 'skip', summary: 'no Hermes profiles' });
    const files = {
      [`${HERMES}/profiles/work/config.yaml`]: 'model:\n  provider: openai\n',
      [`${HERMES}/profiles/work/codex/.keep`]: '',
      [`${HERMES}/profiles/play/config.yaml`]: 'model:\n  provider: openai\n',
    };
    const r = await setup(files).check('hermes.profiles');
    expect(r).toMatchObject({
      status: 'warn',
      summary: 'profile(s) work have their own CODEX_HOME but are not logged in',
      remediation: expect.stringContaining(`CODEX_HOME=${HERMES}/profiles/work/codex codex login`),
    });
    expect(r.details).toEqual(expect.arrayContaining(['2 profile(s): 1 with their own CODEX_HOME, 1 sharing', `${CODEX}: play`]));
    const loggedIn = await setup({ ...files, [`${HERMES}/profiles/work/codex/auth.json`]: '{"OPENAI_API_KEY":"k"}' }).check('hermes.profiles');
    expect(loggedIn).toMatchObject({ status: 'ok', summary: '2 profile(s): 1 with their own CODEX_HOME, 1 sharing' });
    // An API key only in the environment is no login; the fix stores it for the profile's CODEX_HOME.
    const withKey = await setup(files, {}, { OPENAI_API_KEY: 'sk-x' }).check('hermes.profiles');
    expect(withKey).toMatchObject({ status: 'warn', remediation: `Log each in once: printenv OPENAI_API_KEY | CODEX_HOME=${HERMES}/profiles/work/codex codex login --with-api-key` });
  });
});

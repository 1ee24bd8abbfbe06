/**
 * Doctor check `codex.auth` on memfs with scripted process results.
 */
import { describe, expect, it } from 'vitest';
import { CODEX, NOW, setup, jwt } from '../../helpers/doctor.js';

describe('codex.auth', () => {
  const auth = (o: object) => JSON.stringify(o);

  it('fails without credentials, says how to log in', async () => {
    expect(await setup({ [CODEX]: null }).check('codex.auth')).toMatchObject({ status: 'fail', remediation: expect.stringContaining(`CODEX_HOME=${CODEX} codex login`) });
  });

  it('an API key only in the environment is not a login (codex app-server does not read it): fails, with the command that stores it', async () => {
    for (const key of ['OPENAI_API_KEY', 'CODEX_API_KEY']) {
      const r = await setup({ [CODEX]: null }, {}, { [key]: 'sk-x' }).check('codex.auth');
      expect(r).toMatchObject({ status: 'fail', summary: expect.stringContaining(`$${key} is set, but codex app-server does not read API keys from the environment`) });
      expect(r.remediation).toContain(`printenv ${key} | CODEX_HOME=${CODEX} codex login --with-api-key`);
    }
    const empty = await setup({ [`${CODEX}/auth.json`]: auth({ OPENAI_API_KEY: null }) }, {}, { OPENAI_API_KEY: 'sk-x' }).check('codex.auth');
    expect(empty).toMatchObject({ status: 'fail', summary: expect.stringMatching(/^auth\.json holds neither/), remediation: expect.stringContaining('--with-api-key') });
    // A blank variable is no key to store.
    expect((await setup({ [CODEX]: null }, {}, { OPENAI_API_KEY: ' ' }).check('codex.auth')).remediation).toContain(`Run \`CODEX_HOME=${CODEX} codex login\` once`);
  });


  it('checks JWT expiry and last_refresh, and never prints a token', async () => {
    const expired = setup({ [`${CODEX}/auth.json`]: auth({ OPENAI_API_KEY: null, tokens: { access_token: jwt(-60), id_token: 'i', refresh_token: 'SECRET-REFRESH' }, last_refresh: NOW.toISOString() }) });
    await expired.fs.chmod(`${CODEX}/auth.json`, 0o600);
    const r = await expired.check('codex.auth');
    expect(r).toMatchObject({ status: 'fail', summary: expect.stringMatching(/expired/) });
    expect(JSON.stringify(r)).not.toMatch(/SECRET-REFRESH|x\.ey/);

    const soon = setup({ [`${CODEX}/auth.json`]: auth({ tokens: { access_token: jwt(120) }, last_refresh: NOW.toISOString() }) });
    await soon.fs.chmod(`${CODEX}/auth.json`, 0o600);
    expect(await soon.check('codex.auth')).toMatchObject({ status: 'warn', remediation: expect.stringMatching(/5 minutes/) });

    const stale = setup({ [`${CODEX}/auth.json`]: auth({ tokens: { access_token: jwt(3600) }, last_refresh: new Date(NOW.getTime() - 9 * 86_400_000).toISOString() }) });
    await stale.fs.chmod(`${CODEX}/auth.json`, 0o600);
    expect(await stale.check('codex.auth')).toMatchObject({ status: 'warn', remediation: expect.stringMatching(/9 days ago/) });

    const fine = setup({ [`${CODEX}/auth.json`]: auth({ tokens: { access_token: jwt(3600) }, last_refresh: NOW.toISOString() }) });
    await fine.fs.chmod(`${CODEX}/auth.json`, 0o600);
    expect(await fine.check('codex.auth')).toMatchObject({ status: 'ok', summary: 'ChatGPT login (tokens in auth.json)' });
  });


  it('warns (fixable) when auth.json is readable by others; accepts an API key in it', async () => {
    const { check } = setup({ [`${CODEX}/auth.json`]: auth({ OPENAI_API_KEY: 'sk-in-file' }) });
    const r = await check('codex.auth');
    expect(r).toMatchObject({ status: 'warn', fix: 'chmod-auth', summary: 'API key in auth.json' });
    expect(JSON.stringify(r)).not.toContain('sk-in-file');
  });


  it('checks a custom model provider\'s env_key instead of an OpenAI login', async () => {
    const toml = 'model_provider = "local"\n[model_providers.local]\nname = "L"\nbase_url = "http://127.0.0.1:1/v1"\nenv_key = "LOCAL_KEY"\n';
    expect(await setup({ [`${CODEX}/config.toml`]: toml }).check('codex.auth')).toMatchObject({ status: 'fail', summary: expect.stringMatching(/needs LOCAL_KEY/) });
    expect(await setup({ [`${CODEX}/config.toml`]: toml }, {}, { LOCAL_KEY: 'k' }).check('codex.auth')).toMatchObject({ status: 'ok' });
  });

  it('one login rule: a custom provider logging in with its env_key counts as logged in for codex.auth, hermes.profiles and profile list', async () => {
    const { loginState } = await import('../../../src/codex/login.js');
    const toml = 'model_provider = "mine"\n[model_providers.mine]\nname = "Mine"\nbase_url = "http://127.0.0.1:1/v1"\nenv_key = "MINE_KEY"\n';
    const { fs, check } = setup({ [`${CODEX}/config.toml`]: toml });
    expect(await loginState(fs, CODEX, { MINE_KEY: 'k' })).toBe('provider-key');
    expect(await loginState(fs, CODEX, {})).toBe('none');
    expect(await check('codex.auth', { env: { PATH: '/bin', MINE_KEY: 'k' } })).toMatchObject({ status: 'ok', summary: expect.stringMatching(/authenticates with MINE_KEY/) });
    expect(await check('codex.auth')).toMatchObject({ status: 'fail' });
  });

});

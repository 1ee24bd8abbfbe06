/**
 * Doctor check `hermes.runtime` on memfs with scripted process results.
 */
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../../src/doctor/run.js';
import { memFileSystem } from '../../helpers/memfs.js';
import { HOME, HERMES, fakeRun, setup } from '../../helpers/doctor.js';

describe('hermes.runtime', () => {
  it('hermes.runtime: on, off, an unknown value, a provider codex does not serve, no config', async () => {
    expect(await setup().check('hermes.runtime')).toMatchObject({ status: 'ok', summary: 'codex runtime on for provider openai-codex' });
    expect(await setup({ [`${HERMES}/config.yaml`]: 'model:\n  openai_runtime: auto\n' }).check('hermes.runtime')).toMatchObject({ status: 'ok', summary: expect.stringMatching(/off/) });
    expect(await setup({ [`${HERMES}/config.yaml`]: 'model:\n  openai_runtime: turbo\n' }).check('hermes.runtime')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/reads as auto/) });
    expect(await setup({ [`${HERMES}/config.yaml`]: 'model:\n  provider: openrouter\n  openai_runtime: codex_app_server\n' }).check('hermes.runtime')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/openrouter is not rerouted/) });
    const fs = memFileSystem({ '/bin/codex': '#!' });
    expect((await runDoctor({ fs, run: fakeRun(), env: {}, home: HOME, cwd: HOME, codexBin: '/bin/codex', only: ['hermes.runtime'] })).checks[0]).toMatchObject({ status: 'skip' });
  });

});

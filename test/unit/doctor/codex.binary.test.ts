/**
 * Doctor check `codex.binary` on memfs with scripted process results.
 */
import { describe, expect, it } from 'vitest';
import { setup } from '../../helpers/doctor.js';

describe('codex.binary', () => {
  it('finds codex, fails without it, skips the version then', async () => {
    const { check } = setup();
    expect(await check('codex.binary')).toMatchObject({ status: 'ok', summary: '/bin/codex (from --codex-bin)' });
    const missing = await check('codex.binary', { codexBin: undefined, findOnPath: async () => null });
    expect(missing).toMatchObject({ status: 'fail', remediation: expect.stringMatching(/npm i -g @openai\/codex/) });
    expect(await check('codex.version', { codexBin: undefined, findOnPath: async () => null })).toMatchObject({ status: 'skip' });
  });

});

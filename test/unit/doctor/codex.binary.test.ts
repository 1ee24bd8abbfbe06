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

  it("skips the version (one failure, not two) when the codex named by --codex-bin or Hermes' model.codex_bin is not there", async () => {
    const { check } = setup();
    // A run that would fail the version check too, had it been asked.
    const missingPath = { codexBin: '/opt/gone/codex', run: async () => ({ exitCode: null, stdout: '', stderr: '', failure: { kind: 'not-found' as const, message: 'spawn /opt/gone/codex ENOENT' } }) };
    expect(await check('codex.binary', missingPath)).toMatchObject({ status: 'fail' });
    expect(await check('codex.version', missingPath)).toMatchObject({ status: 'skip', summary: 'codex not found' });
    const notOnPath = { codexBin: 'codex-nightly' };
    expect(await check('codex.binary', notOnPath)).toMatchObject({ status: 'fail', summary: expect.stringMatching(/codex-nightly .* is not on PATH/) });
    expect(await check('codex.version', notOnPath)).toMatchObject({ status: 'skip', summary: 'codex not found' });
  });

});

/**
 * Doctor check `codex.config` on memfs with scripted process results.
 */
import { describe, expect, it } from 'vitest';
import { CODEX, setup } from '../../helpers/doctor.js';

describe('codex.config', () => {
  it('reports parse errors with file:line:col, codex rejections with codex\'s line, strict findings as warnings', async () => {
    expect(await setup({ [`${CODEX}/config.toml`]: 'a = 1\nb = \n' }).check('codex.config')).toMatchObject({ status: 'fail', summary: expect.stringMatching(/config\.toml:2:\d+: TOML error/) });
    const rejected = { exitCode: 1, stdout: '{"error":{"data":{"line":4,"column":1,"detail":"/x/config.toml:4:1: url is not supported for stdio"}}}', stderr: '' };
    // A structural error fails codex's loader with and without --strict-config.
    expect(await setup({ [`${CODEX}/config.toml`]: 'a = 1\n' }, { loader: rejected, strict: rejected }).check('codex.config')).toMatchObject({ status: 'fail', summary: `codex rejects ${CODEX}/config.toml:4:1: url is not supported for stdio` });
    const strict = { exitCode: 1, stdout: '{"error":{"data":{"line":2,"column":1,"detail":"x:2:1: unknown configuration field `bogus`"}}}', stderr: '' };
    expect(await setup({ [`${CODEX}/config.toml`]: 'a = 1\n' }, { strict }).check('codex.config')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/unknown configuration field `bogus` \(.*config\.toml:2:1\)/) });
    expect(await setup({ [CODEX]: null }).check('codex.config')).toMatchObject({ status: 'ok', summary: expect.stringMatching(/codex uses its defaults/) });
    expect(await setup().check('codex.config')).toMatchObject({ status: 'skip' });
  });
});

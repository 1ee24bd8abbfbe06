/**
 * Doctor check `codex.version` on memfs with scripted process results.
 */
import { describe, expect, it } from 'vitest';
import { setup } from '../../helpers/doctor.js';

describe('codex.version', () => {
  it('fails below 0.128.0 and warns when newer than tested', async () => {
    expect(await setup({}, { version: '0.120.0' }).check('codex.version')).toMatchObject({ status: 'fail', summary: expect.stringMatching(/too old/) });
    expect(await setup({}, { version: '0.200.1' }).check('codex.version')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/newer than the tested/) });
    expect(await setup().check('codex.version')).toMatchObject({ status: 'ok', summary: 'codex 0.169.0 (tested with 0.171.0)' });
    // Newer than tested: which facts were not probed on it, and how to probe them.
    expect((await setup({}, { version: '0.200.1' }).check('codex.version')).summary).toMatch(/not probed on it and are assumed as on 0\.171\.0 \(`npm run probe:codex -- 0\.200\.1`/);
  });
});

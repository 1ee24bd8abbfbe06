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

  it('offers migrate for a key both in the block and outside it (what Hermes\' own migration leaves), and only for that', async () => {
    const start = '# managed by hermes-agent — `hermes codex-runtime migrate` regenerates this section';
    const end = '# end hermes-agent managed section';
    const left = `model = "o3"\ndefault_permissions = ":read-only"\n${start}\ndefault_permissions = ":workspace"\n\n[mcp_servers.gh]\ncommand = "npx"\n${end}\n`;
    const r = await setup({ [`${CODEX}/config.toml`]: left }).check('codex.config');
    expect(r).toMatchObject({ status: 'fail', fix: 'migrate', remediation: expect.stringMatching(/^Run `hermes-codex migrate` .*removes the managed copy; yours stays\.$/) });
    expect(r.details).toEqual([expect.stringMatching(/^default_permissions stands both inside the managed block and outside it/)]);
    // A duplicate outside the block is the user's to fix: no migrate offered.
    const own = await setup({ [`${CODEX}/config.toml`]: 'a = 1\na = 2\n' }).check('codex.config');
    expect(own).toMatchObject({ status: 'fail', remediation: expect.stringMatching(/^Fix /) });
    expect(own.fix).toBeUndefined();
  });
});

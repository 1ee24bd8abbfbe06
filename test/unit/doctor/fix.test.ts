/**
 * Doctor: doctor --fix.
 */
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../../src/doctor/run.js';
import { plannedFixes, applyFixes, workableFixes } from '../../../src/doctor/fix.js';
import { CODEX, setup } from '../../helpers/doctor.js';

describe('doctor --fix', () => {
  it('creates the default CODEX_HOME (0700) and chmods auth.json', async () => {
    const { base, fs } = setup();
    const before = await runDoctor({ ...base, only: ['codex.home'] });
    const fixes = plannedFixes(before.checks, CODEX);
    expect(fixes.map((f) => f.id)).toEqual(['create-codex-home']);
    await applyFixes(fixes, CODEX, base);
    expect(fs.modeOf(CODEX)).toBe(0o700);

    await fs.writeFileAtomic(`${CODEX}/auth.json`, '{"OPENAI_API_KEY":"k"}', { mode: 0o644 });
    const auth = await runDoctor({ ...base, only: ['codex.auth'] });
    await applyFixes(plannedFixes(auth.checks, CODEX), CODEX, base);
    expect(fs.modeOf(`${CODEX}/auth.json`)).toBe(0o600);
    expect((await runDoctor({ ...base, only: ['codex.auth'] })).checks[0]!.status).toBe('ok');
  });

  it('does not offer to migrate into a read-only config.toml (migrate refuses it)', async () => {
    const { base, fs } = setup({ [`${CODEX}/config.toml`]: 'model = "o3"\n' });
    const report = await runDoctor({ ...base, only: ['migration.block'] });
    const planned = plannedFixes(report.checks, CODEX);
    expect(planned.map((f) => f.id)).toEqual(['migrate']);
    expect((await workableFixes(planned, CODEX, base)).map((f) => f.id)).toEqual(['migrate']);
    fs.vol.chmodSync(`${CODEX}/config.toml`, 0o444);
    expect(await workableFixes(planned, CODEX, base)).toEqual([]);
  });
});

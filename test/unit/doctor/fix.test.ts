/**
 * Doctor: doctor --fix.
 */
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../../src/doctor/run.js';
import { plannedFixes, applyFixes } from '../../../src/doctor/fix.js';
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
});

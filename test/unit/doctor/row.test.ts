/** The row builder doctor's checks use (src/doctor/row.ts). */
import { describe, expect, it } from 'vitest';
import { Row } from '../../../src/doctor/row.js';

describe('Row', () => {
  it('is ok with its details until something is found', () => {
    expect(new Row().detail('a', 'b').done('fine')).toEqual({ status: 'ok', summary: 'fine', details: ['a', 'b'] });
  });

  it('only gets worse; the latest remediation is the one shown; a warning keeps an earlier fix', () => {
    const row = new Row().warn('create it', 'create-codex-home').warn('keep HOME real');
    expect(row.ok).toBe(false);
    expect(row.done('x')).toEqual({ status: 'warn', summary: 'x', details: [], remediation: 'keep HOME real', fix: 'create-codex-home' });
    expect(new Row().fail('log in').warn('later').done('y')).toMatchObject({ status: 'fail', remediation: 'later' });
  });

  it('a failure offers only its own fix', () => {
    expect(new Row().warn('chmod 600', 'chmod-auth').fail('log in again').done('expired')).toEqual({ status: 'fail', summary: 'expired', details: [], remediation: 'log in again' });
  });
});

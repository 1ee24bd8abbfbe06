/**
 * `npm run probe:codex -- VERSION` (scripts/probe-codex.mjs) on the pin and the floor: every
 * fact of codex/capabilities.ts it measures holds as predicted for that version (the floor
 * lacks most of them), and the pin's protocol is the committed one. The slow facts (timeouts)
 * are measured by test/compat/hermes-behaviour.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import * as path from 'node:path';
import { repoRoot } from '../helpers/codex.js';
import { SUPPORTED_FLOOR, TESTED_CODEX_VERSION } from '../../src/codex/capabilities.js';

interface ProbeReport {
  version: string;
  facts: { fact: string; expected: boolean; measured: boolean | string | null }[];
  protocol: { rows: { kind: string; method: string; change: string }[] };
}

const probe = async (version: string) => {
  const r = await execa('node', [path.join(repoRoot, 'scripts/probe-codex.mjs'), version, '--json'], { reject: false, cwd: repoRoot });
  return { exitCode: r.exitCode, report: JSON.parse(String(r.stdout)) as ProbeReport, stderr: String(r.stderr) };
};

describe.concurrent('npm run probe:codex', () => {
  it(`measures every fact on the pin ${TESTED_CODEX_VERSION} as capabilities.ts predicts, with the committed protocol`, async () => {
    const { exitCode, report, stderr } = await probe(TESTED_CODEX_VERSION);
    expect(exitCode, stderr).toBe(0);
    const measured = report.facts.filter((f) => f.measured !== null);
    expect(measured.length).toBeGreaterThanOrEqual(10);
    for (const f of measured) expect(f.measured, f.fact).toBe(f.expected);
    expect(report.protocol.rows).toEqual([]);
  }, 120_000);

  it(`tells on the floor ${SUPPORTED_FLOOR} which facts it lacks, and that they are predicted so`, async () => {
    const { exitCode, report, stderr } = await probe(SUPPORTED_FLOOR);
    expect(exitCode, stderr).toBe(0);
    const lacks = report.facts.filter((f) => f.measured === false).map((f) => f.fact);
    expect(lacks).toEqual(expect.arrayContaining(['strictAppServer', 'printStartupConfig', 'mcpStartupErrors', 'punctuatedServerNames']));
    for (const f of report.facts.filter((x) => x.measured !== null)) expect(f.measured, f.fact).toBe(f.expected);
  }, 120_000);
});

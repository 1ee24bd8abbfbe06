/**
 * Shared set-up for the doctor check tests (test/unit/doctor/): a memfs
 * home with a Hermes config, scripted process results (codex --version,
 * codex's loader, python imports) and a one-check runner.
 */
import { runDoctor, type RunDoctorOptions } from '../../src/doctor/run.js';
import type { RunCommand, RunResult } from '../../src/core/process.js';
import type { CheckResult } from '../../src/doctor/types.js';
import { memFileSystem } from './memfs.js';

export const HOME = '/home/me';
export const HERMES = `${HOME}/.hermes`;
export const CODEX = `${HOME}/.codex`;
export const NOW = new Date('2026-11-21T12:00:00Z');

export interface Script {
  version?: string;
  loader?: RunResult;
  strict?: RunResult;
  python?: RunResult;
}
export const accepted: RunResult = { exitCode: 0, stdout: '{"appServerVersion":"0.169.0"}', stderr: '' };

export function fakeRun(script: Script = {}): RunCommand {
  return async (_file, args) => {
    if (args[0] === '--version') return { exitCode: 0, stdout: `codex-cli ${script.version ?? '0.169.0'}\n`, stderr: '' };
    if (args.includes('--print-startup-config')) return args.includes('--strict-config') ? script.strict ?? accepted : script.loader ?? accepted;
    if (args[0] === '-c') return script.python ?? { exitCode: 0, stdout: '', stderr: '' };
    return { exitCode: 1, stdout: '', stderr: 'unexpected', failure: { kind: 'other', message: 'unexpected command' } };
  };
}

export const HERMES_YAML = 'model:\n  provider: openai-codex\n  openai_runtime: codex_app_server\nmcp_servers:\n  gh:\n    command: npx\n';

export function setup(files: Record<string, string | null> = {}, script: Script = {}, env: Record<string, string> = {}) {
  const fs = memFileSystem({ '/bin/codex': '#!', '/venv/bin/python': '#!', [`${HERMES}/config.yaml`]: HERMES_YAML, ...files });
  const base: RunDoctorOptions = {
    fs,
    run: fakeRun(script),
    env: { PATH: '/bin', ...env },
    home: HOME,
    cwd: HOME,
    codexBin: '/bin/codex',
    findOnPath: async (name) => ({ npx: '/bin/npx', uvx: '/bin/uvx', node: '/bin/node', codex: '/bin/codex' })[name] ?? null,
    now: () => NOW,
  };
  const check = async (id: string, over: Partial<RunDoctorOptions> = {}): Promise<CheckResult> => {
    const r = await runDoctor({ ...base, ...over, only: [id] });
    return r.checks[0]!;
  };
  return { fs, base, check };
}

export const jwt = (expSecondsFromNow: number) =>
  `x.${Buffer.from(JSON.stringify({ exp: Math.floor(NOW.getTime() / 1000) + expSecondsFromNow })).toString('base64url')}.sig`;

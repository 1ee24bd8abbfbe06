/**
 * The workspace is resolved once per command and handed down: a library call
 * given one uses it as is (its file system, runner, environment, clock and
 * locations), and the commands that run migrate (doctor --fix, runtime on,
 * profile setup) run it in the caller's workspace.
 */
import { describe, expect, it } from 'vitest';
import { resolveWorkspace, withLocations } from '../../src/core/workspace.js';
import { applyFixes, plannedFixes } from '../../src/doctor/fix.js';
import { runDoctor } from '../../src/doctor/run.js';
import { switchRuntime } from '../../src/hermes/runtime-switch.js';
import { setupProfile } from '../../src/hermes/profiles.js';
import { readState } from '../../src/migrate/state.js';
import type { RunCommand } from '../../src/core/process.js';
import { memFileSystem } from '../helpers/memfs.js';

const HOME = '/home/me';
const HERMES = `${HOME}/.hermes`;
const CODEX = `${HOME}/.codex`;
const NOW = new Date('2026-11-29T12:00:00Z');
const YAML = 'model:\n  provider: openai\nmcp_servers:\n  gh:\n    command: npx\n';

/** A runner that answers `codex --version` and records every call. */
function recordingRun(calls: string[]): RunCommand {
  return async (file, args) => {
    calls.push([file, ...args].join(' '));
    if (args[0] === '--version') return { exitCode: 0, stdout: 'codex-cli 0.169.0\n', stderr: '' };
    return { exitCode: 0, stdout: '', stderr: '' };
  };
}

function workspace(files: Record<string, string | null> = {}) {
  const fs = memFileSystem({ '/bin/codex': '#!', '/venv/bin/python': '#!', [`${HERMES}/config.yaml`]: YAML, ...files });
  const calls: string[] = [];
  const ws = resolveWorkspace({ fs, run: recordingRun(calls), env: { PATH: '/bin', HERMES_PYTHON: '/venv/bin/python' }, home: HOME, cwd: HOME, codexBin: '/bin/codex', now: () => NOW });
  return { fs, calls, ws };
}

describe('workspace', () => {
  it('keeps only the locations that are set, and a given workspace is used as is', () => {
    const ws = resolveWorkspace({ env: {}, home: HOME, cwd: HOME, hermesConfig: '', profile: 'work', codexHome: undefined });
    expect(ws.locations).toEqual({ profile: 'work' });
    expect(resolveWorkspace({ workspace: ws, profile: 'other', env: { X: '1' } })).toBe(ws);
    expect(withLocations(ws, { profile: undefined, codexHome: '/c' }).locations).toEqual({ codexHome: '/c' });
    expect(ws.locations).toEqual({ profile: 'work' }); // unchanged
  });

  it('doctor --fix runs migrate in the doctor run\'s workspace: its file system, clock and CODEX_HOME', async () => {
    const { fs, ws } = workspace({ [`${CODEX}/config.toml`]: '[features]\nx = true\n' });
    const report = await runDoctor({ workspace: ws, only: ['migration.block'] });
    const fixes = plannedFixes(report.checks, CODEX);
    expect(fixes.map((f) => f.id)).toEqual(['migrate']);
    const [outcome] = await applyFixes(fixes, CODEX, { workspace: ws });
    expect(outcome).toMatchObject({ ok: true, text: expect.stringMatching(/^migrate: updated \/home\/me\/\.codex\/config\.toml/) });
    expect(String(await fs.readFile(`${CODEX}/config.toml`))).toMatch(/\[mcp_servers\.gh\]/);
    expect((await readState(fs, CODEX)).state?.updatedAt).toBe(NOW.toISOString());
  });

  it('runtime on and profile setup migrate in the caller\'s workspace', async () => {
    const { fs, calls, ws } = workspace({ [`${HERMES}/profiles/work/config.yaml`]: YAML, [`${CODEX}/.keep`]: '', [`${CODEX}/auth.json`]: '{"OPENAI_API_KEY":"sk-test"}' });
    const on = await switchRuntime('codex_app_server', { workspace: ws, migrate: { plugins: false, validateWithCodex: false } });
    expect(on.migration).toMatchObject({ ok: true, changed: true, target: `${CODEX}/config.toml` });
    // The workspace's runner, nothing else started: codex's version, and whether the callback's Python imports its module.
    expect(calls).toEqual(['/bin/codex --version', '/venv/bin/python -c import agent.transports.hermes_tools_mcp_server']);
    expect(String(await fs.readFile(`${HERMES}/config.yaml`))).toMatch(/openai_runtime: codex_app_server/);

    expect(on.notes.filter((n) => n.startsWith('model.provider'))).toEqual([]); // provider: openai is taken over

    const setup = await setupProfile('work', { workspace: ws, migrate: { plugins: false, validateWithCodex: false } });
    expect(setup.codexHome).toBe(`${HERMES}/profiles/work/codex`);
    expect(String(await fs.readFile(`${HERMES}/profiles/work/codex/config.toml`))).toMatch(/\[mcp_servers\.gh\]/);
    expect((await readState(fs, `${HERMES}/profiles/work/codex`)).state?.updatedAt).toBe(NOW.toISOString());
  });

  it('runtime on says when model.provider keeps turns off codex, for the root config and for a profile', async () => {
    const other = 'model:\n  provider: anthropic\nmcp_servers: {}\n';
    const { ws } = workspace({ [`${HERMES}/config.yaml`]: 'mcp_servers: {}\n', [`${HERMES}/profiles/work/config.yaml`]: other, [`${CODEX}/.keep`]: '', [`${CODEX}/auth.json`]: '{"OPENAI_API_KEY":"sk-test"}' });
    const migrate = { plugins: false, validateWithCodex: false };
    const root = await switchRuntime('codex_app_server', { workspace: ws, migrate });
    expect(root.notes).toContain("model.provider is not set: the codex runtime only takes over openai and openai-codex, so Hermes' turns keep running as before, not through codex, until model.provider is one of those");
    const work = await switchRuntime('codex_app_server', { workspace: withLocations(ws, { profile: 'work' }), migrate });
    expect(work.notes.find((n) => n.startsWith('model.provider'))).toMatch(/^model\.provider is anthropic: .* so profile work's turns keep running as before/);
  });
});

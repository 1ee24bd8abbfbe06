/**
 * Doctor check `hermes.tools-callback` on memfs with scripted process results.
 */
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../../src/doctor/run.js';
import { CODEX, setup } from '../../helpers/doctor.js';

describe('hermes.tools-callback', () => {
  it('hermes.tools-callback: missing entry, missing python, failing import, missing env_vars, ok', async () => {
    const entry = (cmd: string, envVars = '["HERMES_HOME", "HERMES_KANBAN_TASK"]') =>
      `[mcp_servers.hermes-tools]\ncommand = "${cmd}"\nargs = ["-m", "agent.transports.hermes_tools_mcp_server"]\nenv_vars = ${envVars}\n`;
    expect(await setup({ [`${CODEX}/config.toml`]: 'a = 1\n' }).check('hermes.tools-callback')).toMatchObject({ status: 'warn', fix: 'migrate' });
    expect(await setup({ [`${CODEX}/config.toml`]: entry('/gone/python') }).check('hermes.tools-callback')).toMatchObject({ status: 'fail', summary: expect.stringMatching(/does not exist/) });
    const noModule = { exitCode: 1, stdout: '', stderr: "ModuleNotFoundError: No module named 'agent'" };
    const failing = await setup({ [`${CODEX}/config.toml`]: entry('/venv/bin/python') }, { python: noModule }).check('hermes.tools-callback');
    expect(failing).toMatchObject({ status: 'fail', summary: expect.stringMatching(/silently vanish/) });
    expect(failing.details).toContain("ModuleNotFoundError: No module named 'agent'");
    expect(await setup({ [`${CODEX}/config.toml`]: entry('/venv/bin/python', '["HERMES_HOME"]') }).check('hermes.tools-callback')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/HERMES_KANBAN_TASK/) });
    expect(await setup({ [`${CODEX}/config.toml`]: entry('/venv/bin/python') }).check('hermes.tools-callback')).toMatchObject({ status: 'ok' });
  });

  it('honours migrate --no-hermes-tools: the callback is not reported missing, and no fix is offered', async () => {
    const { fs, base, check } = setup();
    const { migrate } = await import('../../../src/migrate/migrate.js');
    const { onProgress: _p, ...migrateBase } = base;
    await migrate({ ...migrateBase, hermesTools: false, plugins: false, validateWithCodex: false });
    expect(await check('hermes.tools-callback')).toMatchObject({ status: 'skip', summary: expect.stringMatching(/--no-hermes-tools/) });
    const { plannedFixes, workableFixes } = await import('../../../src/doctor/fix.js');
    const report = await runDoctor({ ...base, only: ['migration', 'hermes'] });
    expect(await workableFixes(plannedFixes(report.checks, CODEX), CODEX, { ...base })).toEqual([]);
    void fs;
  });


  it('names the Python under the resolved Hermes root in the callback hint when it exists, and never a path that does not', async () => {
    const toml = '[mcp_servers.hermes-tools]\ncommand = "/gone/python"\nargs = ["-m", "agent.transports.hermes_tools_mcp_server"]\n';
    const installed = '/srv/hermes/hermes-agent/venv/bin/python';
    const there = await setup({ [`${CODEX}/config.toml`]: toml, [installed]: '' }, {}, { HERMES_HOME: '/srv/hermes' }).check('hermes.tools-callback');
    expect(there.remediation).toMatch(new RegExp(`^Point the entry at the Python Hermes runs under: \`hermes-codex migrate .*--hermes-python ${installed}\`\\.$`));
    expect(there.remediation).not.toContain('~/.hermes');
    const absent = await setup({ [`${CODEX}/config.toml`]: toml }, {}, { HERMES_HOME: '/srv/hermes' }).check('hermes.tools-callback');
    expect(absent.remediation).toMatch(/--hermes-python PYTHON`, with PYTHON the interpreter on the first line of the `hermes` command/);
    expect(absent.remediation).toContain(`${installed}, which does not exist`);
  });

});

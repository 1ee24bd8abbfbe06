/**
 * Doctor: the runner: selection, timeouts, report formats, redaction.
 */
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../../src/doctor/run.js';
import { selectChecks } from '../../../src/doctor/registry.js';
import { renderDoctorGithub, renderDoctorHuman, renderDoctorJunit } from '../../../src/cli/render/doctor.js';
import { Chalk } from 'chalk';
import { CODEX, NOW, setup } from '../../helpers/doctor.js';
import { AppServerExitedError } from '../../../src/runtime/errors.js';

describe('the runner: selection, timeouts, report formats, redaction', () => {
  it('selects by id and category, runs live checks only with --live, rejects unknown ids', () => {
    expect(selectChecks({}).map((c) => c.id)).not.toContain('mcp.live');
    expect(selectChecks({ live: true }).map((c) => c.id)).toEqual(expect.arrayContaining(['mcp.live', 'auth.live']));
    expect(selectChecks({ live: true }).map((c) => c.id)).not.toContain('turn.smoke');
    expect(selectChecks({ only: ['hermes'] }).map((c) => c.id)).toEqual(['hermes.runtime', 'hermes.auxiliary', 'hermes.tools-callback', 'hermes.profiles']);
    expect(selectChecks({ skip: ['codex', 'mcp.servers'] }).map((c) => c.id)).toEqual(['migration.block', 'hermes.runtime', 'hermes.auxiliary', 'hermes.tools-callback', 'hermes.profiles']);
    expect(() => selectChecks({ only: ['nope'] })).toThrow(/^unknown check nope \(see --list-checks\)$/);
    // A near miss, and the parts of an id in the other order, get a suggestion.
    expect(() => selectChecks({ only: ['codex.versio'] })).toThrow(/^unknown check codex\.versio \(did you mean codex\.version\?\)/);
    expect(() => selectChecks({ skip: ['live.mcp', 'migraton'] })).toThrow(/^unknown check live\.mcp \(did you mean mcp\.live\?\), migraton \(did you mean migration\?\)/);
  });

  it('refuses a selection that leaves nothing to run (it reported "healthy" having checked nothing)', () => {
    expect(() => selectChecks({ only: ['codex'], skip: ['codex'] })).toThrow(/^--only codex with --skip codex leaves no check to run$/);
    expect(() => selectChecks({ skip: ['codex', 'migration', 'hermes', 'mcp'] })).toThrow(/^--skip codex,migration,hermes,mcp leaves no check to run$/);
    expect(() => selectChecks({ only: ['turn.smoke'], skip: ['live'], turn: true })).toThrow(/leaves no check to run/);
    expect(selectChecks({ only: ['codex'], skip: ['codex.auth'] }).map((c) => c.id)).toEqual(['codex.binary', 'codex.version', 'codex.home', 'codex.config']);
  });


  it('turns a throwing or hanging check into a failed check, not a crash', async () => {
    const { base } = setup({ [CODEX]: null });
    const hanging = await runDoctor({ ...base, only: ['mcp.live'], startClient: () => new Promise(() => {}), checkTimeoutMs: 50 });
    expect(hanging.checks[0]).toMatchObject({ status: 'fail', summary: 'check failed: no answer after 0 s' });
    const throwing = await runDoctor({ ...base, only: ['auth.live'], startClient: async () => Promise.reject(new Error('boom')) });
    expect(throwing.checks[0]).toMatchObject({ status: 'fail', summary: 'check failed: boom' });
    expect(throwing.overallStatus).toBe('fail');
    // codex exiting under a live check: its last stderr lines are the details (the why), redacted.
    const exited = await runDoctor({
      ...base,
      env: { ...base.env, OPENAI_API_KEY: 'sk-secret-123456789' },
      only: ['mcp.live'],
      startClient: async () => Promise.reject(new AppServerExitedError('codex app-server exited (exit status 1)', 1, null, 'starting\nError: database is locked (key sk-secret-123456789)')),
    });
    expect(exited.checks[0]).toMatchObject({ status: 'fail', summary: 'check failed: codex app-server exited (exit status 1)' });
    expect(exited.checks[0]!.details).toEqual(['codex stderr: starting', expect.stringMatching(/^codex stderr: Error: database is locked \(key (?!sk-secret)/)]);
  });


  it('produces the JSON report shape, JUnit XML and GitHub annotations', async () => {
    const { base } = setup({ [CODEX]: null });
    const r = await runDoctor({ ...base, only: ['codex'] });
    expect(r).toMatchObject({ schemaVersion: 1, generatedAt: NOW.toISOString(), overallStatus: 'fail', codexVersion: '0.169.0', codexHome: CODEX });
    expect(Object.keys(r.checks[0]!).sort()).toEqual(['category', 'details', 'durationMs', 'fixable', 'id', 'remediation', 'status', 'summary', 'title']);
    const junit = renderDoctorJunit(r);
    expect(junit).toMatch(/<testsuites name="hermes-codex doctor" tests="5" failures="1"/);
    expect(junit).toContain('<testcase classname="hermes-codex.doctor.codex" name="codex.auth"');
    const gh = renderDoctorGithub(r);
    expect(gh).toMatch(/^::error title=hermes-codex doctor%3A codex\.auth::not logged in/m);
    expect(gh).toMatch(/^::notice title=hermes-codex doctor::fail: /m);
    const human = renderDoctorHuman(r, new Chalk({ level: 0 }), { ascii: true });
    expect(human).toMatch(/\[FAIL\] codex\.auth: not logged in/);
    expect(human).toMatch(/-> Run `CODEX_HOME=/);
    expect(human).toMatch(/not usable yet: 3 ok, 1 warning\(s\), 1 failed/); // memfs makes directories 0777: group-writable CODEX_HOME
  });

  it('shows control characters that codex, an MCP server or a marketplace put in a check as escapes, keeping line breaks', () => {
    const r = {
      schemaVersion: 1 as const,
      generatedAt: NOW.toISOString(),
      overallStatus: 'fail' as const,
      toolVersion: '0.1.0',
      codexVersion: '0.169.0',
      codexHome: '/h/.codex',
      checks: [
        { id: 'mcp.live', category: 'live' as const, title: 't', status: 'fail' as const, summary: 'srv\u001b[2K\rok: failed', details: ['a\u0007\nb'], remediation: 'fix \u009b31m it', durationMs: 1, fixable: false },
      ],
    };
    const human = renderDoctorHuman(r, new Chalk({ level: 0 }), { verbose: true });
    expect(human).toContain('✗ mcp.live: srv\\u001b[2K\\u000dok: failed');
    expect(human).toContain('      a\\u0007\nb');
    expect(human).toContain('→ fix \\u009b31m it');
    expect(human).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('--only live does not run the smoke turn (a real model call) without --turn', async () => {
    const { selectChecks } = await import('../../../src/doctor/registry.js');
    expect(selectChecks({ only: ['live'] }).map((c) => c.id)).not.toContain('turn.smoke');
    expect(selectChecks({ only: ['live'], turn: true }).map((c) => c.id)).toContain('turn.smoke');
    expect(selectChecks({ only: ['turn.smoke'] }).map((c) => c.id)).toEqual(['turn.smoke']);
  });

  it('takes secrets out of every row, whichever check quoted them', async () => {
    const toml = '[mcp_servers.a]\ncommand = "/opt/run-with-sk-abcdefghijklmnopqrstuv"\n';
    const { check } = setup({ [`${CODEX}/config.toml`]: toml }, {}, { MY_SERVICE_TOKEN: '/opt/run-with-sk-abcdefghijklmnopqrstuv' });
    const r = await check('mcp.servers');
    expect(r.status).toBe('fail');
    expect(JSON.stringify(r)).not.toContain('sk-abcdefghijklmnopqrstuv');
    expect(r.summary).toContain('***');
  });
});

/**
 * What `runtime on` and `profile setup` tell people about the migration they
 * ran: the servers that failed with why, and every warning (they were
 * dropped: a server whose token variable was skipped looked fine).
 * Reports come from the real library calls on memfs.
 */
import { describe, expect, it } from 'vitest';
import { resolveWorkspace } from '../../src/core/workspace.js';
import { switchRuntime } from '../../src/hermes/runtime-switch.js';
import { setupProfile } from '../../src/hermes/profiles.js';
import { renderProfileSetup, renderSwitch } from '../../src/cli/render/runtime.js';
import { plainStyle } from '../../src/cli/output.js';
import { memFileSystem } from '../helpers/memfs.js';

const HOME = '/home/me';
const HERMES = `${HOME}/.hermes`;
// `gh` forwards a variable under another name (skipped, with a warning); `bad` has neither command nor url (fails).
const YAML = 'model:\n  provider: openai\nmcp_servers:\n  gh:\n    command: npx\n    env:\n      GITHUB_PERSONAL_ACCESS_TOKEN: "${GITHUB_TOKEN}"\n  bad:\n    timeout: 5\n';

function workspace() {
  const fs = memFileSystem({
    '/bin/codex': '#!',
    '/venv/bin/python': '#!',
    [`${HERMES}/config.yaml`]: YAML,
    [`${HERMES}/profiles/work/config.yaml`]: YAML,
    [`${HOME}/.codex/.keep`]: '',
    [`${HOME}/.codex/auth.json`]: '{"OPENAI_API_KEY":"sk-test"}', // a login: runtime on refuses without one
  });
  const run = async () => ({ exitCode: 0, stdout: 'codex-cli 0.169.0\n', stderr: '' });
  return resolveWorkspace({ fs, run, env: { PATH: '/bin', HERMES_PYTHON: '/venv/bin/python' }, home: HOME, cwd: HOME, codexBin: '/bin/codex', now: () => new Date('2026-11-30T00:00:00Z') });
}
const migrate = { plugins: false, validateWithCodex: false };

describe('migration warnings after runtime on and profile setup', () => {
  it('runtime on reports and shows each warning of the migration it ran', async () => {
    const r = await switchRuntime('codex_app_server', { workspace: workspace(), migrate });
    expect(r.migration).toMatchObject({ ok: true, failedServers: ['bad'] });
    const warnings = r.migration?.ok ? r.migration.warnings : [];
    expect(warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^gh: env GITHUB_PERSONAL_ACCESS_TOKEN = \$\{GITHUB_TOKEN\} skipped/)]));
    const text = renderSwitch(r, plainStyle());
    for (const w of warnings) expect(text).toContain(`  ⚠ ${w}`);
    expect(text).toContain('servers not migrated: bad');
  });

  it('profile setup shows why a server failed and each warning', async () => {
    const r = await setupProfile('work', { workspace: workspace(), migrate });
    const text = renderProfileSetup(r, plainStyle());
    expect(text).toMatch(/⚠ not migrated: bad: \S.*/);
    expect(text).toMatch(/⚠ gh: env GITHUB_PERSONAL_ACCESS_TOKEN = \$\{GITHUB_TOKEN\} skipped/);
    expect(r.migration.warnings.length).toBeGreaterThan(0);
    for (const w of r.migration.warnings) expect(text).toContain(w.message);
  });
});

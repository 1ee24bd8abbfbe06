/**
 * Rendering for `runtime` and `profile` (people; --json prints the reports as they are).
 */
import type { ChalkInstance } from 'chalk';
import type { RuntimeStatus, SwitchReport } from '../../hermes/runtime-switch.js';
import type { ProfileRow, SetupReport } from '../../hermes/profiles.js';

const label = (v: string) => (v === 'codex_app_server' ? 'on (codex_app_server)' : 'off (auto)');

/** `runtime status`: Hermes' `model.openai_runtime` setting (and the config it is read from), codex's version, CODEX_HOME and the managed block's state. */
export function renderRuntimeStatus(s: RuntimeStatus, c: ChalkInstance): string {
  const runtime = !s.hermesConfigExists
    ? c.yellow(`no Hermes config at ${s.hermesConfig}`) + ' (Hermes would run its defaults: the codex runtime is off; `hermes setup` creates the config, then `hermes-codex runtime on` switches it on)'
    : `${s.runtime === 'codex_app_server' ? c.green(label(s.runtime)) : label(s.runtime)}${s.rawValue !== null && String(s.rawValue).toLowerCase() !== s.runtime ? c.yellow(` (config says ${JSON.stringify(s.rawValue)})`) : ''}`;
  const lines = [
    `Hermes codex runtime: ${runtime}`,
    `  config:      ${s.hermesConfig}${s.profile ? ` (profile ${s.profile})` : ''}${s.hermesConfigExists ? '' : c.yellow(' (missing)')}`,
    `  codex:       ${s.codexVersion ?? c.red(s.codexError ?? 'not found')}`,
    `  CODEX_HOME:  ${s.codexHome}`,
    `  managed block: ${s.block === 'current' ? c.green('present and current') : c.yellow(`${s.block}: ${s.blockDetail}`)}`,
    c.dim(s.note),
  ];
  return lines.join('\n') + '\n';
}

/** What `runtime on|off` changed (or that nothing needed to), and what to run next. */
export function renderSwitch(r: SwitchReport, c: ChalkInstance): string {
  const lines = [
    r.changed ? `${c.green('✓')} model.openai_runtime: ${label(r.previous)} → ${label(r.runtime)} in ${r.hermesConfig}` : `model.openai_runtime already ${label(r.runtime)} in ${r.hermesConfig}; nothing written`,
  ];
  if (r.codexVersion) lines.push(`  codex ${r.codexVersion}`);
  if (r.migration?.ok) {
    lines.push(`${c.green('✓')} migrated into ${r.migration.target}${r.migration.changed ? '' : ' (already current)'}${r.migration.backup ? ` (backup ${r.migration.backup})` : ''}`);
    if (r.migration.failedServers.length) lines.push(c.yellow(`  ⚠ servers not migrated: ${r.migration.failedServers.join(', ')} (run \`hermes-codex migrate\` for details)`));
    for (const w of r.migration.warnings) lines.push(c.yellow(`  ⚠ ${w}`));
  } else if (r.migration) {
    lines.push(c.yellow(`⚠ the switch stands, but the migration failed: ${r.migration.error}`));
    lines.push(`  next: ${r.migration.next}`);
  }
  for (const n of r.notes) lines.push(c.yellow(`⚠ ${n}`));
  lines.push(c.dim(r.note));
  return lines.join('\n') + '\n';
}

/** What `profile setup` created or found for a profile's own CODEX_HOME. */
export function renderProfileSetup(r: SetupReport, c: ChalkInstance): string {
  return [
    `${c.green('✓')} profile ${r.profile}: CODEX_HOME ${r.codexHome}${r.created ? ' (created, 0700)' : ' (already there)'}`,
    `${c.green('✓')} migrated ${r.migration.servers.migrated.length} server(s) into ${r.migration.target}${r.migration.changed ? '' : ' (already current)'}`,
    ...r.migration.servers.failed.map((f) => c.yellow(`  ⚠ not migrated: ${f.name}: ${f.reason}`)),
    ...r.migration.warnings.map((w) => c.yellow(`  ⚠ ${w.server ? `${w.server}: ` : ''}${w.message}`)),
    '',
    'Use it:',
    `  ${r.exportLine}`,
    ...(r.login === 'none'
      ? [`  ${r.loginCommand}        # once: this CODEX_HOME has its own login (auth.json is never copied)`, `  ${r.apiKeyLoginCommand}        # or this, for an API key`]
      : [`  (logged in: ${r.login})`]),
    c.dim('HOME stays as it is, so git, gh and other tools keep their own config.'),
  ].join('\n') + '\n';
}

/** `profile list`: a table, one row per Hermes profile (CODEX_HOME, own or shared, login, managed block); `root`: the Hermes root looked in, named when there are none. */
export function renderProfileList(rows: readonly ProfileRow[], c: ChalkInstance, root?: string): string {
  if (!rows.length) return root ? `no Hermes profiles under ${root}/profiles (Hermes creates one with \`hermes profile create NAME\`)\n` : 'no Hermes profiles\n';
  const header = ['PROFILE', 'CODEX_HOME', 'ISOLATION', 'LOGIN', 'BLOCK'];
  const table = rows.map((r) => [r.name, r.codexHome, r.isolated ? 'own' : 'shared', r.login, r.block]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const fmt = (cells: string[]) => cells.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  return [fmt(header), ...table.map((t) => fmt(t))].join('\n') + '\n' + (rows.some((r) => !r.isolated) ? c.dim('shared: uses the default CODEX_HOME; `hermes-codex profile setup NAME` gives a profile its own.\n') : '');
}

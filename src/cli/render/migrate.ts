/**
 * The migration report for people.
 */
import type { ChalkInstance } from 'chalk';
import type { MigrationReport } from '../../migrate/report.js';
import { userDeclaredMessage } from '../../migrate/plan.js';
import { visible } from './visible.js';

/** Where the hermes-tools interpreter came from, in words (`pythonSource` in --json keeps the short form). */
const PYTHON_SOURCE_WORDS: Record<string, string> = {
  flag: 'from --hermes-python',
  env: 'from $HERMES_PYTHON',
  venv: "Hermes' virtualenv",
  path: 'python3 on PATH; Hermes has no virtualenv here',
  fallback: 'python3, not found on PATH',
};

/** Human-readable report; the diff (when present) comes first, colored on a TTY. */
export function renderMigrationReport(r: MigrationReport, c: ChalkInstance): string {
  const lines: string[] = [];
  if (r.diff) {
    for (const l of r.diff.replace(/\n$/, '').split('\n')) {
      if (l.startsWith('+++') || l.startsWith('---')) lines.push(c.bold(l));
      else if (l.startsWith('+')) lines.push(c.green(l));
      else if (l.startsWith('-')) lines.push(c.red(l));
      else if (l.startsWith('@@')) lines.push(c.cyan(l));
      else lines.push(l);
    }
    lines.push('');
  }
  const verb = r.dryRun ? (r.changed ? 'Would update' : 'Up to date:') : r.changed ? 'Updated' : 'Up to date:';
  lines.push(`${c.bold(verb)} ${r.target}${r.dryRun ? c.dim(' (dry run, nothing written)') : ''}`);
  lines.push(`  from ${r.source}${r.profile ? ` (profile ${r.profile}${r.profileFromHermesHome ? ', the one HERMES_HOME points at: its CODEX_HOME too' : ''})` : ''}`);
  if (r.codexHome.created) lines.push(`  created CODEX_HOME ${r.codexHome.path} (0700)`);
  if (r.backup) lines.push(`  backup of the previous file: ${r.backup}`);

  const ok = c.green('✓');
  const bad = c.red('✗');
  const warnMark = c.yellow('⚠');
  lines.push('');
  const { migrated, failed, userDeclared } = r.servers;
  if (migrated.length === 0 && failed.length === 0 && userDeclared.length === 0) lines.push('MCP servers: none in the Hermes config');
  else {
    lines.push(
      `MCP servers: ${migrated.length} migrated${failed.length ? `, ${c.red(`${failed.length} failed`)}` : ''}${userDeclared.length ? `, ${userDeclared.length} declared by you outside the block` : ''}`,
    );
  }
  for (const name of migrated) lines.push(`  ${ok} ${name}`);
  for (const f of failed) lines.push(`  ${bad} ${f.name}: ${f.reason}`);
  for (const name of userDeclared) lines.push(`  ${c.dim('–')} ${name}: your [mcp_servers.${name}] outside the block wins; Hermes' entry is not written`);

  lines.push(
    r.hermesTools.written
      ? // A warning about it (an interpreter that is not there, or that may not import the module) marks it too.
        `${r.warnings.some((w) => w.server === 'hermes-tools') ? warnMark : ok} hermes-tools callback: ${r.hermesTools.command} (${PYTHON_SOURCE_WORDS[r.hermesTools.pythonSource ?? ''] ?? r.hermesTools.pythonSource})`
      : `${c.dim('–')} hermes-tools callback not written: ${r.hermesTools.reason}`,
  );
  lines.push(
    r.permissions.written
      ? `${ok} default_permissions = "${r.permissions.profile}"`
      : `${c.dim('–')} default_permissions not written: ${r.permissions.reason}`,
  );
  const pl = r.plugins;
  if (pl.status === 'discovered') {
    lines.push(`Plugins: ${pl.migrated.length} enabled${pl.skipped.length ? `, ${pl.skipped.length} skipped` : ''}`);
    // Plugin ids and codex's messages come from marketplaces: control characters shown as escapes.
    for (const key of pl.migrated) lines.push(`  ${ok} ${visible(key)}${pl.consolidated.includes(key) ? c.dim(' (its table from codex plugin add now lives in the block)') : ''}`);
    for (const s of pl.skipped) lines.push(`  ${c.dim('–')} ${visible(s.id)}: ${visible(s.reason)}`);
  } else if (pl.status === 'failed') lines.push(`${warnMark} plugins left as they were: ${visible(pl.error ?? '')}`);
  else lines.push(`${c.dim('–')} plugins not queried: ${pl.reason}`);
  if (r.keptFromBlock.length) {
    lines.push(`${warnMark} kept as yours, moved out of the managed block unchanged:`);
    for (const k of r.keptFromBlock) lines.push(`    ${k.entry}: ${k.reason}${k.removeWith ? ` (not yours? \`${k.removeWith}\`)` : ''}`);
  }
  for (const k of r.keptCodexEdits) lines.push(`${ok} kept Codex's edits to ${k.entry}: ${k.keys.join(', ')}`);
  for (const k of r.repaired) lines.push(`${warnMark} repaired ${k.entry}: ${k.action}`);
  if (r.recoveredTables.length) lines.push(`${warnMark} took back tables this tool wrote that were outside the block: ${r.recoveredTables.join(', ')}`);
  if (r.block.legacy) lines.push(`${warnMark} the old managed block had no end marker; rewritten with both markers`);
  if (r.block.orphanEndMarkerLines.length) lines.push(`${warnMark} removed a stray end marker (line ${r.block.orphanEndMarkerLines.join(', ')})`);

  lines.push(
    r.validation.codex === 'accepted'
      ? `${ok} codex's own config loader accepts the result (${r.validation.bin})`
      : `${c.dim('–')} codex validation skipped: ${r.validation.reason}`,
  );

  // A server declared outside the block has its own line above; its warning (kept for --json) is not repeated.
  const warnings = r.warnings.filter((w) => !(w.server !== null && userDeclared.includes(w.server) && w.message === userDeclaredMessage(w.server)));
  if (warnings.length) {
    lines.push('');
    lines.push(c.yellow(`Warnings (${warnings.length}):`));
    for (const w of warnings) lines.push(`  ${warnMark} ${visible(`${w.server ? `${w.server}: ` : ''}${w.message}`, { lines: true })}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The plugin listing for people.
 */
import type { ChalkInstance } from 'chalk';
import type { PluginListing } from '../../plugins/decide.js';
import { visible } from './visible.js';

/**
 * A table, one row per plugin codex reported (marketplace, installed, enabled, availability, what
 * migrate does with it and why), under a heading naming CODEX_HOME and codex's version. Ids, names
 * and messages come from marketplaces: their control characters are shown as escapes (`visible`).
 */
export function renderPlugins(listing: PluginListing & { codexVersion: string }, codexHome: string, c: ChalkInstance): string {
  const lines = [`Codex plugins in ${codexHome} (codex ${listing.codexVersion})`, ''];
  if (listing.plugins.length === 0) lines.push('  none reported');
  const rows = listing.plugins.map((p) =>
    [p.key, p.marketplace, p.installed ? 'installed' : 'not installed', p.enabled ? 'enabled' : 'disabled', p.availability ?? '(none)', p.decision, p.reason].map(
      (cell) => visible(cell),
    ),
  );
  const header = ['PLUGIN', 'MARKETPLACE', 'INSTALLED', 'ENABLED', 'AVAILABILITY', 'MIGRATE', 'WHY'];
  const widths = header.slice(0, 6).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  if (rows.length) {
    lines.push('  ' + header.map((h, i) => (i < 6 ? h.padEnd(widths[i]!) : h)).join('  '));
    for (const r of rows) {
      const cells = r.map((cell, i) => (i < 6 ? cell.padEnd(widths[i]!) : cell));
      cells[5] = r[5] === 'migrate' ? c.green(cells[5]!) : c.dim(cells[5]!);
      lines.push('  ' + cells.join('  '));
    }
  }
  for (const w of listing.warnings) lines.push(`${c.yellow('⚠')} ${visible(w)}`);
  return lines.join('\n') + '\n';
}

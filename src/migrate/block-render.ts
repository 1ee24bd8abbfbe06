/**
 * Rendering of the managed block. The two marker lines are the ones Hermes'
 * own Python migration writes (NousResearch/hermes-agent,
 * `hermes_cli/codex_runtime_migration`), so both tools manage one block.
 */
import { formatKey, formatKeyPath, formatString, formatValue } from '../config/toml-format.js';
import type { CodexServerEntry } from './types.js';

export const START_MARKER = '# managed by hermes-agent — `hermes codex-runtime migrate` regenerates this section';
export const END_MARKER = '# end hermes-agent managed section';

export interface BlockContent {
  /** `default_permissions` root key, or null to leave it out. */
  defaultPermissions: string | null;
  /** Server tables in output order. */
  servers: readonly CodexServerEntry[];
  /** `[plugins."<key>"]` tables with their `enabled` value, in output order. */
  plugins?: readonly { key: string; enabled: boolean }[];
  /** Lines carried over verbatim from the previous block (entries not regenerated this run). */
  carried?: readonly string[];
}

/**
 * The block's lines, markers included, without line terminators.
 * Root keys come first (the block sits before any table header, so they stay root keys).
 */
export function renderBlockLines(content: BlockContent): string[] {
  const lines = [START_MARKER];
  const plugins = content.plugins ?? [];
  const carried = content.carried ?? [];
  if (content.defaultPermissions === null && content.servers.length === 0 && plugins.length === 0 && carried.length === 0) {
    lines.push('# (no MCP servers or permissions configured by Hermes)');
  }
  if (content.defaultPermissions !== null) {
    lines.push(`default_permissions = ${formatString(content.defaultPermissions)}`);
  }
  for (const server of content.servers) {
    if (lines.length > 1) lines.push('');
    lines.push(`[${formatKeyPath(['mcp_servers', server.name])}]`);
    for (const [key, value] of server.fields) lines.push(`${formatKey(key)} = ${formatValue(value)}`);
    if (server.keptLines) {
      lines.push(...server.keptLines.keyLines);
      const tables = server.keptLines.tables;
      if (tables.length && tables[0]!.trim() !== '') lines.push('');
      lines.push(...tables);
      while (lines[lines.length - 1]!.trim() === '') lines.pop();
    }
  }
  for (const plugin of plugins) {
    if (lines.length > 1) lines.push('');
    lines.push(`[${formatKeyPath(['plugins', plugin.key])}]`);
    lines.push(`enabled = ${plugin.enabled ? 'true' : 'false'}`);
  }
  if (carried.length) {
    if (lines.length > 1 && carried[0]!.trim() !== '') lines.push('');
    lines.push(...carried);
    while (lines.length > 1 && lines[lines.length - 1]!.trim() === '') lines.pop();
  }
  lines.push(END_MARKER);
  return lines;
}

/**
 * Shapes shared by the migration modules and its report.
 */
import type { TomlValue } from '../config/toml-format.js';

/** One `[mcp_servers.<name>]` table to write, fields in output order. */
export interface CodexServerEntry {
  name: string;
  /** `stdio` (command) or `http` (streamable HTTP, url). */
  transport: 'stdio' | 'http';
  fields: [key: string, value: TomlValue][];
  /** Keys written for what Hermes does when the server does not say (its default timeouts, the environment it passes), not from the server's own settings. */
  fromHermesBehaviour?: string[];
  /** Lines Codex's config writer put into this managed table, kept as found: key lines, then sub-tables. */
  keptLines?: { keyLines: readonly string[]; tables: readonly string[] };
}

/** A non-fatal finding. `server` is null for run-wide warnings; `key` names the Hermes key when there is one. */
export interface MigrationWarning {
  server: string | null;
  key: string | null;
  message: string;
}

export type ServerTranslation =
  | { ok: true; name: string; entry: CodexServerEntry; warnings: MigrationWarning[] }
  | { ok: false; name: string; reason: string; warnings: MigrationWarning[] };

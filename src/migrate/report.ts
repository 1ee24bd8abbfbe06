/**
 * The migration report: what `migrate()` returns and `--json` prints.
 * Stable and versioned: fields are only added; a breaking change bumps
 * `schemaVersion`. Documented in docs/migrate.md.
 */
import type { LoaderFinding } from '../codex/loader.js';
import type { HermesToolsOutcome, PermissionsOutcome } from './plan.js';
import type { MigrationWarning } from './types.js';

export interface MigrationReport {
  schemaVersion: 1;
  dryRun: boolean;
  /** The Hermes config.yaml read. */
  source: string;
  /** The Hermes profile, when `--profile` chose the config. */
  profile?: string;
  /** The config.toml written (or that would be written). */
  target: string;
  codexHome: { path: string; source: 'flag' | 'CODEX_HOME' | 'default'; created: boolean };
  /** Whether config.toml changed (or would change, for a dry run). */
  changed: boolean;
  /** Backup of the previous config.toml, when one was written. */
  backup: string | null;
  servers: { migrated: string[]; failed: { name: string; reason: string }[] };
  warnings: MigrationWarning[];
  /** Tables found inside the managed block that this tool did not write; moved out unchanged. */
  preservedUserTables: string[];
  /** Tables this tool wrote that had escaped the block (markers removed); taken back. */
  recoveredTables: string[];
  permissions: PermissionsOutcome;
  hermesTools: HermesToolsOutcome;
  block: { existed: boolean; legacy: boolean; orphanEndMarkerLines: number[] };
  validation:
    | { codex: 'accepted'; bin: string; strictFindings: LoaderFinding[] }
    | { codex: 'skipped'; reason: string; bin?: string };
  /** Unified diff of config.toml (dry runs, or `--diff`); secret values redacted unless `--show-secrets`. */
  diff?: string;
}

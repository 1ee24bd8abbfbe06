/**
 * The migration report: what `migrate()` returns and `--json` prints.
 * Stable and versioned: fields are only added; a breaking change bumps
 * `schemaVersion`. Documented in docs/migrate.md.
 */
import type { LoaderCheck, LoaderFinding } from '../codex/loader.js';
import type { MigrationOutcome } from './plan.js';

/** The report: where, whether anything changed, the outcome (see MigrationOutcome) and the validation. */
export interface MigrationReport extends MigrationOutcome {
  schemaVersion: 1;
  dryRun: boolean;
  /** The Hermes config.yaml read. */
  source: string;
  /** The Hermes profile, when `--profile` chose the config or HERMES_HOME points at a profile. */
  profile?: string;
  /** Set when the profile is the one HERMES_HOME points at (no `--profile`). */
  profileFromHermesHome?: true;
  /** The config.toml written (or that would be written). */
  target: string;
  codexHome: { path: string; source: 'flag' | 'CODEX_HOME' | 'default'; created: boolean };
  /** Whether config.toml changed (or would change, for a dry run). */
  changed: boolean;
  /** Backup of the previous config.toml, when one was written. */
  backup: string | null;
  validation:
    | { codex: 'accepted'; bin: string; strictFindings: LoaderFinding[]; check: LoaderCheck; codexVersion?: string }
    | { codex: 'skipped'; reason: string; bin?: string };
  /** Unified diff of config.toml (dry runs, or `--diff`); secret values redacted unless `--show-secrets`. */
  diff?: string;
}

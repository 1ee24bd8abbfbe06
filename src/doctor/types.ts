/**
 * Doctor's shapes: a check is a record in a registry; every check returns
 * the same result shape (after expo-doctor's registry and codex doctor's
 * report: id, category, status, summary, details, remediation, duration).
 */
import type { DoctorContext } from './context.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';
export type Category = 'codex' | 'migration' | 'hermes' | 'mcp' | 'live';

/** A safe, reversible fix `--fix` may apply. */
export type FixId = 'create-codex-home' | 'chmod-auth' | 'migrate';

export interface CheckOutcome {
  status: CheckStatus;
  /** One line. */
  summary: string;
  /** More lines for --verbose; never secrets. */
  details?: string[];
  /** What to do, for warn and fail. */
  remediation?: string;
  fix?: FixId;
  /** Machine-readable findings for callers (e.g. `{block: "drift"}`); part of the JSON report. */
  facts?: Record<string, string>;
}

export interface CheckResult {
  id: string;
  category: Category;
  title: string;
  status: CheckStatus;
  summary: string;
  details: string[];
  remediation: string | null;
  durationMs: number;
  /** `--fix` can repair this. */
  fixable: boolean;
  fix?: FixId;
  facts?: Record<string, string>;
}

export interface CheckDefinition {
  id: string;
  category: Category;
  title: string;
  /** Runs only with --live (it starts codex). */
  live?: boolean;
  /** Runs only with --turn (a smoke turn). */
  turn?: boolean;
  run(ctx: DoctorContext): Promise<CheckOutcome>;
}

export interface DoctorReport {
  schemaVersion: 1;
  generatedAt: string;
  overallStatus: 'ok' | 'warn' | 'fail';
  toolVersion: string;
  codexVersion: string | null;
  /** The CODEX_HOME checked (null when it could not be resolved). */
  codexHome: string | null;
  checks: CheckResult[];
}

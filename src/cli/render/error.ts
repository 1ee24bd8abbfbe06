/**
 * Rendering an error for people (stderr) and for machines (`--json`).
 */
import { HermesCodexError } from '../../core/errors.js';
import type { ChalkInstance } from 'chalk';

/** `error: message` plus the remediation, for stderr. */
export function renderError(err: HermesCodexError, c: ChalkInstance): string {
  let s = `${c.red.bold('error:')} ${err.message}\n`;
  if (err.remediation) s += `${c.dim('  fix:')} ${err.remediation}\n`;
  return s;
}

/** The `--json` shape of an error: `{schemaVersion, error: {type, message, file, line, column, remediation, exitCode}}`. */
export function errorJson(err: HermesCodexError): object {
  return {
    schemaVersion: 1,
    error: {
      type: err.name,
      message: err.message,
      file: err.location.file ?? null,
      line: err.location.line ?? null,
      column: err.location.column ?? null,
      remediation: err.remediation ?? null,
      exitCode: err.exitCode,
    },
  };
}

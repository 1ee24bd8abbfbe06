/**
 * Every doctor check, in display order.
 */
import { codexChecks } from './checks/codex.js';
import { migrationChecks } from './checks/migration.js';
import { hermesChecks } from './checks/hermes.js';
import { mcpChecks } from './checks/mcp.js';
import { liveChecks } from './checks/live.js';
import type { CheckDefinition } from './types.js';
import { UsageError } from '../errors.js';

/** `--only`/`--skip` named a check or category that does not exist. */
export class UnknownCheckError extends UsageError {}

export const ALL_CHECKS: readonly CheckDefinition[] = [...codexChecks, ...migrationChecks, ...hermesChecks, ...mcpChecks, ...liveChecks];

export interface Selection {
  live?: boolean;
  turn?: boolean;
  only?: readonly string[];
  skip?: readonly string[];
}

/**
 * The checks to run. `--only`/`--skip` take ids or categories (`codex`,
 * `live`, …); naming a live check in `--only` runs it without `--live`,
 * but the smoke turn runs only with `--turn` or when named by its own id.
 * @throws UnknownCheckError (a usage error, exit 2) naming unknown ids
 */
export function selectChecks(sel: Selection): CheckDefinition[] {
  const known = new Set([...ALL_CHECKS.map((c) => c.id), ...ALL_CHECKS.map((c) => c.category)]);
  const unknown = [...(sel.only ?? []), ...(sel.skip ?? [])].filter((id) => !known.has(id));
  if (unknown.length) throw new UnknownCheckError(`unknown check ${unknown.join(', ')} (see --list-checks)`, { remediation: 'Run `hermes-codex doctor --list-checks`.' });
  const matches = (c: CheckDefinition, ids: readonly string[]) => ids.includes(c.id) || ids.includes(c.category);
  return ALL_CHECKS.filter((c) => {
    if (sel.only?.length) {
      if (!matches(c, sel.only)) return false;
      // A category never switches on what needs its own flag: the smoke turn (a real model call) runs only
      // with --turn or when named by its id.
      if (c.turn && !sel.turn && !sel.only.includes(c.id)) return false;
    } else {
      if (c.turn && !sel.turn) return false;
      if (c.live && !sel.live && !sel.turn) return false;
    }
    return !(sel.skip?.length && matches(c, sel.skip));
  });
}

/**
 * Every doctor check, in display order (each in its own file under checks/), and the selection by --only/--skip.
 */
import { codexBinary } from './checks/codex/binary.js';
import { codexVersion } from './checks/codex/version.js';
import { codexHome } from './checks/codex/home.js';
import { codexAuth } from './checks/codex/auth.js';
import { codexConfig } from './checks/codex/config.js';
import { migrationBlock } from './checks/migration/block.js';
import { hermesRuntime } from './checks/hermes/runtime.js';
import { hermesAuxiliary } from './checks/hermes/auxiliary.js';
import { hermesToolsCallback } from './checks/hermes/tools-callback.js';
import { hermesProfiles } from './checks/hermes/profiles.js';
import { mcpServers } from './checks/mcp/servers.js';
import { mcpLive } from './checks/live/mcp.js';
import { pluginsLive } from './checks/live/plugins.js';
import { permissionsLive } from './checks/live/permissions.js';
import { authLive } from './checks/live/auth.js';
import { turnSmoke } from './checks/live/turn.js';
import type { CheckDefinition } from './types.js';
import { UsageError } from '../core/errors.js';
import { nearestWord } from '../core/suggest.js';

/** `--only`/`--skip` named a check or category that does not exist. */
export class UnknownCheckError extends UsageError {}

/** Every check, one per file under checks/<category>/, in display order. */
export const ALL_CHECKS: readonly CheckDefinition[] = [
  codexBinary,
  codexVersion,
  codexHome,
  codexAuth,
  codexConfig,
  migrationBlock,
  hermesRuntime,
  hermesAuxiliary,
  hermesToolsCallback,
  hermesProfiles,
  mcpServers,
  mcpLive,
  pluginsLive,
  permissionsLive,
  authLive,
  turnSmoke,
];

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
  if (unknown.length) {
    const words = [...known];
    const named = unknown.map((id) => {
      // Up to a third of the id's length in edits (at most 3): `nope` is not a near miss of `codex`.
      const meant = nearestWord(id, words, Math.min(3, Math.max(1, Math.floor(id.length / 3)))) ?? words.find((w) => sameParts(w, id));
      return meant ? `${id} (did you mean ${meant}?)` : id;
    });
    throw new UnknownCheckError(`unknown check ${named.join(', ')} (see --list-checks)`, { remediation: 'Run `hermes-codex doctor --list-checks`.' });
  }
  const matches = (c: CheckDefinition, ids: readonly string[]) => ids.includes(c.id) || ids.includes(c.category);
  const selected = ALL_CHECKS.filter((c) => {
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
  // Nothing to run would report "healthy" having checked nothing: a CI preflight must not pass that way.
  if (!selected.length && (sel.only?.length || sel.skip?.length)) {
    const given = [sel.only?.length ? `--only ${sel.only.join(',')}` : '', sel.skip?.length ? `--skip ${sel.skip.join(',')}` : ''].filter(Boolean).join(' with ');
    throw new UsageError(`${given} leaves no check to run`, { remediation: 'Run `hermes-codex doctor --list-checks` to see the ids and categories.' });
  }
  return selected;
}

/** Whether two dotted ids have the same parts in another order (`live.mcp` for `mcp.live`). */
function sameParts(a: string, b: string): boolean {
  const parts = (s: string) => s.split('.').sort().join('.');
  return a.includes('.') && parts(a) === parts(b);
}

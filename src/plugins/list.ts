/**
 * `hermes-codex plugins` as a library call: the plugins codex reports for a
 * CODEX_HOME, with the decision migrate would take for each.
 */
import { LocationError } from '../core/errors.js';
import { resolveCodexHomeFor } from '../core/paths.js';
import { codexNotFound, resolveCodexBinary } from '../codex/binary.js';
import { resolveWorkspace, type WorkspaceOptions } from '../core/workspace.js';
import { discoverPlugins } from './discover.js';
import type { PluginListing } from './decide.js';

export interface ListPluginsOptions extends WorkspaceOptions {
  /** Whole discovery deadline in ms (default 8,000). */
  timeoutMs?: number;
  /** Called once codex is about to be queried (for progress). */
  onQuery?: () => void;
}

/**
 * List the installed plugins of the workspace's CODEX_HOME (`--codex-home`,
 * a profile's own, `$CODEX_HOME` or `~/.codex`), through codex on a private
 * copy of that CODEX_HOME (see discover.ts): nothing in it changes.
 * @returns the CODEX_HOME queried and the listing (rows, warnings, codex version)
 * @throws LocationError when that CODEX_HOME does not exist; CodexProcessError when codex is not found;
 *   PluginDiscoveryError when the query fails
 */
export async function listPlugins(opts: ListPluginsOptions = {}): Promise<{ codexHome: string; listing: PluginListing & { codexVersion: string } }> {
  const { fs, e, env, run, locations } = resolveWorkspace(opts);
  const home = await resolveCodexHomeFor(fs, e, locations, { requireOwn: true });
  if (!home.exists) {
    throw new LocationError(`CODEX_HOME ${home.path} does not exist, so no plugins are installed`, { remediation: 'Install a plugin with `codex plugin add NAME@MARKETPLACE` first.' });
  }
  const bin = await resolveCodexBinary({ ...(locations.codexBin ? { flag: locations.codexBin } : {}), pathEnv: env['PATH'], cwd: e.cwd });
  if (!bin) throw codexNotFound();
  opts.onQuery?.();
  const listing = await discoverPlugins({ codexBin: bin.path, codexHome: home.path, env, run, ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) });
  return { codexHome: home.path, listing };
}

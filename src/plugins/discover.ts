/**
 * Asking codex which plugins are installed: a short-lived `codex app-server`
 * on a private copy of what `plugin/list` reads from the target CODEX_HOME
 * (see codex/private-home.ts: the app-server writes state of its own, which
 * must not land in the user's CODEX_HOME), one `plugin/list`, close.
 */
import type { RunCommand } from '../core/process.js';
import { HermesCodexError } from '../core/errors.js';
import { startCheckedClient } from '../runtime/start.js';
import { configLoadFailure } from '../runtime/errors.js';
import { decidePlugins, PluginDiscoveryError, type PluginListing } from './decide.js';
import { withCopiedCodexHome } from '../codex/private-home.js';

export const DEFAULT_PLUGIN_TIMEOUT_MS = 8000;

export interface DiscoverOptions {
  codexBin: string;
  codexHome: string;
  env: Record<string, string | undefined>;
  /** Whole discovery deadline (start-up and the request), default 8 s. */
  timeoutMs?: number;
  run?: RunCommand;
}

/**
 * Discover and decide.
 * @throws PluginDiscoveryError carrying why (codex missing/too old, timeout, crash, error reply, malformed reply)
 */
export function discoverPlugins(opts: DiscoverOptions): Promise<PluginListing & { codexVersion: string }> {
  return withCopiedCodexHome(opts.codexHome, (codexHome) => discoverIn({ ...opts, codexHome }, { from: codexHome, to: opts.codexHome }));
}

async function discoverIn(opts: DiscoverOptions, home: { from: string; to: string }): Promise<PluginListing & { codexVersion: string }> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PLUGIN_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let started;
  try {
    started = await startCheckedClient({
      codexBin: opts.codexBin,
      codexHome: opts.codexHome,
      env: opts.env,
      requestTimeoutMs: timeoutMs,
      ...(opts.run ? { run: opts.run } : {}),
    });
  } catch (err) {
    throw asDiscoveryError(err, home);
  }
  const { client, version } = started;
  try {
    const remaining = Math.max(1, deadline - Date.now());
    const reply = await client.request('plugin/list', {}, { timeoutMs: remaining });
    return { ...decidePlugins(reply, version.version), codexVersion: version.version };
  } catch (err) {
    throw asDiscoveryError(err, home);
  } finally {
    await client.close(500);
  }
}

function asDiscoveryError(err: unknown, home: { from: string; to: string }): PluginDiscoveryError {
  if (err instanceof PluginDiscoveryError) return err;
  // A config.toml codex cannot load: named as the user's file (codex read the private copy), with its place.
  const unloadable = configLoadFailure(err, home);
  if (unloadable) return new PluginDiscoveryError(`plugin discovery failed: ${unloadable.message}`, { exitCode: 1, location: unloadable.location, ...(unloadable.remediation ? { remediation: unloadable.remediation } : {}), cause: err });
  const message = err instanceof Error ? err.message.split('\n--- codex stderr')[0]! : String(err);
  return new PluginDiscoveryError(`plugin discovery failed: ${message}`, {
    exitCode: 1,
    ...(err instanceof HermesCodexError && err.remediation ? { remediation: err.remediation } : {}),
    cause: err,
  });
}

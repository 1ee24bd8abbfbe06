/**
 * Asking codex which plugins are installed: a short-lived `codex app-server`
 * on a private copy of what `plugin/list` reads from the target CODEX_HOME
 * (see codex/private-home.ts: the app-server writes state of its own, which
 * must not land in the user's CODEX_HOME), one `plugin/list`, close. The
 * private CODEX_HOME is kept between runs (refreshed from the real one each
 * time), so codex builds its own state there once: on a new CODEX_HOME,
 * codex 0.171 creates five databases (64 migrations) and its system skills
 * before it answers, about half of a discovery's time (measured,
 * docs/performance.md, thirteenth session).
 */
import * as os from 'node:os';
import type { RunCommand } from '../core/process.js';
import { HermesCodexError } from '../core/errors.js';
import { startCheckedClient } from '../runtime/start.js';
import { spawnTransport } from '../runtime/client.js';
import { configLoadFailure } from '../runtime/errors.js';
import { decidePlugins, PluginDiscoveryError, type PluginListing } from './decide.js';
import { discoveryHomeKey, discoveryHomesDirectory, withKeptCodexHome } from '../codex/private-home.js';

export const DEFAULT_PLUGIN_TIMEOUT_MS = 8000;

export interface DiscoverOptions {
  codexBin: string;
  codexHome: string;
  env: Record<string, string | undefined>;
  /** Whole discovery deadline (start-up and the request), default 8 s. */
  timeoutMs?: number;
  run?: RunCommand;
  /**
   * Abandon discovery (its caller found a reason not to use the answer):
   * codex's stdin is ended, so it exits, and the promise rejects without
   * `codex --version` being run to explain a handshake cut short.
   */
  signal?: AbortSignal;
  /** Called once codex has been spawned (before its handshake), for work meant to overlap its start-up. */
  onSpawned?: () => void;
  /**
   * Take the clean-up (codex's exit, the private copy's removal) off the
   * answer's path: the promise resolves with the answer as soon as
   * `plugin/list` has replied, and `afterwards` receives the clean-up, which
   * never rejects; the caller must await it before it is done. Without it,
   * the promise resolves after the clean-up.
   */
  afterwards?: (cleanup: Promise<void>) => void;
  /**
   * Where the private CODEX_HOME is kept between runs (`withKeptCodexHome` in
   * codex/private-home.ts), or false for a temporary one each time. Default:
   * `discoveryHomesDirectory(env, os.tmpdir(), uid)` (`$HERMES_CODEX_DISCOVERY_HOME`).
   */
  keptHomes?: string | false;
}

type Discovered = PluginListing & { codexVersion: string };

/**
 * Discover and decide.
 * @throws PluginDiscoveryError carrying why (codex missing/too old, timeout, crash, error reply, malformed reply)
 */
export function discoverPlugins(opts: DiscoverOptions): Promise<Discovered> {
  const root = opts.keptHomes === false ? null : (opts.keptHomes ?? discoveryHomesDirectory(opts.env, os.tmpdir(), process.getuid?.()));
  const kept = root === null ? null : { root, key: discoveryHomeKey(opts.codexHome, opts.codexBin) };
  const run = (answered?: (d: Discovered) => void) =>
    withKeptCodexHome(opts.codexHome, kept, (codexHome) => discoverIn({ ...opts, codexHome }, { from: codexHome, to: opts.codexHome }, answered), undefined, () => opts.signal?.aborted !== true);
  const { afterwards } = opts;
  if (!afterwards) return run();
  return new Promise<Discovered>((resolve, reject) => {
    const whole = run(resolve); // the early answer settles it; the whole run's end only when there was none
    whole.then(resolve, reject);
    afterwards(whole.then(() => undefined, () => undefined));
  });
}

async function discoverIn(opts: DiscoverOptions, home: { from: string; to: string }, answered?: (d: Discovered) => void): Promise<Discovered> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PLUGIN_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let started;
  const { signal } = opts;
  if (signal?.aborted) throw new PluginDiscoveryError('plugin discovery abandoned before codex was started', { exitCode: 1 });
  const options = { codexBin: opts.codexBin, codexHome: opts.codexHome, env: opts.env, requestTimeoutMs: timeoutMs };
  const transport = spawnTransport(options);
  const abandon = () => void (transport.stdin.writable && transport.stdin.end());
  opts.onSpawned?.();
  signal?.addEventListener('abort', abandon, { once: true });
  try {
    started = await startCheckedClient({ ...options, transport, abandoned: () => signal?.aborted === true, ...(opts.run ? { run: opts.run } : {}) });
  } catch (err) {
    signal?.removeEventListener('abort', abandon);
    throw asDiscoveryError(err, home);
  }
  const { client, version } = started;
  try {
    if (signal?.aborted) throw new PluginDiscoveryError('plugin discovery abandoned', { exitCode: 1 });
    const remaining = Math.max(1, deadline - Date.now());
    const reply = await client.request('plugin/list', {}, { timeoutMs: remaining });
    const discovered = { ...decidePlugins(reply, version.version), codexVersion: version.version };
    answered?.(discovered);
    return discovered;
  } catch (err) {
    throw asDiscoveryError(err, home);
  } finally {
    signal?.removeEventListener('abort', abandon);
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

/**
 * Which installed Codex plugins to turn on, from a `plugin/list` reply.
 * Pure.
 *
 * Reply shape (codex 0.169, shared/codex-field-notes.md): `{marketplaces:
 * [{name, path, plugins: [{id: "demo@local-test", name, installed, enabled,
 * availability, …}]}], marketplaceLoadErrors: [], featuredPluginIds: []}`.
 * `availability` is `AVAILABLE | DISABLED_BY_ADMIN` in 0.169; the service
 * alias `ENABLED` means available; older codex has no field; other values
 * have been reported. A plugin migrates only when it is installed and its
 * availability is absent or available; unknown values are skipped and named,
 * never guessed available.
 */
import { capabilitiesOf } from '../codex/capabilities.js';
import { HermesCodexError } from '../core/errors.js';

export interface PluginRow {
  /** `name@marketplace`, or the plugin's own `id` when codex gives one. */
  key: string;
  name: string;
  marketplace: string;
  installed: boolean;
  enabled: boolean;
  /** As codex reports it; null when the field is absent (older codex). */
  availability: string | null;
  decision: 'migrate' | 'skip';
  reason: string;
}

export interface PluginListing {
  plugins: PluginRow[];
  warnings: string[];
}

/** Discovery failed (codex missing or too old, timeout, crash, malformed reply). */
export class PluginDiscoveryError extends HermesCodexError {}

const AVAILABLE = new Set(['AVAILABLE', 'ENABLED']);

const rec = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** The decision and a reason a person can read. */
export function decide(installed: boolean, availability: string | null, key: string, pluginAddCommand = true): { decision: 'migrate' | 'skip'; reason: string } {
  if (!installed) {
    // `codex plugin add` exists from 0.131 (codex/capabilities.ts).
    return { decision: 'skip', reason: pluginAddCommand ? `not installed (install it with \`codex plugin add ${key}\`)` : 'not installed (this codex has no `codex plugin add`; upgrade codex to 0.131 or newer to install it)' };
  }
  if (availability === null) return { decision: 'migrate', reason: 'installed (this codex reports no availability)' };
  const a = availability.toUpperCase();
  if (AVAILABLE.has(a)) return { decision: 'migrate', reason: `installed and ${a === 'ENABLED' ? 'enabled by the service' : 'available'}` };
  if (a === 'DISABLED_BY_ADMIN') return { decision: 'skip', reason: 'disabled by your workspace admin (availability DISABLED_BY_ADMIN)' };
  return { decision: 'skip', reason: `availability ${availability} is not one hermes-codex knows; skipped rather than guessed available` };
}

/**
 * Decide for every plugin in a `plugin/list` reply.
 * @throws PluginDiscoveryError when the reply is not of the expected shape
 */
export function decidePlugins(reply: unknown, codexVersion?: string): PluginListing {
  const pluginAdd = codexVersion === undefined || capabilitiesOf(codexVersion).pluginAddCommand;
  const r = rec(reply);
  if (!r || !Array.isArray(r['marketplaces'])) {
    throw new PluginDiscoveryError(`codex's plugin/list reply is malformed (no marketplaces list): ${JSON.stringify(reply)?.slice(0, 200)}`);
  }
  const warnings: string[] = [];
  const byKey = new Map<string, PluginRow>();
  const sources = new Map<string, string[]>();
  for (const m of r['marketplaces'] as unknown[]) {
    const market = rec(m);
    if (!market) continue;
    const marketName = typeof market['name'] === 'string' ? market['name'] : '';
    const plugins = Array.isArray(market['plugins']) ? (market['plugins'] as unknown[]) : [];
    for (const p of plugins) {
      const plugin = rec(p);
      if (!plugin) continue;
      const name = typeof plugin['name'] === 'string' ? plugin['name'] : '';
      const id = typeof plugin['id'] === 'string' && plugin['id'] !== '' ? plugin['id'] : null;
      if (!id && !name) continue;
      const key = id ?? `${name}@${marketName}`;
      sources.set(key, [...(sources.get(key) ?? []), marketName]);
      if (byKey.has(key)) continue;
      const installed = plugin['installed'] === true;
      const availability = typeof plugin['availability'] === 'string' ? plugin['availability'] : null;
      byKey.set(key, {
        key,
        name: name || key.split('@')[0]!,
        marketplace: marketName || key.split('@').slice(1).join('@'),
        installed,
        enabled: plugin['enabled'] !== false,
        availability,
        ...decide(installed, availability, key, pluginAdd),
      });
    }
  }
  for (const [key, from] of sources) {
    if (from.length > 1) warnings.push(`plugin ${key} is listed by ${from.length} marketplaces (${from.join(', ')}); counted once`);
  }
  const loadErrors = Array.isArray(r['marketplaceLoadErrors']) ? (r['marketplaceLoadErrors'] as unknown[]) : [];
  for (const e of loadErrors) {
    const err = rec(e);
    const where = err && typeof err['marketplacePath'] === 'string' ? `${err['marketplacePath']}: ` : err && typeof err['path'] === 'string' ? `${err['path']}: ` : '';
    const msg = err && typeof err['message'] === 'string' ? err['message'] : JSON.stringify(e);
    warnings.push(`a plugin marketplace failed to load: ${where}${msg}`);
  }
  return { plugins: [...byKey.values()], warnings };
}

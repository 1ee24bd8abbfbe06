/**
 * Doctor check `plugins.live` (configured plugins), one of the live checks:
 * --live checks: one codex app-server (shared through the context) answers
 * mcpServerStatus/list, plugin/list, permissionProfile/list and account/read;
 * --turn runs a smoke turn on it. Shapes: generated protocol types of codex
 * 0.169 (`ListMcpServerStatusResponse`, `PermissionProfileListResponse`,
 * `GetAccountResponse`).
 */
import { isRecord } from '../../../config/hermes-config.js';
import { decidePlugins } from '../../../plugins/decide.js';
import type { CheckDefinition } from '../../types.js';
import { caps } from './shared.js';

export const pluginsLive: CheckDefinition = {
  id: 'plugins.live',
  category: 'live',
  title: 'configured plugins',
  live: true,
  async run(ctx) {
    const cfg = await ctx.configToml();
    const configured = cfg?.doc && isRecord(cfg.doc['plugins']) ? Object.entries(cfg.doc['plugins']).filter(([, v]) => !isRecord(v) || v['enabled'] !== false).map(([k]) => k) : [];
    if (!configured.length) return { status: 'ok', summary: 'no plugins enabled in config.toml' };
    const { client } = await ctx.live();
    const listing = decidePlugins(await client.request('plugin/list', {}));
    const byKey = new Map(listing.plugins.map((p) => [p.key, p]));
    const bad = configured.filter((k) => byKey.get(k)?.decision !== 'migrate');
    const details = configured.map((k) => `${k}: ${byKey.get(k)?.reason ?? 'not listed by codex'}`);
    if (bad.length) {
      return { status: 'warn', summary: `${bad.length} enabled plugin(s) are no longer installed and available: ${bad.join(', ')}`, details, remediation: `Reinstall them (${(await caps(ctx))?.pluginAddCommand === false ? 'your codex has no `codex plugin add` before 0.131: upgrade it' : '`codex plugin add`'}) or run \`${await ctx.migrateCommand()}\` to drop them from the block.`, fix: 'migrate' };
    }
    return { status: 'ok', summary: `${configured.length} enabled plugin(s) installed and available`, details };
  },
};

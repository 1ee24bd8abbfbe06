/**
 * Doctor check `permissions.live` (permissions profile), one of the live checks:
 * --live checks: one codex app-server (shared through the context) answers
 * mcpServerStatus/list, plugin/list, permissionProfile/list and account/read;
 * --turn runs a smoke turn on it. Shapes: generated protocol types of codex
 * 0.169 (`ListMcpServerStatusResponse`, `PermissionProfileListResponse`,
 * `GetAccountResponse`).
 */
import type { CheckDefinition } from '../../types.js';
import { caps, allPages } from './shared.js';

export const permissionsLive: CheckDefinition = {
  id: 'permissions.live',
  category: 'live',
  title: 'permissions profile',
  live: true,
  async run(ctx) {
    const cfg = await ctx.configToml();
    const wanted = typeof cfg?.doc?.['default_permissions'] === 'string' ? (cfg.doc['default_permissions'] as string) : null;
    if (!wanted) return { status: 'ok', summary: 'no default_permissions set (codex defaults)' };
    const c = await caps(ctx);
    if (c && !c.permissionProfileList) return { status: 'skip', summary: `codex ${c.version} cannot list permission profiles (permissionProfile/list exists from 0.134)` };
    const { client } = await ctx.live();
    type Profile = { id: string; allowed?: boolean };
    const profiles = await allPages<Profile>((cursor) => client.request('permissionProfile/list', cursor ? { cursor } : {}));
    const found = profiles.find((p) => p.id === wanted);
    const details = [`profiles codex knows: ${profiles.map((p) => p.id).join(', ')}`];
    if (!found) return { status: 'fail', summary: `default_permissions = "${wanted}" is not a profile codex knows`, details, remediation: `Use one of ${profiles.map((p) => p.id).join(', ')} (${await ctx.migrateCommand(['--permissions'])} PROFILE).` };
    if (found.allowed === false) return { status: 'fail', summary: `default_permissions = "${wanted}" is not allowed by your requirements`, details, remediation: 'Pick an allowed profile.' };
    return { status: 'ok', summary: `default_permissions = "${wanted}" is a profile codex knows`, details };
  },
};

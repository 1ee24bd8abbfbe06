/**
 * Doctor check `auth.live` (codex account), one of the live checks:
 * --live checks: one codex app-server (shared through the context) answers
 * mcpServerStatus/list, plugin/list, permissionProfile/list and account/read;
 * --turn runs a smoke turn on it. Shapes: generated protocol types of codex
 * 0.169 (`ListMcpServerStatusResponse`, `PermissionProfileListResponse`,
 * `GetAccountResponse`).
 */
import * as path from 'node:path';
import { whereOf } from '../../../core/errors.js';
import type { CheckDefinition } from '../../types.js';
import { codexLoginHint } from '../../../core/hints.js';

export const authLive: CheckDefinition = {
  id: 'auth.live',
  category: 'live',
  title: 'codex account',
  live: true,
  async run(ctx) {
    const r = await ctx.account();
    const home = await ctx.codexHome();
    if (r.requiresOpenaiAuth && !r.account) {
      // codex judges a config.toml it cannot load by its defaults (the OpenAI provider): the file is the problem then.
      const verdict = await ctx.loader();
      if (verdict?.status === 'rejected') {
        const where = whereOf({ file: path.join(home.ok ? home.value.path : '', 'config.toml'), line: verdict.error.line, column: verdict.error.column });
        return {
          status: 'fail',
          summary: `codex cannot load ${where}: ${verdict.error.message}; it judges the login by its defaults until it can`,
          remediation: `Fix ${where}, then re-run \`hermes-codex doctor --live\`.`,
        };
      }
      return { status: 'fail', summary: 'codex reports no account, and the model provider needs one', remediation: home.ok ? codexLoginHint(home.value.path, ctx.env) : 'Run `codex login`.' };
    }
    if (!r.account) return { status: 'ok', summary: 'the model provider needs no OpenAI account' };
    const plan = r.account.planType ? ` (${r.account.planType} plan)` : '';
    return { status: 'ok', summary: `logged in: ${r.account.type ?? 'account'}${plan}` };
  },
};

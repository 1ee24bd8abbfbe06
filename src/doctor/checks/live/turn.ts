/**
 * Doctor check `turn.smoke` (smoke turn), one of the live checks:
 * --live checks: one codex app-server (shared through the context) answers
 * mcpServerStatus/list, plugin/list, permissionProfile/list and account/read;
 * --turn runs a smoke turn on it. Shapes: generated protocol types of codex
 * 0.169 (`ListMcpServerStatusResponse`, `PermissionProfileListResponse`,
 * `GetAccountResponse`).
 */
import { CodexSession } from '../../../runtime/session.js';
import type { CheckDefinition } from '../../types.js';
import { SMOKE_PROMPT } from '../../../runtime/smoke.js';

export const turnSmoke: CheckDefinition = {
  id: 'turn.smoke',
  category: 'live',
  title: 'smoke turn',
  live: true,
  turn: true,
  async run(ctx) {
    const acct = await ctx.account();
    if (acct.requiresOpenaiAuth && !acct.account) return { status: 'skip', summary: 'no credentials, so no turn was run (see auth.live)' };
    const { client } = await ctx.live();
    const session = new CodexSession(client);
    await session.startThread({ cwd: ctx.e.cwd, sandbox: 'read-only' });
    const r = await session.runTurn(SMOKE_PROMPT, { timeoutMs: 90_000 });
    if (r.error) return { status: 'fail', summary: `the smoke turn ${r.status}: ${r.error}`, remediation: 'Run `hermes-codex turn --smoke` for details.' };
    if (r.finalText.trim() !== 'PONG') return { status: 'warn', summary: `the smoke turn answered ${JSON.stringify(r.finalText.slice(0, 60))} instead of PONG` };
    return { status: 'ok', summary: `a turn completed (PONG${r.usage ? `, ${r.usage.totalTokens} tokens` : ''})` };
  },
};

/**
 * --live checks: one codex app-server (shared through the context) answers
 * mcpServerStatus/list, plugin/list, permissionProfile/list and account/read;
 * --turn runs a smoke turn on it. Shapes: generated protocol types of codex
 * 0.169 (`ListMcpServerStatusResponse`, `PermissionProfileListResponse`,
 * `GetAccountResponse`).
 */
import { isRecord } from '../../config/hermes-config.js';
import { decidePlugins } from '../../plugins/decide.js';
import { CodexSession } from '../../runtime/session.js';
import type { CheckDefinition } from '../types.js';
import { codexLoginCommand } from '../../hints.js';
import { capabilitiesOf, type CodexCapabilities } from '../../codex/capabilities.js';
import type { DoctorContext } from '../context.js';

/** The capabilities of the codex doctor runs, or null when its version is unknown. */
async function caps(ctx: DoctorContext): Promise<CodexCapabilities | null> {
  const v = await ctx.codexVersion();
  return v?.ok ? capabilitiesOf(v.value.version) : null;
}

export const SMOKE_PROMPT = 'Reply with exactly PONG and nothing else.';

async function allPages<T>(request: (cursor: string | null) => Promise<{ data: T[]; nextCursor: string | null }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const page: { data: T[]; nextCursor: string | null } = await request(cursor);
    out.push(...(page.data ?? []));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

export const mcpLive: CheckDefinition = {
  id: 'mcp.live',
  category: 'live',
  title: 'MCP servers start',
  live: true,
  async run(ctx) {
    const { client } = await ctx.live();
    type Status = { name: string; tools?: Record<string, unknown>; toolsError?: string | null };
    const all = await allPages<Status>((cursor) => client.request('mcpServerStatus/list', cursor ? { cursor } : {}, { timeoutMs: 60_000 }));
    if (!all.length) return { status: 'ok', summary: 'no MCP servers configured' };
    const failed = all.filter((s) => s.toolsError);
    const details = all.map((s) => (s.toolsError ? `${s.name}: ${s.toolsError}` : `${s.name}: ${Object.keys(s.tools ?? {}).length} tool(s)`));
    if (failed.length) {
      return {
        status: 'fail',
        summary: `${failed.length} of ${all.length} server(s) failed to start: ${failed.map((s) => `${s.name} (${s.toolsError})`).join('; ')}`,
        details,
        remediation: 'Fix the command, arguments or environment of each failing server (see mcp.servers), then re-run `hermes-codex doctor --live`.',
      };
    }
    const tools = all.reduce((n, s) => n + Object.keys(s.tools ?? {}).length, 0);
    const c = await caps(ctx);
    if (c && !c.mcpStartupErrors) {
      // Before 0.155 a server that could not start looks like one with no tools: never call it started.
      const silent = all.filter((s) => Object.keys(s.tools ?? {}).length === 0);
      if (silent.length) {
        return {
          status: 'warn',
          summary: `${silent.length} server(s) report no tools, and codex ${c.version} does not report start-up failures, so whether they run is unknown: ${silent.map((s) => s.name).join(', ')}`,
          details: [...details, 'codex reports MCP start-up errors from 0.155 on'],
          remediation: 'Run the server\'s command by hand to see whether it starts, or upgrade codex to 0.155 or newer for a verdict.',
        };
      }
    }
    return { status: 'ok', summary: `${all.length} server(s) started, ${tools} tool(s)`, details };
  },
};

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

export const authLive: CheckDefinition = {
  id: 'auth.live',
  category: 'live',
  title: 'codex account',
  live: true,
  async run(ctx) {
    const r = await ctx.account();
    const home = await ctx.codexHome();
    if (r.requiresOpenaiAuth && !r.account) {
      return { status: 'fail', summary: 'codex reports no account, and the model provider needs one', remediation: `Run \`${home.ok ? codexLoginCommand(home.value.path) : 'codex login'}\`.` };
    }
    if (!r.account) return { status: 'ok', summary: 'the model provider needs no OpenAI account' };
    const plan = r.account.planType ? ` (${r.account.planType} plan)` : '';
    return { status: 'ok', summary: `logged in: ${r.account.type ?? 'account'}${plan}` };
  },
};

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

export const liveChecks = [mcpLive, pluginsLive, permissionsLive, authLive, turnSmoke];

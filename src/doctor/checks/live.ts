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
import { redactSecrets } from '../../codex/child-env.js';
import { capabilitiesOf, type CodexCapabilities } from '../../codex/capabilities.js';
import type { DoctorContext } from '../context.js';
import { SMOKE_PROMPT } from '../../runtime/smoke.js';

/** The capabilities of the codex doctor runs, or null when its version is unknown. */
async function caps(ctx: DoctorContext): Promise<CodexCapabilities | null> {
  const v = await ctx.codexVersion();
  return v?.ok ? capabilitiesOf(v.value.version) : null;
}

export { SMOKE_PROMPT };

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
    const cfg = await ctx.configToml();
    const servers = cfg?.doc && isRecord(cfg.doc['mcp_servers']) ? cfg.doc['mcp_servers'] : {};
    const details = all.map((s) => (s.toolsError ? `${s.name}: ${summariseStartupError(s.toolsError, servers[s.name])}` : `${s.name}: ${Object.keys(s.tools ?? {}).length} tool(s)`));
    if (failed.length) {
      const lines: string[] = [];
      for (const s of failed) {
        let line = `${s.name}: ${summariseStartupError(s.toolsError!, servers[s.name])}`;
        // A stdio server that exits during the handshake: its own stderr says why (npm's ENOTCACHED, a missing module).
        const why = /connection closed/i.test(s.toolsError!) ? await stderrOfStart(ctx, servers[s.name]) : null;
        if (why) line += ` — it printed: ${why}`;
        lines.push(line);
      }
      return {
        status: 'fail',
        summary: `${failed.length} of ${all.length} server(s) failed to start: ${lines.join('; ')}`,
        // codex's full error stays in the details (shown with --verbose; redacted).
        details: [...details, ...failed.map((s) => `${s.name} (codex's error): ${redactSecrets(s.toolsError!, ctx.env)}`)],
        remediation: 'Fix the command, arguments or environment of each failing server (see mcp.servers), or start the HTTP server it names; then re-run `hermes-codex doctor --live` (--verbose shows codex\'s full error).',
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

/**
 * codex's start-up error, in one line: for an HTTP server the URL with the
 * HTTP status or the connection failure, without Rust type names or the
 * server's HTML body; otherwise codex's words with the transport's type
 * names taken out and repeats removed. Pure.
 */
export function summariseStartupError(toolsError: string, server: unknown): string {
  const url = isRecord(server) && typeof server['url'] === 'string' ? server['url'] : null;
  const status = /HTTP (\d{3})\b/.exec(toolsError);
  if (url && status) return `${url} answered HTTP ${status[1]}`;
  const unreachable = /error sending request for url \(([^)]+)\)/.exec(toolsError);
  if (unreachable) return `cannot connect to ${unreachable[1]} (connection refused, DNS or TLS error)`;
  const plain = toolsError.replace(/ Transport \[[^\]]*(?:\[[^\]]*\])*[^\]]*\]/g, '').replace(/^MCP startup failed: /, '');
  const parts = [...new Set(plain.split(/: (?=[a-z])/))];
  const text = parts.join(': ');
  if (/connection closed: initialize response/.test(text)) return 'the server exited (or closed its output) before the MCP handshake';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Run a stdio server's command briefly, as codex would start it, and return the tail of what it printed on stderr (redacted), or null. */
async function stderrOfStart(ctx: DoctorContext, server: unknown): Promise<string | null> {
  if (!isRecord(server) || typeof server['command'] !== 'string') return null;
  const literal = isRecord(server['env']) ? Object.fromEntries(Object.entries(server['env']).map(([k, v]) => [k, String(v)])) : {};
  const forwarded = Array.isArray(server['env_vars']) ? (server['env_vars'] as unknown[]).map(String) : [];
  // What codex hands a stdio server (shared/codex-field-notes.md): a small whitelist, the table's env and env_vars.
  const env: Record<string, string | undefined> = {};
  for (const k of ['HOME', 'PATH', 'LANG', 'SHELL', 'TERM', 'SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS', ...forwarded]) if (ctx.env[k] !== undefined) env[k] = ctx.env[k];
  const args = Array.isArray(server['args']) ? (server['args'] as unknown[]).map(String) : [];
  const r = await ctx.run(server['command'], args, { env: { ...env, ...literal }, timeoutMs: 5000, ...(typeof server['cwd'] === 'string' ? { cwd: server['cwd'] } : {}) });
  const tail = r.stderr.trim().split('\n').filter((l) => l.trim()).slice(-3).join(' | ');
  return tail ? redactSecrets(tail.length > 300 ? `${tail.slice(0, 300)}…` : tail, { ...ctx.env, ...literal }) : null;
}

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

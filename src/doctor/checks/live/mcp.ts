/**
 * Doctor check `mcp.live` (MCP servers start), one of the live checks:
 * --live checks: one codex app-server (shared through the context) answers
 * mcpServerStatus/list, plugin/list, permissionProfile/list and account/read;
 * --turn runs a smoke turn on it. Shapes: generated protocol types of codex
 * 0.169 (`ListMcpServerStatusResponse`, `PermissionProfileListResponse`,
 * `GetAccountResponse`).
 */
import { isRecord } from '../../../config/hermes-config.js';
import type { CheckDefinition } from '../../types.js';
import type { DoctorContext } from '../../context.js';
import { redactSecrets } from '../../../codex/child-env.js';
import { caps, allPages } from './shared.js';
import { packageCached, packageRunOf, warmCommand } from '../mcp/first-start.js';

export const mcpLive: CheckDefinition = {
  id: 'mcp.live',
  category: 'live',
  title: 'MCP servers start',
  live: true,
  async run(ctx) {
    const cfg = await ctx.configToml();
    const servers = cfg?.doc && isRecord(cfg.doc['mcp_servers']) ? cfg.doc['mcp_servers'] : {};
    const configured = Object.entries(servers).filter(([, v]) => !(isRecord(v) && v['enabled'] === false)).map(([k]) => k);
    if (configured.length) ctx.waitingFor('mcp.live', `waiting for codex to start ${configured.length > 4 ? `${configured.slice(0, 4).join(', ')} and ${configured.length - 4} more` : configured.join(', ')}`);
    const { client } = await ctx.live();
    type Status = { name: string; tools?: Record<string, unknown>; toolsError?: string | null };
    const all = await allPages<Status>((cursor) => client.request('mcpServerStatus/list', cursor ? { cursor } : {}, { timeoutMs: 60_000 }));
    if (!all.length) return { status: 'ok', summary: 'no MCP servers configured' };
    // codex lists a server with `enabled = false` too, with no tools: it is off, not started.
    const disabled = all.filter((s) => isRecord(servers[s.name]) && (servers[s.name] as Record<string, unknown>)['enabled'] === false);
    const off = new Set(disabled.map((s) => s.name));
    const failed = all.filter((s) => s.toolsError && !off.has(s.name));
    const details = all.map((s) => (off.has(s.name) ? `${s.name}: disabled (enabled = false), not started` : s.toolsError ? `${s.name}: ${summariseStartupError(s.toolsError, servers[s.name])}` : `${s.name}: ${Object.keys(s.tools ?? {}).length} tool(s)`));
    if (failed.length) {
      const lines: string[] = [];
      for (const s of failed) {
        let line = `${s.name}: ${summariseStartupError(s.toolsError!, servers[s.name])}`;
        // A stdio server that exits during the handshake: its own stderr says why (npm's ENOTCACHED, a missing module).
        const why = /connection closed/i.test(s.toolsError!) ? await stderrOfStart(ctx, servers[s.name]) : null;
        if (why) line += ` — it printed: ${why}`;
        // A first `npx -y` / `uvx` start that timed out is most often the package download.
        const download = /timed out/i.test(s.toolsError!) ? await firstStartDownload(ctx, servers[s.name]) : null;
        if (download) line += ` — ${download}`;
        lines.push(line);
      }
      return {
        status: 'fail',
        summary: `${failed.length} of ${all.length - off.size} server(s) failed to start: ${lines.join('; ')}`,
        // codex's full error stays in the details (shown with --verbose; redacted).
        details: [...details, ...failed.map((s) => `${s.name} (codex's error): ${redactSecrets(s.toolsError!, ctx.env)}`)],
        remediation: 'Fix the command, arguments or environment of each failing server (see mcp.servers), or start the HTTP server it names; then re-run `hermes-codex doctor --live` (--verbose shows codex\'s full error).',
      };
    }
    const running = all.filter((s) => !off.has(s.name));
    const tools = running.reduce((n, s) => n + Object.keys(s.tools ?? {}).length, 0);
    const c = await caps(ctx);
    if (c && !c.mcpStartupErrors) {
      // Before 0.155 a server that could not start looks like one with no tools: never call it started.
      const silent = running.filter((s) => Object.keys(s.tools ?? {}).length === 0);
      if (silent.length) {
        return {
          status: 'warn',
          summary: `${silent.length} server(s) report no tools, and codex ${c.version} does not report start-up failures, so whether they run is unknown: ${silent.map((s) => s.name).join(', ')}`,
          details: [...details, 'codex reports MCP start-up errors from 0.155 on'],
          remediation: 'Run the server\'s command by hand to see whether it starts, or upgrade codex to 0.155 or newer for a verdict.',
        };
      }
    }
    const offNote = disabled.length ? `; ${disabled.length} disabled (${disabled.map((s) => s.name).join(', ')})` : '';
    if (!running.length) return { status: 'ok', summary: `no MCP server enabled${offNote}`, details };
    return { status: 'ok', summary: `${running.length} server(s) started, ${tools} tool(s)${offNote}`, details };
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
  // codex prints some durations as raw floats ("after 29.999999299s"): whole seconds read better.
  const text = parts.join(': ').replace(/\b(\d+\.\d+)\s?s\b/g, (_m, n: string) => `${Math.round(Number(n))} s`);
  if (/connection closed: initialize response/.test(text)) return 'the server exited (or closed its output) before the MCP handshake';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** For a server started by `npx -y PKG` / `uvx PKG` whose package is not cached: that its first start downloads it, and how to download it once. */
async function firstStartDownload(ctx: DoctorContext, server: unknown): Promise<string | null> {
  if (!isRecord(server) || typeof server['command'] !== 'string') return null;
  const pkg = packageRunOf(server['command'], Array.isArray(server['args']) ? (server['args'] as unknown[]).map(String) : []);
  if (!pkg || (await packageCached(ctx.fs, ctx.env, ctx.e.home, pkg))) return null;
  return `its first start downloads ${pkg.spec}, which is not cached yet: run \`${warmCommand(pkg)}\` once, then start it again`;
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

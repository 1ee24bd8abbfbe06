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
import { redactSecrets } from '../../../codex/child-env.js';
import { caps, allPages, summariseStartupError, stderrOfStart } from './shared.js';

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

/**
 * Helpers shared by the live checks (one check per file in this folder).
 */
import { isRecord } from '../../../config/hermes-config.js';
import { redactSecrets } from '../../../codex/child-env.js';
import { capabilitiesOf, type CodexCapabilities } from '../../../codex/capabilities.js';
import type { DoctorContext } from '../../context.js';

/** The capabilities of the codex doctor runs, or null when its version is unknown. */
export async function caps(ctx: DoctorContext): Promise<CodexCapabilities | null> {
  const v = await ctx.codexVersion();
  return v?.ok ? capabilitiesOf(v.value.version) : null;
}

export async function allPages<T>(request: (cursor: string | null) => Promise<{ data: T[]; nextCursor: string | null }>): Promise<T[]> {
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
export async function stderrOfStart(ctx: DoctorContext, server: unknown): Promise<string | null> {
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

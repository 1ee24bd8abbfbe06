/**
 * Translation of Hermes `mcp_servers` entries into Codex `[mcp_servers.*]`
 * tables. Pure: data in, entries and findings out.
 *
 * Codex field names and the stdio/HTTP split are those codex 0.169's config
 * loader accepts (checked with `codex app-server --strict-config
 * --print-startup-config`, see shared/codex-field-notes.md):
 * stdio `command, args, env, env_vars, cwd`; streamable HTTP `url,
 * bearer_token_env_var, http_headers, env_http_headers`; both
 * `startup_timeout_sec, tool_timeout_sec` (float seconds), `enabled`,
 * `enabled_tools`, `disabled_tools`. Codex rejects stdio keys on URL servers
 * and vice versa, and `type`/`transport` under `--strict-config`.
 */
import { ConfigShapeError } from '../core/errors.js';
import { isWellFormedString, type TomlValue } from '../config/toml-format.js';
import { PUNCTUATED_NAMES_SINCE, SERVER_NAME_RULE, serverNameKind, toolNamespace } from '../codex/server-names.js';
import { argsFromString, pythonStr } from '../config/hermes-args.js';
import { isRecord } from '../config/hermes-config.js';
import { HERMES_DEFAULT_CONNECT_TIMEOUT_SEC, HERMES_DEFAULT_TOOL_TIMEOUT_SEC, HERMES_FORWARDED_ENV, type HermesToolCallTimeout } from '../config/hermes-behaviour.js';
import { CODEX_DEFAULT_STARTUP_TIMEOUT_SEC } from '../codex/capabilities.js';
import { bearerPlaceholder, exactPlaceholder, firstPlaceholder, hasPlaceholder } from './placeholders.js';
import type { CodexServerEntry, MigrationWarning, ServerTranslation } from './types.js';

/** Largest timeout written, in seconds (about 31 years; Codex's own limit is about 1.8e19). */
export const MAX_TIMEOUT_SECONDS = 1e9;

/** Keys hermes-codex translates. */
const TRANSLATED = new Set([
  'command', 'args', 'env', 'cwd', 'url', 'headers', 'timeout', 'connect_timeout', 'enabled', 'tools', 'transport',
]);

/** Keys dropped without a warning. */
const SILENT = new Set(['description']);

/** Why some well-known Hermes keys cannot be carried over. */
const DROP_REASONS: Record<string, string> = {
  sampling: 'Codex does not offer MCP sampling to servers',
  auth: 'Codex handles MCP OAuth itself: run `codex mcp login <server>` once after migrating',
  ssl_verify: 'Codex has no per-server TLS verification switch; use SSL_CERT_FILE / a CA bundle instead',
  keepalive_interval: 'Codex has no MCP keep-alive setting',
};

/** Where a value came from, for messages: the Hermes file and a line lookup. */
export interface SourceContext {
  file: string;
  lineOf(path: readonly (string | number)[]): number | undefined;
  /** The plain scalar's source text at a path (see HermesConfig.plainSourceOf); optional. */
  plainSourceOf?(path: readonly (string | number)[]): string | undefined;
  /** The plain key's source text naming the entry at a path (see HermesConfig.keySourceOf); optional. */
  keySourceOf?(path: readonly (string | number)[]): string | undefined;
  /** The home directory Hermes' `~` (in `command`) and `${userHome}` stand for; without it they are not expanded. */
  home?: string;
  /**
   * Hermes' distribution switches (`mcp.client`, `mcp.stdio_servers`, see {@link hermesMcpSwitches}):
   * when off, Hermes starts no server (or no stdio server), so those are written disabled.
   */
  switches?: { client: boolean; stdioServers: boolean };
  /**
   * The tool-call timeout Hermes gives servers without their own `timeout` (`timeouts.mcp.tool_call`
   * or its default, see {@link hermesToolCallTimeout}); without it, Hermes' default.
   */
  toolCallTimeout?: HermesToolCallTimeout;
}

/** The words Hermes reads as true and as false in its switches and `enabled` (`tools/mcp_tool_common.py`, `_TRUE_WORDS` / `_FALSE_WORDS`), lowercased, trimmed. */
const HERMES_TRUE_WORDS: readonly string[] = ['true', '1', 'yes', 'on'];
const HERMES_FALSE_WORDS: readonly string[] = ['false', '0', 'no', 'off'];

/**
 * Hermes' `mcp.client` and `mcp.stdio_servers` switches from its whole config
 * (`hermes_cli` `config_switch`: absent or null is on, a truthy word is on, anything else is off).
 */
export function hermesMcpSwitches(config: Record<string, unknown>): { client: boolean; stdioServers: boolean } {
  const mcp = isRecord(config['mcp']) ? config['mcp'] : {};
  const on = (v: unknown) => v === undefined || v === null || v === true || (typeof v === 'number' && v !== 0) || (typeof v === 'string' && HERMES_TRUE_WORDS.includes(v.trim().toLowerCase()));
  return { client: on(mcp['client']), stdioServers: on(mcp['stdio_servers']) };
}

/** Sentinel thrown inside one server's translation; becomes that server's error. */
class ServerError extends Error {}

/**
 * Translate every server under Hermes' `mcp_servers`.
 * @param mcpServers the value of `mcp_servers` (undefined or null → no servers)
 * @returns one translation per server, in the file's order
 * @throws ConfigShapeError when `mcp_servers` is present but not a mapping (a whole-run input error)
 */
export function translateServers(mcpServers: unknown, src: SourceContext): ServerTranslation[] {
  if (mcpServers === undefined || mcpServers === null) return [];
  if (!isRecord(mcpServers)) {
    const line = src.lineOf(['mcp_servers']);
    throw new ConfigShapeError(
      `${src.file}${line ? `:${line}` : ''}: mcp_servers must be a mapping of server names to settings, not ${describe(mcpServers)}`,
      {
        location: { file: src.file, line },
        remediation: 'Write mcp_servers as `mcp_servers:\\n  name:\\n    command: …`; nothing was written.',
      },
    );
  }
  return Object.entries(mcpServers).map(([name, cfg]) => translateServer(name, cfg, src));
}

/** Translate one Hermes server. Never throws: bad values become `{ok: false, reason}`. */
export function translateServer(name: string, cfg: unknown, src: SourceContext): ServerTranslation {
  const warnings: MigrationWarning[] = [];
  const warn = (key: string | null, message: string) => warnings.push({ server: name, key, message });
  const at = (...path: (string | number)[]) => {
    const line = src.lineOf(['mcp_servers', name, ...path]);
    return line ? ` (${src.file}:${line})` : '';
  };
  try {
    if (name === '') throw new ServerError('the server name is empty');
    if (!isWellFormedString(name)) throw new ServerError('the server name is not valid Unicode');
    if (!isRecord(cfg)) {
      throw new ServerError(`its settings must be a mapping (command:, url:, …), not ${describe(cfg)}${at()}`);
    }
    // A key YAML 1.1 gives a type (`off`, `yes`, `0755`) names the server by that value's text.
    // Asked only for names such a key can produce: asking composes the document with positions.
    if (RETYPED_KEY_TEXT.test(name)) {
      const typed = src.keySourceOf?.(['mcp_servers', name]);
      if (typed !== undefined && typed !== name) {
        warn(null, `name: \`${typed}\` is not text in YAML 1.1, which Hermes reads config.yaml as, so this server is named "${name}"${at()}; quote the key ("${typed}":) to keep the name as typed`);
      }
    }
    // codex loads any quoted name but starts only some (codex/server-names.ts, measured per version).
    const kind = serverNameKind(name);
    if (kind === 'never') {
      throw new ServerError(`codex starts no MCP server named ${JSON.stringify(name)} (a name may hold ${SERVER_NAME_RULE})${at()}; rename the server in Hermes' config.yaml`);
    }
    if (kind === 'punctuated') {
      warn(null, `name "${name}" has characters outside [A-Za-z0-9_-]: codex ${PUNCTUATED_NAMES_SINCE} and newer start it and offer its tools as ${toolNamespace(name)}, an older codex never starts it, and \`codex mcp add\` takes only letters, digits, - and _; a plain name works everywhere`);
    }
    // YAML 1.1 (Hermes' reading) gives `yes`, `0755` or `1.10` a type; a string setting then
    // carries that value's text, which differs from what was typed: say so, with the fix.
    const retyped: Retyped = (path, label, written) => {
      const typed = src.plainSourceOf?.(['mcp_servers', name, ...path]);
      if (typed === undefined || typed === written) return;
      warn(
        label,
        `${label}: \`${typed}\` is not text in YAML 1.1, which Hermes reads config.yaml as, so it is passed as "${written}"${at(...path)}; ` +
          `quote it ("${typed}") to pass the text as typed`,
      );
    };
    const sourceOf = (...path: (string | number)[]) => src.plainSourceOf?.(['mcp_servers', name, ...path]);
    const entry = buildEntry(name, withContextVariables(cfg, src.home, warn, at), warn, at, retyped, src.home, sourceOf, src.toolCallTimeout?.seconds);
    // Hermes' switches turn servers off for the whole config: such a server is kept, disabled, as Hermes runs it.
    const off = src.switches && (!src.switches.client ? 'mcp.client' : !src.switches.stdioServers && entry.transport === 'stdio' ? 'mcp.stdio_servers' : null);
    if (off && !entry.fields.some(([k, v]) => k === 'enabled' && v === false)) {
      // Where buildEntry puts `enabled`: after the timeouts, before the tool filters.
      const rest = entry.fields.filter(([k]) => k !== 'enabled');
      const at = rest.findIndex(([k]) => k === 'enabled_tools' || k === 'disabled_tools');
      entry.fields = at === -1 ? [...rest, ['enabled', false]] : [...rest.slice(0, at), ['enabled', false], ...rest.slice(at)];
      warn(null, `written disabled: Hermes' ${off} is off, so Hermes starts ${off === 'mcp.client' ? 'no MCP server' : 'no stdio MCP server'}; turn it on and migrate again to enable it`);
    }
    return { ok: true, name, entry, warnings };
  } catch (err) {
    if (err instanceof ServerError) return { ok: false, name, reason: err.message, warnings };
    throw err;
  }
}

/** Names a typed YAML 1.1 key can turn into: `true`/`false`, `null`, or a number's text. */
const RETYPED_KEY_TEXT = /^(?:true|false|null|[-+]?(?:\.?[0-9]|\.inf|\.nan).*|\.inf|\.nan|Infinity|-Infinity|NaN)$/i;

type Warn = (key: string | null, message: string) => void;
type At = (...path: (string | number)[]) => string;
/** Report a typed YAML scalar written as text: its path under the server, label and the text written. */
type Retyped = (path: (string | number)[], label: string, written: string) => void;

/** One of Hermes' context variables (`${userHome}`, `${ pathSeparator }`, …; see {@link withContextVariables}), the name captured. */
const CONTEXT_VARIABLE = /\$\{\s*(userHome|pathSeparator|\/|workspaceFolder|workspaceFolderBasename)\s*\}/;

/**
 * Hermes' context variables, resolved as Hermes resolves them when it loads a server
 * (`tools/mcp_tool_config.py`, `_CONTEXT_VAR_RESOLVERS`, applied to every string of the server
 * before `${VAR}`): `${userHome}` is the home directory, `${pathSeparator}` and `${/}` are `/`.
 * `${workspaceFolder}` and `${workspaceFolderBasename}` name the Hermes session's workspace, which
 * a codex config cannot: the server fails with how to write it. Returns `cfg` itself when none occurs.
 */
function withContextVariables(cfg: Record<string, unknown>, home: string | undefined, warn: Warn, at: At): Record<string, unknown> {
  // Most servers name none: look before copying anything.
  const mentions = (v: unknown): boolean =>
    typeof v === 'string' ? v.includes('${') && CONTEXT_VARIABLE.test(v) : Array.isArray(v) ? v.some(mentions) : isRecord(v) ? Object.values(v).some(mentions) : false;
  if (!mentions(cfg)) return cfg;
  const CONTEXT = new RegExp(CONTEXT_VARIABLE.source, 'g');
  const resolved = new Set<string>();
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('${')) return v;
      return v.replace(CONTEXT, (whole, name: string) => {
        if (name === 'workspaceFolder' || name === 'workspaceFolderBasename') {
          const label = path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '');
          throw new ServerError(`${label} uses ${whole}, the Hermes session's workspace, which a codex config cannot name${at(...path)}; write the path out in full`);
        }
        if (name === 'userHome' && home === undefined) return whole;
        resolved.add(whole.replace(/\s/g, ''));
        return name === 'userHome' ? home! : '/';
      });
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    return v;
  };
  const out = walk(cfg, []) as Record<string, unknown>;
  if (resolved.size) warn(null, `${[...resolved].join(', ')} written as Hermes resolves ${resolved.size === 1 ? 'it' : 'them'}${resolved.has('${userHome}') ? ` (${home})` : ''}: codex expands no variables`);
  return resolved.size ? out : cfg;
}

function buildEntry(
  name: string,
  cfg: Record<string, unknown>,
  warn: Warn,
  at: At,
  retyped: Retyped,
  home?: string,
  sourceOf: (...path: (string | number)[]) => string | undefined = () => undefined,
  hermesToolCallSeconds: number = HERMES_DEFAULT_TOOL_TIMEOUT_SEC,
): CodexServerEntry {
  const behaviour: string[] = [];
  const raw = optionalString(cfg, 'command', at);
  // Hermes expands `~` in a stdio command (os.path.expanduser); codex runs it as written (measured: ENOENT).
  const command = raw !== undefined && /^~(\/|$)/.test(raw.trim()) && home !== undefined ? home + raw.trim().slice(1) : raw;
  if (raw !== undefined && command !== raw) warn('command', `command ${raw} is written as ${command}: Hermes expands ~ when it starts the server, codex does not${at('command')}`);
  else if (raw !== undefined && raw.trim().startsWith('~')) {
    throw new ServerError(`command ${raw} starts with ~, which Hermes expands and codex does not${at('command')}; write the full path`);
  }
  const url = optionalString(cfg, 'url', at);
  const fields: [string, TomlValue][] = [];
  let transport: 'stdio' | 'http';

  if (command !== undefined && command.trim() !== '') {
    transport = 'stdio';
    if (url !== undefined) warn('url', 'both command and url are set; the stdio command wins and url is dropped');
    if (cfg['headers'] !== undefined) warn('headers', 'headers apply only to URL servers; dropped for this stdio server');
    rejectPlaceholder(command, 'command', () => at('command'), 'path');
    fields.push(['command', command]);
    const args = typeof cfg['args'] === 'string' ? argsString(cfg['args'], warn, at) : argsList(cfg['args'], at, (i, w) => retyped(['args', i], `args[${i}]`, w), sourceOf);
    if (args !== undefined) {
      args.forEach((a, i) => rejectPlaceholder(a, `args[${i}]`, () => at('args', i), 'args'));
      if (args.length > 0) fields.push(['args', args]);
    }
    const env = translateEnv(cfg['env'], warn, at, retyped);
    if (Object.keys(env.literal).length > 0) fields.push(['env', env.literal]);
    // The variables Hermes hands every stdio server and codex does not, by name (config/hermes-behaviour.ts).
    const forwarded = HERMES_FORWARDED_ENV.filter((n) => !(n in env.literal) && !env.vars.includes(n));
    if (forwarded.length > 0) behaviour.push('env_vars');
    if (env.vars.length + forwarded.length > 0) fields.push(['env_vars', [...env.vars, ...forwarded]]);
    const cwd = optionalString(cfg, 'cwd', at);
    if (cwd !== undefined && cwd !== '') {
      rejectPlaceholder(cwd, 'cwd', () => at('cwd'), 'path');
      // Hermes hands cwd to the MCP SDK as written, codex too: neither expands `~` there (the server would not start).
      if (cwd.startsWith('~')) throw new ServerError(`cwd ${cwd} starts with ~, which neither Hermes nor codex expands in cwd (the server cannot start)${at('cwd')}; write the full path`);
      fields.push(['cwd', cwd]);
    }
  } else if (url !== undefined && url.trim() !== '') {
    transport = 'http';
    rejectPlaceholder(url, 'url', () => at('url'), 'url');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ServerError(`url "${url}" is not a valid URL${at('url')}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ServerError(`url "${url}" must use http or https${at('url')}`);
    }
    for (const key of ['args', 'env', 'cwd'] as const) {
      if (cfg[key] !== undefined) warn(key, `${key} applies only to stdio servers; dropped for this URL server`);
    }
    fields.push(['url', url]);
    const headers = translateHeaders(cfg['headers'], warn, at, retyped);
    if (headers.bearer !== undefined) fields.push(['bearer_token_env_var', headers.bearer]);
    if (Object.keys(headers.literal).length > 0) fields.push(['http_headers', headers.literal]);
    if (Object.keys(headers.fromEnv).length > 0) fields.push(['env_http_headers', headers.fromEnv]);
    if (typeof cfg['transport'] === 'string' && cfg['transport'].toLowerCase() === 'sse') {
      warn('transport', 'transport: sse is written as a URL server; Codex speaks streamable HTTP, so the server must support it (most SSE servers also serve streamable HTTP at /mcp)');
    }
  } else {
    throw new ServerError(`it has neither a command (stdio) nor a url (HTTP)${at()}; add one or remove the server`);
  }

  const transportValue = cfg['transport'];
  if (transportValue !== undefined && (typeof transportValue !== 'string' || !KNOWN_TRANSPORTS.has(transportValue.toLowerCase()))) {
    warn('transport', `unknown transport ${JSON.stringify(transportValue)} ignored; Codex infers the transport from command/url`);
  }

  // The timeouts Hermes applies: the server's own, else Hermes' (config/hermes-behaviour.ts); written
  // when given, or when Hermes' differs from what a supported codex applies by itself (codex/capabilities.ts).
  const connect = seconds(cfg, 'connect_timeout', at);
  const startup = connect ?? HERMES_DEFAULT_CONNECT_TIMEOUT_SEC;
  if (connect !== undefined || startup !== CODEX_DEFAULT_STARTUP_TIMEOUT_SEC) fields.push(['startup_timeout_sec', { float: startup }]);
  if (connect === undefined && startup !== CODEX_DEFAULT_STARTUP_TIMEOUT_SEC) behaviour.push('startup_timeout_sec');
  // codex's own tool-call default differs between supported versions (120 s, then 300 s:
  // codexDefaultToolTimeoutSec), so the one Hermes applies is always written.
  const timeout = seconds(cfg, 'timeout', at);
  fields.push(['tool_timeout_sec', { float: timeout ?? hermesToolCallSeconds }]);
  if (timeout === undefined) behaviour.push('tool_timeout_sec');

  if (!hermesEnabled(cfg['enabled'], (message) => warn('enabled', `${message}${at('enabled')}`))) fields.push(['enabled', false]);

  const tools = cfg['tools'];
  if (tools !== undefined && tools !== null) {
    if (!isRecord(tools)) throw new ServerError(`tools must be a mapping with include/exclude lists, not ${describe(tools)}${at('tools')}`);
    const include = stringList(tools, 'include', (...p) => at('tools', ...p), 'tools.include');
    const exclude = stringList(tools, 'exclude', (...p) => at('tools', ...p), 'tools.exclude');
    if (include !== undefined) fields.push(['enabled_tools', include]);
    if (exclude !== undefined && exclude.length > 0) fields.push(['disabled_tools', exclude]);
    for (const key of Object.keys(tools)) {
      if (key !== 'include' && key !== 'exclude') warn(`tools.${key}`, `tools.${key} has no Codex equivalent; dropped`);
    }
  }

  for (const key of Object.keys(cfg)) {
    if (TRANSLATED.has(key) || SILENT.has(key)) continue;
    const why = DROP_REASONS[key] ?? 'no Codex equivalent';
    warn(key, `${key} dropped: ${why}`);
  }

  return behaviour.length ? { name, transport, fields, fromHermesBehaviour: behaviour } : { name, transport, fields };
}

/**
 * Whether Hermes runs the server, read as Hermes reads `enabled` (`tools/mcp_tool_common.py`,
 * `_parse_boolish` via `mcp_server_enabled`): absent or null is on; a boolean as given; a number is
 * on unless 0; text `true`/`1`/`yes`/`on` or `false`/`0`/`no`/`off` in any case, spaces trimmed;
 * anything else is on, as Hermes falls back to, with a warning (`warn`).
 */
function hermesEnabled(v: unknown, warn: (message: string) => void): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v) !== 0;
  if (typeof v === 'string') {
    const word = v.trim().toLowerCase();
    if (HERMES_TRUE_WORDS.includes(word)) return true;
    if (HERMES_FALSE_WORDS.includes(word)) {
      warn(`enabled is the text ${JSON.stringify(v)}, which Hermes reads as false; written as enabled = false`);
      return false;
    }
  }
  warn(`enabled is ${describe(v)}, neither true nor false; Hermes then runs the server, so it is written enabled; write enabled: true or false`);
  return true;
}

const KNOWN_TRANSPORTS = new Set(['stdio', 'http', 'sse', 'streamable_http', 'streamable-http', 'streamablehttp']);

/** A location suffix such as ` (/h/config.yaml:12)`, computed only when a message needs it. */
type Where = () => string;

/** What to do about a placeholder, by the kind of setting it is in. */
const PLACEHOLDER_FIXES = {
  args: 'move a secret into env (e.g. `TOKEN: "${TOKEN}"`) and let the server read it from its environment; write anything else out in full',
  path: 'write the path out in full (Hermes expands the variable when it starts the server; Codex does not)',
  url: 'write the URL out in full; a token belongs in headers (`Authorization: "Bearer ${TOKEN}"` becomes bearer_token_env_var)',
} as const;

function rejectPlaceholder(value: string, what: string, where: Where, fix: keyof typeof PLACEHOLDER_FIXES): void {
  if (hasPlaceholder(value)) {
    throw new ServerError(`${what} contains ${firstPlaceholder(value)}, which Codex would pass literally (it never expands placeholders)${where()}; ${PLACEHOLDER_FIXES[fix]}`);
  }
}

function translateEnv(
  env: unknown,
  warn: Warn,
  at: At,
  retyped: Retyped,
): { literal: Record<string, string>; vars: string[] } {
  const literal: Record<string, string> = {};
  const vars: string[] = [];
  if (env === undefined || env === null) return { literal, vars };
  if (!isRecord(env)) throw new ServerError(`env must be a mapping of NAME: value, not ${describe(env)}${at('env')}`);
  for (const [key, raw] of Object.entries(env)) {
    if (raw === null || raw === undefined) {
      warn(`env.${key}`, `env ${key} has no value; skipped`);
      continue;
    }
    const value = scalarString(raw, `env.${key}`, () => at('env', key), (w) => retyped(['env', key], `env.${key}`, w));
    const v = exactPlaceholder(value);
    if (v !== null) {
      if (v === key) vars.push(key);
      else {
        warn(
          `env.${key}`,
          `env ${key} = \${${v}} skipped: Codex can only forward a variable under its own name (env_vars); ` +
            `write ${key}: "\${${key}}" and export ${key}, or set ${key} in the environment that starts codex`,
        );
      }
      continue;
    }
    if (hasPlaceholder(value)) {
      warn(
        `env.${key}`,
        `env ${key} mixes text with ${firstPlaceholder(value)} and was skipped: Codex passes env values literally; ` +
          `export the whole value as ${key} and write ${key}: "\${${key}}"`,
      );
      continue;
    }
    literal[key] = value;
  }
  return { literal, vars };
}

function translateHeaders(
  headers: unknown,
  warn: Warn,
  at: At,
  retyped: Retyped,
): { literal: Record<string, string>; fromEnv: Record<string, string>; bearer?: string } {
  const literal: Record<string, string> = {};
  const fromEnv: Record<string, string> = {};
  let bearer: string | undefined;
  if (headers === undefined || headers === null) return { literal, fromEnv };
  if (!isRecord(headers)) throw new ServerError(`headers must be a mapping of Header: value, not ${describe(headers)}${at('headers')}`);
  for (const [key, raw] of Object.entries(headers)) {
    if (raw === null || raw === undefined) {
      warn(`headers.${key}`, `header ${key} has no value; skipped`);
      continue;
    }
    const value = scalarString(raw, `headers.${key}`, () => at('headers', key), (w) => retyped(['headers', key], `headers.${key}`, w));
    const b = key.toLowerCase() === 'authorization' ? bearerPlaceholder(value) : null;
    if (b !== null) {
      bearer = b;
      continue;
    }
    const v = exactPlaceholder(value);
    if (v !== null) {
      fromEnv[key] = v;
      continue;
    }
    if (hasPlaceholder(value)) {
      warn(
        `headers.${key}`,
        `header ${key} mixes text with ${firstPlaceholder(value)} and was skipped: Codex can read a whole header value from a variable (env_http_headers) or a bearer token (bearer_token_env_var); ` +
          `export the whole value and write ${key}: "\${VAR}"`,
      );
      continue;
    }
    literal[key] = value;
  }
  return bearer === undefined ? { literal, fromEnv } : { literal, fromEnv, bearer };
}

function optionalString(cfg: Record<string, unknown>, key: string, at: At): string | undefined {
  const v = cfg[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ServerError(`${key} must be a string, not ${describe(v)}${at(key)}`);
  if (!isWellFormedString(v)) throw new ServerError(`${key} is not valid Unicode${at(key)}`);
  return v;
}

/** A scalar setting as text; `typed` hears the text written for a number or boolean. */
function scalarString(v: unknown, what: string, where: Where, typed?: (written: string) => void): string {
  if (typeof v === 'string') {
    if (!isWellFormedString(v)) throw new ServerError(`${what} is not valid Unicode${where()}`);
    return v;
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
    const written = String(v);
    typed?.(written);
    return written;
  }
  throw new ServerError(`${what} must be a single value, not ${describe(v)}${where()}`);
}

/**
 * `args` given as one string, read as Hermes reads it (config/hermes-args.ts: a JSON or Python list,
 * else a shell command line), with a warning that shows the list written; text it cannot read
 * exactly fails the server.
 */
function argsString(text: string, warn: Warn, at: At): string[] {
  const r = argsFromString(text);
  if (!r.ok) throw new ServerError(`args is one string that hermes-codex cannot read exactly as Hermes does (${r.reason})${at('args')}; write args as a YAML list (args: ["…", "…"])`);
  const how = r.read === 'shell' ? 'split like a shell command line' : r.read === 'json' ? 'decoded as a JSON list' : 'decoded as a Python list';
  warn('args', `args is one string; ${how}, as Hermes does, it is ${JSON.stringify(r.args)}${at('args')}; write it as a YAML list to say so yourself`);
  return r.args;
}

/**
 * `args` as a list, each item as Hermes passes it to the server: `str(item)` in Python
 * (`tools/mcp_tool.py`, `_coerce_mcp_stdio_args`), so YAML 1.1's `yes` is `True`, `~` is `None`,
 * a float keeps Python's spelling (`1.0`, `1e+16`, `inf`); `typed` reports each item whose text
 * differs from what was typed. A nested list or mapping fails the server.
 */
function argsList(v: unknown, at: At, typed: (index: number, written: string) => void, sourceOf: (...path: (string | number)[]) => string | undefined): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new ServerError(`args must be a list, not ${describe(v)}${at('args')}`);
  return v.map((item, i) => {
    if (typeof item === 'string') return scalarString(item, `args[${i}]`, () => at('args', i));
    if (typeof item === 'object' && item !== null) throw new ServerError(`args[${i}] must be a string, not ${describe(item)}${at('args', i)}`);
    const written = pythonStr(item, sourceOf('args', i));
    typed(i, written);
    return written;
  });
}

function stringList(
  cfg: Record<string, unknown>,
  key: string,
  at: At,
  label = key,
  typed?: (index: number, written: string) => void,
): string[] | undefined {
  const v = cfg[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    throw new ServerError(
      `${label} must be a list${typeof v === 'string' ? ` (write ${label}: ["…", "…"] rather than one string)` : `, not ${describe(v)}`}${at(key)}`,
    );
  }
  return v.map((item, i) => {
    if (item === null || item === undefined || typeof item === 'object') {
      throw new ServerError(`${label}[${i}] must be a string, not ${describe(item)}${at(key, i)}`);
    }
    return scalarString(item, `${label}[${i}]`, () => at(key, i), typed && ((w) => typed(i, w)));
  });
}

function seconds(cfg: Record<string, unknown>, key: string, at: At): number | undefined {
  const v = cfg[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) {
    throw new ServerError(`${key} must be a positive number of seconds, not ${describe(v)}${at(key)}`);
  }
  // Codex turns the seconds into a Duration and refuses the whole config.toml past about 1.8e19 (codex 0.169).
  if (n > MAX_TIMEOUT_SECONDS) {
    throw new ServerError(`${key} ${describe(v)} is too large: Codex refuses timeouts over about 1.8e19 seconds; write at most ${MAX_TIMEOUT_SECONDS}${at(key)}`);
  }
  return n;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

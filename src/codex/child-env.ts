/**
 * The environment codex is started with, and redaction of what it prints.
 *
 * codex's model runs shell commands that inherit codex's environment, so
 * handing codex hermes-codex's whole environment would let the model read
 * every secret in it (gateway tokens, cloud keys). Like Hermes' own adapter,
 * codex gets a clean environment by default: what it needs to run (PATH,
 * HOME, user, shell, terminal, locale, time zone, temporary directory, CA
 * bundles, proxies, `CODEX_*`, `RUST_LOG`), the API key variables codex's
 * own providers read (`OPENAI_API_KEY`, `CODEX_API_KEY`, `OPENAI_BASE_URL`),
 * every variable config.toml names (`model_providers.*.env_key`,
 * `mcp_servers.*.env_vars`, `bearer_token_env_var`, `env_http_headers`
 * values: codex forwards them to providers and MCP servers), and whatever
 * the caller names.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'smol-toml';

const EXACT = new Set([
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TERM', 'COLORTERM', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TEMP', 'TMP',
  'SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_EXTRA_CA_CERTS', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE',
  'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'all_proxy', 'no_proxy',
  'RUST_LOG', 'RUST_BACKTRACE', 'OPENAI_API_KEY', 'CODEX_API_KEY', 'OPENAI_BASE_URL',
  'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'XDG_RUNTIME_DIR', 'DISPLAY', 'WAYLAND_DISPLAY', 'SystemRoot', 'COMSPEC', 'PATHEXT', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA',
]);
const PREFIXES = ['LC_', 'CODEX_'];

/** The variable names a config.toml tells codex to read from its environment. */
export function variablesNamedIn(configText: string): string[] {
  let doc: Record<string, unknown>;
  try {
    doc = parse(configText.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch {
    return [];
  }
  const names = new Set<string>();
  const table = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  for (const p of Object.values(table(doc['model_providers']))) {
    const k = table(p)['env_key'];
    if (typeof k === 'string') names.add(k);
  }
  for (const s of Object.values(table(doc['mcp_servers']))) {
    const server = table(s);
    const vars = server['env_vars'];
    for (const v of Array.isArray(vars) ? vars : []) {
      const name = typeof v === 'string' ? v : table(v)['name'];
      if (typeof name === 'string') names.add(name);
    }
    if (typeof server['bearer_token_env_var'] === 'string') names.add(server['bearer_token_env_var']);
    for (const v of Object.values(table(server['env_http_headers']))) if (typeof v === 'string') names.add(v);
  }
  return [...names];
}

/**
 * A clean environment for codex (see module doc).
 * @param base the environment to take values from
 * @param codexHome the CODEX_HOME codex runs on (its config.toml is read for the variables it names)
 * @param pass more variable names to pass through
 */
export function codexChildEnv(base: Record<string, string | undefined>, codexHome: string | undefined, pass: readonly string[] = []): Record<string, string | undefined> {
  const wanted = new Set(pass);
  if (codexHome) {
    try {
      for (const n of variablesNamedIn(readFileSync(path.join(codexHome, 'config.toml'), 'utf8'))) wanted.add(n);
    } catch {
      /* no config.toml: nothing named */
    }
  }
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined) continue;
    if (EXACT.has(k) || wanted.has(k) || PREFIXES.some((p) => k.startsWith(p))) out[k] = v;
  }
  return out;
}

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i;
const NOT_SECRET_NAME = /(_SOCK|_DIR|_PATH|_FILE|_HOME|_URL)$/i;

/**
 * Text with secrets replaced by `***`: the values of variables in `env`
 * whose names look secret (8 characters or longer; not paths, sockets or
 * URLs), bearer tokens, and common key shapes (`sk-…`, `ghp_…`, `xox…-…`).
 */
export function redactSecrets(text: string, env: Record<string, string | undefined> = {}): string {
  let out = text;
  for (const [k, v] of Object.entries(env)) {
    // Not paths and sockets (SSH_AUTH_SOCK, KEYRING_DIR): their values are places, not secrets.
    if (!v || v.length < 8 || v.startsWith('/') || !SECRET_NAME.test(k) || NOT_SECRET_NAME.test(k)) continue;
    out = out.split(v).join('***');
  }
  return out
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***')
    .replace(/\b(sk-[A-Za-z0-9_-]{8,}|gh[pousr]_[A-Za-z0-9]{16,}|xox[abpr]-[A-Za-z0-9-]{10,})/g, '***');
}

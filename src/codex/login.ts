/**
 * How a CODEX_HOME logs in to its model: one rule for doctor's codex.auth,
 * hermes.profiles and `profile list`. A custom `model_provider` whose table
 * does not set `requires_openai_auth = true` authenticates with its own
 * `env_key` variable (codex's ModelProviderInfo), not with an OpenAI login;
 * otherwise auth.json (an API key or ChatGPT tokens) only: `codex app-server`
 * does not read `OPENAI_API_KEY` or `CODEX_API_KEY` from its environment
 * (measured with 0.128, 0.150 and 0.169: the model requests carried no key).
 * Secrets are never read out.
 */
import * as path from 'node:path';
import { isRecord } from '../config/hermes-config.js';
import { parseCodexToml, type TomlTable } from '../config/codex-toml.js';
import type { FileSystem } from '../fs/filesystem.js';
import { readTextFile } from '../fs/read-text.js';

/** `provider-key`: a custom provider's env_key is set; `provider`: a custom provider that needs no key. */
export type LoginState = 'api-key' | 'chatgpt' | 'provider-key' | 'provider' | 'none';

export interface ProviderAuth {
  provider: string;
  /** The variable the provider reads its key from, or null when it needs none. */
  envKey: string | null;
  keySet: boolean;
}

/** The custom provider a config selects, when it logs in with its own key (pure). Null for OpenAI logins. */
export function customProviderAuth(doc: TomlTable | null | undefined, env: Record<string, string | undefined>): ProviderAuth | null {
  const provider = typeof doc?.['model_provider'] === 'string' ? doc['model_provider'] : 'openai';
  if (provider === 'openai') return null;
  const providers = isRecord(doc?.['model_providers']) ? doc['model_providers'] : {};
  const def = providers[provider];
  if (!isRecord(def) || def['requires_openai_auth'] === true) return null;
  const envKey = typeof def['env_key'] === 'string' ? def['env_key'] : null;
  return { provider, envKey, keySet: envKey !== null && Boolean(env[envKey]) };
}

/** What a CODEX_HOME's auth.json holds, read once for every caller; never the secrets themselves. */
export type AuthFile =
  | { kind: 'missing' }
  | { kind: 'unreadable'; message: string }
  | { kind: 'invalid-json'; path: string }
  | { kind: 'api-key'; path: string; mode: number }
  | {
      kind: 'chatgpt';
      path: string;
      mode: number;
      /** When the access token expires (ms since the epoch), or null when it is not a JWT with `exp`. */
      accessTokenExpiresAt: number | null;
      /** `last_refresh` (ms since the epoch), or null. */
      lastRefresh: number | null;
    }
  | { kind: 'empty'; path: string; mode: number };

function jwtExpiry(token: string): number | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const payload = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    return typeof payload['exp'] === 'number' ? payload['exp'] * 1000 : null;
  } catch {
    return null;
  }
}

/** Read `<codexHome>/auth.json` (see {@link AuthFile}). */
export async function readAuthFile(fs: FileSystem, codexHome: string): Promise<AuthFile> {
  const p = path.join(codexHome, 'auth.json');
  let text: string | null;
  try {
    text = (await readTextFile(fs, p, 'auth.json', { missingOk: true }))?.text ?? null;
  } catch (err) {
    return { kind: 'unreadable', message: (err as Error).message };
  }
  if (text === null) return { kind: 'missing' };
  let auth: Record<string, unknown>;
  try {
    auth = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { kind: 'invalid-json', path: p };
  }
  const mode = ((await fs.stat(p).catch(() => null))?.mode ?? 0o600) & 0o777;
  if (typeof auth['OPENAI_API_KEY'] === 'string' && auth['OPENAI_API_KEY']) return { kind: 'api-key', path: p, mode };
  const tokens = isRecord(auth['tokens']) ? auth['tokens'] : null;
  if (!tokens || typeof tokens['access_token'] !== 'string') return { kind: 'empty', path: p, mode };
  const lastRefresh = typeof auth['last_refresh'] === 'string' ? Date.parse(auth['last_refresh']) : NaN;
  return { kind: 'chatgpt', path: p, mode, accessTokenExpiresAt: jwtExpiry(tokens['access_token']), lastRefresh: Number.isNaN(lastRefresh) ? null : lastRefresh };
}

/** How a CODEX_HOME is logged in (see module doc). */
export async function loginState(fs: FileSystem, codexHome: string, env: Record<string, string | undefined>): Promise<LoginState> {
  const config = await readTextFile(fs, path.join(codexHome, 'config.toml'), 'config.toml', { missingOk: true }).catch(() => null);
  let doc: TomlTable | null = null;
  try {
    doc = config ? parseCodexToml(config.text, config.path) : null;
  } catch {
    /* a broken config.toml: codex.config reports it; the OpenAI rules below still apply */
  }
  const custom = customProviderAuth(doc, env);
  if (custom) return custom.envKey === null ? 'provider' : custom.keySet ? 'provider-key' : 'none';
  const auth = await readAuthFile(fs, codexHome);
  if (auth.kind === 'api-key') return 'api-key';
  if (auth.kind === 'chatgpt') return 'chatgpt';
  // codex app-server reads no API key from its environment (measured, 0.128–0.169; hints.ts): none.
  return 'none';
}

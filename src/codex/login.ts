/**
 * How a CODEX_HOME logs in to its model: one rule for doctor's codex.auth,
 * hermes.profiles and `profile list`. A custom `model_provider` whose table
 * does not set `requires_openai_auth = true` authenticates with its own
 * `env_key` variable (codex's ModelProviderInfo), not with an OpenAI login;
 * otherwise auth.json (an API key or ChatGPT tokens) or `OPENAI_API_KEY` /
 * `CODEX_API_KEY` in the environment. Secrets are never read out.
 */
import * as path from 'node:path';
import { isRecord } from '../config/hermes-config.js';
import { parseCodexToml, type TomlTable } from '../config/codex-toml.js';
import type { FileSystem } from '../fs/filesystem.js';
import { readTextFile } from '../fs/read-text.js';

/** `provider-key`: a custom provider's env_key is set; `provider`: a custom provider that needs no key. */
export type LoginState = 'api-key' | 'chatgpt' | 'env-api-key' | 'provider-key' | 'provider' | 'none';

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
  const file = await readTextFile(fs, path.join(codexHome, 'auth.json'), 'auth.json', { missingOk: true }).catch(() => null);
  if (file) {
    try {
      const auth = JSON.parse(file.text) as { OPENAI_API_KEY?: unknown; tokens?: { access_token?: unknown } };
      if (typeof auth.OPENAI_API_KEY === 'string' && auth.OPENAI_API_KEY) return 'api-key';
      if (auth.tokens && typeof auth.tokens.access_token === 'string') return 'chatgpt';
    } catch {
      /* unreadable auth.json counts as not logged in */
    }
  }
  return env['OPENAI_API_KEY'] || env['CODEX_API_KEY'] ? 'env-api-key' : 'none';
}

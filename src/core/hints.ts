/**
 * Command lines that hints and reports tell a user to run, shell-quoted so
 * they can be pasted as they are. A migrate hint must target the same Hermes
 * config and CODEX_HOME as the run that printed it, or a user of a profile
 * with its own CODEX_HOME would migrate the wrong file.
 */
import { quote } from 'shell-quote';
import type { CodexHomeLocation } from './paths.js';

/** `CODEX_HOME=DIR codex login`: logs one CODEX_HOME in. */
export function codexLoginCommand(codexHome: string): string {
  return `CODEX_HOME=${quote([codexHome])} codex login`;
}

/** The environment variables holding an OpenAI API key that a user may expect codex to read. */
const ENV_API_KEYS = ['OPENAI_API_KEY', 'CODEX_API_KEY'] as const;

/** The first of `OPENAI_API_KEY`, `CODEX_API_KEY` set (non-blank) in `env`, or null. */
export function envApiKeyName(env: Record<string, string | undefined>): (typeof ENV_API_KEYS)[number] | null {
  return ENV_API_KEYS.find((k) => env[k]?.trim()) ?? null;
}

/**
 * How to log one CODEX_HOME in, as a sentence: with an API key in `env`, the
 * command that stores it (`printenv KEY | … codex login --with-api-key`,
 * codex's own suggestion in `codex login --help`), because `codex app-server`
 * does not read API keys from its environment (measured with 0.128, 0.150 and
 * 0.169: a provider that needs OpenAI auth got no key from `OPENAI_API_KEY` or
 * `CODEX_API_KEY`); otherwise `codex login`, naming the API-key form too.
 */
export function codexLoginHint(codexHome: string, env: Record<string, string | undefined>): string {
  const key = envApiKeyName(env);
  if (key) return `Run \`${codexLoginCommandFor(codexHome, env)}\` once: codex app-server does not read $${key} itself, it reads the key codex login stores in auth.json.`;
  return `Run \`${codexLoginCommand(codexHome)}\` once (or \`${codexApiKeyLoginCommand(codexHome)}\` for an API key).`;
}

/** The one command that logs a CODEX_HOME in from `env`: storing its API key when it holds one (see {@link codexLoginHint}), else `codex login`. */
export function codexLoginCommandFor(codexHome: string, env: Record<string, string | undefined>): string {
  const key = envApiKeyName(env);
  return key ? codexApiKeyLoginCommand(codexHome, key) : codexLoginCommand(codexHome);
}

/** `printenv OPENAI_API_KEY | CODEX_HOME=DIR codex login --with-api-key`: stores an API key where codex app-server reads it (auth.json). */
export function codexApiKeyLoginCommand(codexHome: string, key: string = 'OPENAI_API_KEY'): string {
  return `printenv ${key} | CODEX_HOME=${quote([codexHome])} codex login --with-api-key`;
}

/** `CODEX_HOME=DIR codex ARGS…`: a codex command for one CODEX_HOME. */
export function codexCommandLine(codexHome: string, args: readonly string[]): string {
  return `CODEX_HOME=${quote([codexHome])} ${quote(['codex', ...args])}`;
}

/** `export CODEX_HOME=DIR`: points a shell's codex at one CODEX_HOME. */
export function exportCodexHomeLine(codexHome: string): string {
  return `export CODEX_HOME=${quote([codexHome])}`;
}

export interface MigrateTarget {
  hermesConfig?: string | undefined;
  profile?: string | undefined;
  hermesRoot?: string | undefined;
  /**
   * The CODEX_HOME the caller used. Named with `--codex-home` only when it
   * came from a flag or a profile's own directory (`source: 'flag'`); one from
   * `$CODEX_HOME` or the default is found again by migrate on its own.
   */
  codexHome?: CodexHomeLocation | undefined;
}

/**
 * `hermes-codex migrate [--hermes-config P] [--profile N] [--hermes-root R]
 * [--codex-home D] [...extra]`, each argument shell-quoted where needed.
 */
export function migrateCommandLine(target: MigrateTarget, extra: readonly string[] = []): string {
  const args = ['hermes-codex', 'migrate'];
  if (target.hermesConfig) args.push('--hermes-config', target.hermesConfig);
  else if (target.profile) args.push('--profile', target.profile);
  if (target.hermesRoot) args.push('--hermes-root', target.hermesRoot);
  if (target.codexHome?.source === 'flag') args.push('--codex-home', target.codexHome.path);
  return quote([...args, ...extra]);
}

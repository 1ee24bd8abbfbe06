/**
 * `${VAR}` / `${env:VAR}` placeholders in Hermes values. Hermes expands them
 * from its environment when it loads config.yaml; Codex never does, so a
 * placeholder written into config.toml would reach the MCP server as the
 * literal text `${VAR}`. These helpers recognise the forms that Codex can
 * express another way (`env_vars`, `bearer_token_env_var`, `env_http_headers`).
 */

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const EXACT = new RegExp(`^\\$\\{(?:env:)?(${NAME})\\}$`);
const BEARER = new RegExp(`^Bearer[ \\t]+\\$\\{(?:env:)?(${NAME})\\}$`, 'i');
const ANY = /\$\{[^}]*\}/;

/** True when the value holds any `${…}` placeholder. */
export function hasPlaceholder(value: string): boolean {
  return ANY.test(value);
}

/** The variable name when the whole value is one placeholder (`${VAR}` or `${env:VAR}`), else null. */
export function exactPlaceholder(value: string): string | null {
  return EXACT.exec(value.trim())?.[1] ?? null;
}

/** The variable name when the value is `Bearer ${VAR}` (case-insensitive `Bearer`), else null. */
export function bearerPlaceholder(value: string): string | null {
  return BEARER.exec(value.trim())?.[1] ?? null;
}

/** The first placeholder in a value, for messages. */
export function firstPlaceholder(value: string): string | null {
  return ANY.exec(value)?.[0] ?? null;
}

/**
 * Options shared across commands, declared once (help text, types and
 * docs come from here).
 */
import type { Options } from 'yargs';

export const locationOptions = {
  'hermes-config': { type: 'string', description: 'Hermes config.yaml to read (default: $HERMES_HOME/config.yaml)', requiresArg: true },
  profile: { type: 'string', description: 'Hermes profile: <hermes root>/profiles/NAME/config.yaml', requiresArg: true },
  'hermes-root': { type: 'string', description: 'Hermes root holding profiles/ and the Hermes install (default: $HERMES_HOME or ~/.hermes)', requiresArg: true },
  'codex-home': { type: 'string', description: 'Codex home (default: $CODEX_HOME or ~/.codex)', requiresArg: true },
  'codex-bin': { type: 'string', description: "codex executable (default: Hermes' model.codex_bin, else codex on PATH)", requiresArg: true },
} as const satisfies Record<string, Options>;

export const outputOptions = {
  json: { type: 'boolean', default: false, description: 'Print one JSON document on stdout (stable, versioned)' },
} as const satisfies Record<string, Options>;

/** The library options for the shared location flags that were given (others left out). */
export function locationArgs(a: Record<string, unknown>): {
  hermesConfig?: string;
  profile?: string;
  hermesRoot?: string;
  codexHome?: string;
  codexBin?: string;
} {
  const pick = (flag: string) => (typeof a[flag] === 'string' ? (a[flag] as string) : undefined);
  const out: Record<string, string> = {};
  for (const [flag, key] of [['hermes-config', 'hermesConfig'], ['profile', 'profile'], ['hermes-root', 'hermesRoot'], ['codex-home', 'codexHome'], ['codex-bin', 'codexBin']] as const) {
    const v = pick(flag);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/**
 * Options shared across commands, declared once (help text, types and
 * docs come from here).
 */
import type { Argv, InferredOptionTypes, Options } from 'yargs';

/** The typed arguments of a command, from its one options declaration. */
export type ArgsOf<O extends Record<string, Options>> = InferredOptionTypes<O> & { _: (string | number)[] };
import { UsageError } from '../core/errors.js';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A leading `~` or `~/` expanded to the home directory: the shell does not
 * expand it after `=` (`--codex-home=~/.codex`), and a literal `~` directory
 * is never what a user means.
 */
export function expandHome(value: string): string {
  if (typeof value !== 'string') return value;
  const home = process.env['HOME'] || os.homedir();
  if (value === '~') return home;
  return value.startsWith('~/') ? path.join(home, value.slice(2)) : value;
}

export const locationOptions = {
  'hermes-config': { type: 'string', coerce: expandHome, description: 'Hermes config.yaml to read (default: $HERMES_HOME/config.yaml)', requiresArg: true },
  profile: { type: 'string', description: 'Hermes profile: <hermes root>/profiles/NAME/config.yaml, and its own CODEX_HOME (<hermes root>/profiles/NAME/codex) once `profile setup` made one', requiresArg: true },
  'hermes-root': { type: 'string', coerce: expandHome, description: 'Hermes root holding profiles/ and the Hermes install (default: $HERMES_HOME, or the root above it when it is a profile, else ~/.hermes)', requiresArg: true },
  'codex-home': { type: 'string', coerce: expandHome, description: 'Codex home (default: $CODEX_HOME or ~/.codex)', requiresArg: true },
  'codex-bin': { type: 'string', coerce: expandHome, description: "codex executable (default: Hermes' model.codex_bin, else codex on PATH)", requiresArg: true },
} as const satisfies Record<string, Options>;

/**
 * A number-of-seconds flag, checked: finite, within range (usage error, exit 2, otherwise).
 * @throws UsageError
 */
export function secondsFlag(a: Record<string, unknown>, flag: string, range: { min?: number; max: number; zeroOk?: boolean }): number {
  const v = Number(a[flag]);
  const min = range.min ?? 0;
  const ok = Number.isFinite(v) && (range.zeroOk ? v >= min : v > min) && v <= range.max;
  if (!ok) {
    // yargs reads a word that is not a number as NaN, which JSON would show as "null".
    const given = typeof a[flag] === 'number' && Number.isNaN(a[flag]) ? ' (what was given is not a number)' : `, not ${JSON.stringify(a[flag])}`;
    throw new UsageError(`--${flag} must be a number of seconds ${range.zeroOk ? `from ${min}` : `above ${min}`} up to ${range.max}${given}`, {
      remediation: `Example: --${flag} ${Math.min(30, range.max)}`,
    });
  }
  return v;
}

export const outputOptions = {
  json: { type: 'boolean', default: false, description: 'Print one JSON document on stdout (stable, versioned)' },
} as const satisfies Record<string, Options>;

/**
 * The command's workspace, resolved once from its location flags (and the
 * process's environment) and handed to every library call it makes; a flag
 * not given takes its default there. Loaded on use, so `--help` does not pay for it.
 */
export async function workspaceFrom(a: Record<string, unknown>): Promise<import('../core/workspace.js').Workspace> {
  const { resolveWorkspace } = await import('../core/workspace.js');
  const flag = (name: string) => (typeof a[name] === 'string' ? (a[name] as string) : undefined);
  return resolveWorkspace({
    hermesConfig: flag('hermes-config'),
    profile: flag('profile'),
    hermesRoot: flag('hermes-root'),
    codexHome: flag('codex-home'),
    codexBin: flag('codex-bin'),
  });
}

/**
 * Help sections: the shared location flags under "Where:", output flags
 * under "Output:"; the rest stay under the command's own "Options:".
 */
export function withGroups<T>(y: Argv<T>, options: Record<string, unknown>): Argv<T> {
  const where = ['hermes-config', 'profile', 'hermes-root', 'codex-home', 'codex-bin'].filter((k) => k in options);
  const out = ['json', 'format', 'ascii', 'verbose', 'diff', 'show-secrets'].filter((k) => k in options);
  let g = y;
  if (where.length) g = g.group(where, 'Where:');
  if (out.length) g = g.group(out, 'Output:');
  return g;
}

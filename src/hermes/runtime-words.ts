/**
 * The words `hermes-codex runtime` accepts for Hermes' runtime switch
 * (`model.openai_runtime`: `auto` or `codex_app_server`, see
 * hermes_cli/codex_runtime_switch.py upstream). No other imports, so the
 * CLI can declare its subcommands without loading the switch itself.
 */
import { UsageError } from '../core/errors.js';

export type RuntimeValue = 'codex_app_server' | 'auto';

export const ON_WORDS = ['on', 'codex', 'enable', 'codex_app_server'];
export const OFF_WORDS = ['off', 'auto', 'default', 'disable', 'hermes'];

/**
 * `on`/`off` and their synonyms (case-insensitive) → the config value.
 * @throws UsageError listing the accepted words
 */
export function parseRuntimeWord(word: string): RuntimeValue {
  const w = word.trim().toLowerCase();
  if (ON_WORDS.includes(w)) return 'codex_app_server';
  if (OFF_WORDS.includes(w)) return 'auto';
  throw new UsageError(`"${word}" is not a runtime; use status, ${ON_WORDS.join(', ')} (on) or ${OFF_WORDS.join(', ')} (off)`, {
    remediation: 'Example: hermes-codex runtime on',
  });
}

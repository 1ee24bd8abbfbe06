/**
 * yargs' usage failures, reworded to name what was typed and what was
 * probably meant. yargs 17 says `Did you mean X?` for a near-miss command
 * (recommendCommands) and `Unknown argument(s): a, b` under strict() for
 * both unknown flags (each listed as typed and camelCased) and extra
 * positional words; which of the two a name was is read back from argv.
 */
import { editDistance, nearestWord } from '../core/suggest.js';

/** What the CLI knows, for suggestions: its command words and every flag its commands declare (without dashes). */
export interface UsageVocabulary {
  commands: readonly string[];
  flags: readonly string[];
  /** Each command word's own flags (without dashes, global ones excluded), for suggestions that fit the command typed. */
  flagsByCommand?: Readonly<Record<string, readonly string[]>>;
  /** Flags every command takes (`help`, `version`, `color`). */
  globalFlags?: readonly string[];
}


/** How `name` was typed as a flag (`--name`, `--no-name`, `-n`), or undefined when it was not: `--name`, `--name=…`, `--no-name`, or a letter in a `-abc` group. */
function typedAsFlag(name: string, argv: readonly string[]): string | undefined {
  for (const a of argv) {
    if (a === `--${name}` || a.startsWith(`--${name}=`)) return `--${name}`;
    if (a === `--no-${name}` || a.startsWith(`--no-${name}=`)) return `--no-${name}`;
    if (name.length === 1 && /^-[^-]/.test(a) && a.slice(1).split('=')[0]!.includes(name)) return `-${name}`;
  }
  return undefined;
}

/**
 * The message a usage error shows for yargs' `msg`, given the arguments as
 * typed (`argv`, without node and the script). Messages it does not know
 * pass through unchanged.
 */
export function usageMessage(msg: string, argv: readonly string[], vocabulary: UsageVocabulary): string {
  const end = argv.indexOf('--');
  const args = end === -1 ? argv : argv.slice(0, end);
  const words = args.filter((a) => !a.startsWith('-'));
  const firstWord = words[0];
  const meantCommand = /^Did you mean (\S+?)\??$/.exec(msg)?.[1];
  if (meantCommand) {
    // The typed word nearest the suggestion: a subcommand's typo (`profile setp`) is not the first word.
    const typed = [...words].sort((x, y) => editDistance(x, meantCommand) - editDistance(y, meantCommand))[0];
    return `unknown command${typed ? ` \`${typed}\`` : ''}. ${msg}`;
  }
  const short = /^Not enough non-option arguments: got (\d+), need at least (\d+)$/.exec(msg);
  if (short && words.length) {
    const command = words.slice(0, words.length - Number(short[1])).join(' ');
    return `\`${command}\` is missing ${Number(short[2]) - Number(short[1]) === 1 ? 'an argument' : 'arguments'} (see \`hermes-codex ${command} --help\`)`;
  }
  const valueless = /^Not enough arguments following: (\S+)$/.exec(msg)?.[1];
  if (valueless) return `${typedAsFlag(valueless, args) ?? `--${valueless}`} needs a value`;
  if (msg.startsWith('Invalid values:')) {
    // yargs: `Invalid values:\n  Argument: approve, Given: "x", Choices: "ask", "never"` (one line per flag).
    const lines = [...msg.matchAll(/Argument: ([^,]+), Given: ("(?:[^"\\]|\\.)*"|[^,]+), Choices: (.+)/g)].map(([, name, given, choices]) => {
      const allowed = [...choices!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((c) => c[1]!);
      const value = given!.startsWith('"') ? (JSON.parse(given!) as string) : given!;
      const meant = nearestWord(value, allowed);
      return `${typedAsFlag(name!, args) ?? `--${name}`} ${given} is not one of ${allowed.join(', ')}${meant ? ` (did you mean ${meant}?)` : ''}`;
    });
    if (lines.length) return lines.join('; ');
  }
  const unknown = /^Unknown arguments?: (.+)$/.exec(msg);
  if (!unknown) return msg;
  const names = unknown[1]!.split(', ');
  const parts: string[] = [];
  // yargs lists each unknown flag twice (as typed and camelCased): only the names that were typed count.
  const flags = names.filter((n) => typedAsFlag(n, args) !== undefined);
  if (flags.length) {
    // Suggestions from the typed command's own flags when it is known: another command's flag is named as such.
    const own = firstWord !== undefined ? vocabulary.flagsByCommand?.[firstWord] : undefined;
    const candidates = own ? [...own, ...(vocabulary.globalFlags ?? [])] : vocabulary.flags;
    const hints = flags.map((f) => {
      const shown = typedAsFlag(f, args)!;
      // (A flag of the same command word belongs to another of its subcommands: `profile list --hermes-python`.)
      const owners = own && !own.includes(f) ? Object.entries(vocabulary.flagsByCommand!).filter(([, fl]) => fl.includes(f)).map(([c]) => c) : [];
      if (owners.length) return `${shown} (not an option of ${firstWord}; ${owners.join(' and ')} ${owners.length > 1 ? 'take' : 'takes'} it)`;
      const meant = f.length > 1 ? nearestWord(f, candidates.filter((c) => c !== f)) : undefined;
      return meant ? `${shown} (did you mean --${shown.startsWith('--no-') ? 'no-' : ''}${meant}?)` : shown;
    });
    parts.push(`unknown option${hints.length > 1 ? 's' : ''}: ${hints.join(', ')}`);
  }
  for (const word of names.filter((n) => typedAsFlag(n, args) === undefined && args.includes(n))) {
    if (word === firstWord) {
      const meant = nearestWord(word, vocabulary.commands);
      parts.push(`unknown command \`${word}\`${meant ? ` (did you mean ${meant}?)` : ` (commands: ${vocabulary.commands.join(', ')})`}`);
    } else {
      parts.push(`unexpected argument \`${word}\` (this command takes no more words; quote a value that has spaces)`);
    }
  }
  return parts.length ? parts.join('; ') : msg;
}

/**
 * A boolean flag given a value other than `true` or `false`
 * (`--dry-run=yes`): yargs-parser reads any such value as false, so
 * `migrate --dry-run=yes` would write. Returns the usage error's message and
 * remediation for the first one in `argv` (before `--`), or null.
 * `booleans` are flag names without dashes, one-letter aliases included.
 */
export function booleanValueProblem(argv: readonly string[], booleans: ReadonlySet<string>): { message: string; remediation: string } | null {
  for (const a of argv) {
    if (a === '--') break;
    const m = /^(--?)([^=]+)=(.*)$/s.exec(a);
    if (!m) continue;
    const [, dashes, typed, value] = m as unknown as [string, string, string, string];
    const name = typed.startsWith('no-') && !booleans.has(typed) ? typed.slice(3) : typed;
    if (!booleans.has(name) || value === 'true' || value === 'false') continue;
    const flag = `${dashes}${typed}`;
    return {
      message: `${flag} is a switch and takes no value: ${JSON.stringify(value)} is not understood (only =true and =false are)`,
      remediation: name === typed && dashes === '--' ? `Give \`${flag}\` alone, or \`--no-${name}\` to turn it off.` : `Give \`${flag}\` alone.`,
    };
  }
  return null;
}

/**
 * A flag that takes a value given an empty one (`--codex-home=`, or
 * `--codex-home "$UNSET"`): the commands would fall back to the default
 * (`~/.codex`), which is not what a script that passed a variable meant.
 * Returns the usage error for the first one in `argv` (before `--`), or null.
 * `valued` are the names, without dashes, of the flags that take a value.
 */
export function emptyValueProblem(argv: readonly string[], valued: ReadonlySet<string>): { message: string; remediation: string } | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    const m = /^--([^=]+)(=?)(.*)$/s.exec(a);
    if (!m || !valued.has(m[1]!)) continue;
    const empty = m[2] === '=' ? m[3] === '' : argv[i + 1] === '';
    if (empty) {
      return {
        message: `--${m[1]} was given an empty value`,
        remediation: `Give --${m[1]} a value, or leave the flag out to use its default (a variable that is not set expands to nothing: check it).`,
      };
    }
  }
  return null;
}

/**
 * A flag that takes one value given more than once (`--codex-home A
 * --codex-home B`): yargs collects the values into an array, which the
 * commands do not read as the flag's value, so they fell back to the
 * default (`~/.codex`). Also `--permissions X` with `--no-permissions`
 * (yargs reads the negation as the value false). `parsed` is yargs' result;
 * `single` the names, without dashes, of the flags that take one value.
 * Returns the usage error for the first such flag, or null.
 */
export function repeatedValueProblem(parsed: Readonly<Record<string, unknown>>, single: ReadonlySet<string>): { message: string; remediation: string } | null {
  for (const name of single) {
    const v = parsed[name];
    if (!Array.isArray(v)) continue;
    if (v.includes(false)) {
      return { message: `--${name} and --no-${name} cannot be combined`, remediation: `Give one of them: --${name} VALUE, or --no-${name}.` };
    }
    return {
      message: `--${name} was given ${v.length} times (${v.map((x) => JSON.stringify(String(x))).join(', ')}); it takes one value`,
      remediation: `Give --${name} once.`,
    };
  }
  return null;
}

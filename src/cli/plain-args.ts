/**
 * A command line read without building yargs' parser, when nothing on it
 * needs yargs' judgement. Creating the yargs instance, registering the
 * commands and parsing and validating a `migrate` line cost about 15 ms of a
 * 130 ms run on the project's machine (docs/performance.md, eighth session),
 * about what the Python peer's whole `migrate` takes beyond its start.
 *
 * The reading accepts only the plainest lines: the command word, then long
 * flags the command declares, each at most once, a switch bare, `--no-NAME`
 * (NAME false, as yargs' boolean negation gives it), a valued flag as
 * `--name VALUE` or `--name=VALUE` with a non-empty value that does not
 * start with a dash, a number flag with a plain decimal number. Anything else (help, version, completion, a short
 * flag, a positional word, `--`, an undeclared or repeated flag, a missing
 * or odd value) gives null, and yargs parses the line as it always has,
 * reporting any error in its words. What the reading returns is what yargs
 * hands the handler for the same line: every declared option with its
 * default, given values coerced as the declaration says, the camelCase
 * aliases yargs adds, `_` and `$0` (test/unit/plain-args.test.ts compares
 * the two on generated lines).
 */

/** One option as a command declares it for yargs (the parts this reading uses). */
export interface PlainOptionDeclaration {
  type?: string;
  default?: unknown;
  coerce?: (value: string) => unknown;
  array?: boolean;
  alias?: string | readonly string[];
  nargs?: number;
}

const DECIMAL = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

/** `dry-run` → `dryRun`, as yargs-parser's camel-case expansion names it. */
function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * The handler's arguments for `args` (command word first), or null when the
 * line needs yargs (see the module comment).
 * @param options the command's option declarations (yargs' `options()` object)
 * @param switches global switches the line may carry and that the handler ignores (`color`)
 * @param scriptName yargs' `$0`
 */
export function plainCommandArgs(
  args: readonly string[],
  word: string,
  options: Readonly<Record<string, PlainOptionDeclaration>>,
  switches: readonly string[],
  scriptName: string,
): Record<string, unknown> | null {
  if (args[0] !== word) return null;
  const given = new Map<string, unknown>();
  for (let i = 1; i < args.length; i++) {
    const token = args[i]!;
    if (!token.startsWith('--') || token === '--') return null;
    const eq = token.indexOf('=');
    const name = eq === -1 ? token.slice(2) : token.slice(2, eq);
    const inline = eq === -1 ? undefined : token.slice(eq + 1);
    const negates = name.startsWith('no-') ? name.slice(3) : undefined;
    const decl = options[name];
    let key = name;
    let value: unknown;
    if (switches.includes(name) || (negates !== undefined && switches.includes(negates))) {
      if (inline !== undefined) return null;
      value = switches.includes(name);
      key = value ? name : negates!;
    } else if (negates !== undefined && options[negates] !== undefined) {
      // boolean-negation, which yargs applies first: `--no-NAME` sets NAME to false, a valued NAME too
      // (`--no-permissions` gives permissions: false, not the switch declared as no-permissions).
      const type = options[negates]!.type;
      if ((type !== 'boolean' && type !== 'string') || inline !== undefined) return null;
      key = negates;
      value = false;
    } else if (decl === undefined) {
      return null;
    } else if (decl.array || decl.alias !== undefined || decl.nargs !== undefined) {
      return null;
    } else if (decl.type === 'boolean') {
      if (inline !== undefined) return null;
      value = true;
    } else if (decl.type === 'string' || decl.type === 'number') {
      const raw = inline ?? args[++i];
      if (raw === undefined || raw === '' || raw.startsWith('-')) return null;
      if (decl.type === 'number') {
        if (!DECIMAL.test(raw)) return null;
        value = Number(raw);
      } else value = decl.coerce ? decl.coerce(raw) : raw;
    } else return null;
    if (given.has(key)) return null;
    given.set(key, value);
  }
  const out: Record<string, unknown> = { _: [word] };
  for (const [name, decl] of Object.entries(options)) {
    const value = given.has(name) ? given.get(name) : decl.default;
    if (value === undefined) continue;
    out[name] = value;
    out[camel(name)] = value;
  }
  for (const name of switches) if (given.has(name)) out[name] = given.get(name);
  out['$0'] = scriptName;
  return out;
}

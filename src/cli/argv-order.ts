/**
 * Flags typed before the command word, moved after it. yargs reads argv
 * against the options of the command being run, so before the command word
 * only its top-level options are known, and a switch it does not know there
 * takes the next word as its value: `hermes-codex --json doctor` read as
 * `--json=doctor` with no command, `--json profile setup` as an unknown
 * command `setup`. Pure; tested in test/unit/argv-order.test.ts.
 */

/**
 * `argv` with the flags before the first word moved after the last word
 * (before a `--`, if any): `['--json', 'profile', 'list']` →
 * `['profile', 'list', '--json']`. Unchanged when nothing precedes the first
 * word or when there is no word. A leading flag the CLI does not declare
 * moves as one word (yargs then reports it as unknown after the command,
 * rather than reading the command word as its value).
 * @param valued flag names without dashes that take a value (`--name VALUE` or `--name=VALUE`)
 */
export function commandFirst(argv: readonly string[], valued: ReadonlySet<string>): readonly string[] {
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '--') {
    const m = /^(--?)([^=]*)(=.*)?$/s.exec(argv[i]!)!;
    const [, dashes, name, value] = m as unknown as [string, string, string, string | undefined];
    // A flag the CLI does not declare moves as one word too: after the command, strict parsing names it.
    i += valued.has(name) && dashes === '--' && value === undefined ? 2 : 1;
  }
  if (i === 0 || i >= argv.length || argv[i] === '--') return argv;
  const rest = argv.slice(i);
  const end = rest.indexOf('--');
  const leading = argv.slice(0, i);
  return end === -1 ? [...rest, ...leading] : [...rest.slice(0, end), ...leading, ...rest.slice(end)];
}

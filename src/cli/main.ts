/**
 * The CLI: parse, call, render. The one place where errors become exit codes.
 */
import { createRequire } from 'node:module';
import type yargsFactory from 'yargs/yargs';
import type { Argv, CommandModule } from 'yargs';
import { ExitCode, HermesCodexError, UsageError } from '../core/errors.js';
import { toolVersion } from '../core/version.js';
import { processOutput, toJson, type Output } from './output.js';
import { errorJson, renderError } from './render/error.js';
import { migrateCommand, migrateOptions } from './commands/migrate.js';
import { startTurnEarly, turnCommand, turnOptions } from './commands/turn.js';
import type { EarlyStart } from '../runtime/early-start.js';
import { pluginsCommand, pluginsOptions } from './commands/plugins.js';
import { doctorCommand, doctorOptions } from './commands/doctor.js';
import { runtimeCommand, runtimeOptions } from './commands/runtime.js';
import { profileCommand, profileSetupOptions } from './commands/profile.js';
import { booleanValueProblem, emptyValueProblem, repeatedValueProblem, usageMessage, type UsageVocabulary } from './usage-message.js';
import { commandFirst } from './argv-order.js';
import { plainCommandArgs } from './plain-args.js';

/**
 * yargs' CommonJS build: its help wraps lines with wrap-ansi at word boundaries; the ESM
 * build's own wrapper splits words ("permission s"). It loads as fast. `yargs/yargs` is the
 * factory without the singleton `require('yargs')` builds from process.argv as it loads.
 * Loaded when parsing starts (about 4 ms), so `turn` starts codex first.
 */
function loadYargs(): typeof yargsFactory {
  return createRequire(import.meta.url)('yargs/yargs') as typeof yargsFactory;
}

/** The environment as color decisions see it, with `--color` / `--no-color` applied (codex and npm-check-updates take both). */
function colorEnv(argv: readonly string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const flag = [...argv].reverse().find((a) => a === '--color' || a === '--no-color');
  if (flag === '--no-color') return { ...env, NO_COLOR: '1' };
  if (flag === '--color') return { ...env, NO_COLOR: '', FORCE_COLOR: '1' };
  return env;
}

type FlagDeclaration = { type?: string; alias?: string; array?: boolean };
/** Each command word with its option declarations (`profile`: its `setup`'s, the superset of `list`'s). */
const COMMAND_OPTIONS = ([['migrate', migrateOptions], ['turn', turnOptions], ['plugins', pluginsOptions], ['doctor', doctorOptions], ['runtime', runtimeOptions], ['profile', profileSetupOptions]] as const).map(
  ([c, o]) => [c, Object.entries(o as Record<string, FlagDeclaration>)] as const,
);
/** Each command word's own flags (for "did you mean" and "not an option of"). */
const FLAGS_BY_COMMAND: Readonly<Record<string, readonly string[]>> = Object.fromEntries(COMMAND_OPTIONS.map(([c, entries]) => [c, entries.map(([k]) => k)]));
/** The flags every command takes. */
const GLOBAL_OPTIONS: [string, FlagDeclaration][] = [
  ['help', { type: 'boolean', alias: 'h' }],
  ['version', { type: 'boolean', alias: 'V' }],
  ['color', { type: 'boolean' }],
];
const GLOBAL_FLAGS = GLOBAL_OPTIONS.map(([k]) => k);

/** Every flag the commands declare, from their option declarations, plus the global ones. */
const FLAGS: [string, FlagDeclaration][] = [...COMMAND_OPTIONS.flatMap(([, entries]) => entries), ...GLOBAL_OPTIONS];
/** Their names (for "did you mean"), the switches with their one-letter aliases (booleanValueProblem), those that take a value (emptyValueProblem). */
const FLAG_NAMES = [...new Set(FLAGS.map(([k]) => k))];
const SWITCHES: ReadonlySet<string> = new Set(FLAGS.filter(([, d]) => d.type === 'boolean').flatMap(([k, d]) => (d.alias ? [k, d.alias] : [k])));
const VALUED: ReadonlySet<string> = new Set(FLAGS.filter(([, d]) => d.type === 'string' || d.type === 'number').map(([k]) => k));
/** Those that take one value (not an array of them). */
const SINGLE: ReadonlySet<string> = new Set(FLAGS.filter(([k, d]) => VALUED.has(k) && !d.array).map(([k]) => k));

/** Whether the caller asked for machine output (`--json` or `--format json`). */
function wantsJsonOutput(argv: readonly string[]): boolean {
  return argv.some((a, i) => a === '--json' || a === '--format=json' || (a === '--format' && argv[i + 1] === 'json'));
}

/**
 * After a command's handler starts, yargs 17 renders that command's whole help
 * and keeps it (`cacheHelpMessage`, lib/command.js) for a failure to print;
 * our `.fail()` throws and never prints help, so the rendering (about 5 ms of
 * every command, measured with --cpu-prof) is skipped. Reaches into yargs'
 * internal methods; where they differ (another yargs), nothing changes.
 * Returns the same instance.
 */
export function skipHelpCaching<T>(parser: T): T {
  const usage = (parser as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } } }).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
  return parser;
}

/** Run the CLI with these arguments; resolves to the exit code. */
export async function main(argv: readonly string[], given?: Output): Promise<number> {
  const output = given ?? (await processOutput(colorEnv(argv, process.env)));
  const wantsJson = wantsJsonOutput(argv);
  let exitCode: number = ExitCode.ok;
  let early: EarlyStart | undefined;
  const setExit = (code: number) => {
    exitCode = code;
  };
  try {
    // The completion script's call (`--get-yargs-completions hermes-codex WORD…`, the words typed so far, the
    // last one possibly empty): yargs answers it from the words as typed; nothing below may reorder or refuse them.
    const completing = argv[0] === '--get-yargs-completions';
    const flagProblem = completing ? undefined : (booleanValueProblem(argv, SWITCHES) ?? emptyValueProblem(argv, VALUED));
    if (flagProblem) throw new UsageError(flagProblem.message, { remediation: flagProblem.remediation });
    const args = completing ? argv : commandFirst(argv, VALUED);
    // codex starts while yargs parses (most of a short turn is codex starting); the turn takes it if its launch is the same.
    if (args[0] === 'turn') early = await startTurnEarly(args).catch(() => undefined);
    const migrate = migrateCommand(output, setExit);
    const commands = [
      migrate,
      turnCommand(output, setExit, argv, early),
      ...[pluginsCommand, doctorCommand, runtimeCommand, profileCommand].map((c) => c(output, setExit)),
    ];
    // The command words for "did you mean": each module's first word (`turn [prompt]` → turn), and completion.
    const vocabulary: UsageVocabulary = { commands: [...commands.map((c) => String(c.command).split(' ')[0]!), 'completion'], flags: FLAG_NAMES, flagsByCommand: FLAGS_BY_COMMAND, globalFlags: GLOBAL_FLAGS };
    // Words after `--` are a prompt to `turn`; any other command would ignore them silently.
    const end = args.indexOf('--');
    if (!completing && end !== -1 && end + 1 < args.length && args[0] !== 'turn') {
      throw new UsageError(`unexpected argument \`${args[end + 1]}\` after --`, { remediation: 'Only `turn` takes a word after `--` (a prompt that starts with a dash); leave it out.' });
    }
    // A plain `migrate` line goes straight to its handler with what yargs would have given it (plain-args.ts).
    const plain = args[0] === 'migrate' ? plainCommandArgs(args, 'migrate', migrateOptions, ['color'], SCRIPT_NAME) : null;
    if (plain) await migrate.handler(plain as never);
    else await cliParser(args, commands, vocabulary).parseAsync();
    return exitCode;
  } catch (err) {
    if (err instanceof HermesCodexError) {
      if (wantsJson) output.out(toJson(errorJson(err)));
      output.err(renderError(err, output.errColor));
      return err.exitCode;
    }
    output.err(`${output.errColor.red.bold('internal error:')} ${(err as Error)?.stack ?? String(err)}\nPlease report this.\n`);
    return ExitCode.internal;
  } finally {
    // A codex started early that no turn took (a usage error, another launch): closed before the exit code.
    await early?.discard();
  }
}

const SCRIPT_NAME = 'hermes-codex';

/**
 * The yargs parser for `args` (command word first) with these commands; its
 * `parseAsync()` runs the handler of the command the line names and rejects
 * with a UsageError for a line it refuses. Exported so tests can compare a
 * handler's arguments with plain-args.ts's.
 */
export function cliParser(args: readonly string[], commands: readonly CommandModule[], vocabulary: UsageVocabulary): Argv {
  // No arguments at all: the help, as `gh` and `cargo` do (a flag without a command is still a usage error).
  const parser = skipHelpCaching(loadYargs()(args.length === 0 ? ['--help'] : [...args])).scriptName(SCRIPT_NAME).usage('$0 <command> [options]\n\nSet up and verify the Hermes agent\'s Codex app-server runtime.');
  for (const c of commands) parser.command(c);
  return parser
    .command(
      'completion',
      'Print a shell completion script (bash or zsh): hermes-codex completion >> ~/.bashrc',
      () => undefined,
      () => undefined,
    )
    .completion('completion', false)
    .option('color', { type: 'boolean', description: 'Color for people (default: on a terminal; NO_COLOR and FORCE_COLOR are honoured; --no-color turns it off)' })
    .example('$0 migrate --dry-run', 'show what would change in ~/.codex/config.toml, write nothing')
    .example('$0 migrate --profile work', "migrate a Hermes profile's MCP servers")
    .example('$0 doctor --live', 'check the setup, starting codex')
    .example('$0 turn --smoke', 'run one real turn that must answer PONG')
    .demandCommand(1, `name a command: ${vocabulary.commands.join(', ')}`)
    .recommendCommands()
    .strict()
    .version(toolVersion())
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    .wrap(Math.min(100, process.stdout.columns || 80))
    .exitProcess(false)
    // Before any handler: a flag given twice would otherwise read as not given (its default).
    .check((parsed) => {
      const repeated = repeatedValueProblem(parsed, SINGLE);
      if (repeated) throw new UsageError(repeated.message, { remediation: repeated.remediation });
      return true;
    })
    .fail((msg, err) => {
      // yargs' own errors (a flag without its value, an unknown flag or command, a bad choice) are usage errors.
      if (err && !(err instanceof Error && err.name === 'YError')) throw err;
      throw new UsageError(usageMessage(msg || (err as Error).message, args, vocabulary), { remediation: 'Run `hermes-codex --help` (or `hermes-codex COMMAND --help`) for usage.' });
    });
}

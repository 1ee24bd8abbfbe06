/**
 * `hermes-codex runtime [status|on|off]`: Hermes' codex runtime switch, as
 * subcommands (the synonyms Hermes accepts are aliases).
 */
import type { CommandModule } from 'yargs';
import { ExitCode } from '../../core/errors.js';
import { locationOptions, outputOptions, workspaceFrom, type ArgsOf } from '../options.js';
import { toJson, type Output } from '../output.js';
import { OFF_WORDS, ON_WORDS, parseRuntimeWord, type RuntimeValue } from '../../hermes/runtime-words.js';

export const runtimeOptions = {
  ...locationOptions,
  ...outputOptions,
  'hermes-python': { type: 'string', description: 'Python for hermes-tools (passed to the migration `on` runs)', requiresArg: true },
  plugins: { type: 'boolean', default: true, description: 'Let the migration `on` runs discover plugins (--no-plugins to skip)' },
  force: { type: 'boolean', default: false, description: "on: switch even when Hermes' next codex turn would fail (no login, a hermes-tools Python that cannot import its module, a failed migration); the problems are reported as notes" },
} as const;

/** What a `runtime` invocation asks for: the status, or a switch to a runtime value. */
type RuntimeAction = 'status' | RuntimeValue;

/** The yargs command; `setExit` receives the exit code. */
export function runtimeCommand(output: Output, setExit: (code: number) => void): CommandModule {
  const run = async (action: RuntimeAction, args: unknown) => {
    const a = args as ArgsOf<typeof runtimeOptions>;
    const [{ switchRuntime, runtimeStatus }, render] = await Promise.all([import('../../hermes/runtime-switch.js'), import('../render/runtime.js')]);
    const opts = {
      workspace: await workspaceFrom(a),
      migrate: { ...(typeof a['hermes-python'] === 'string' ? { hermesPython: a['hermes-python'] } : {}), plugins: a['plugins'] !== false },
      force: a['force'] === true,
    };
    if (action === 'status') {
      const s = await runtimeStatus(opts);
      output.out(a['json'] === true ? toJson(s) : render.renderRuntimeStatus(s, output.color));
      setExit(ExitCode.ok);
      return;
    }
    const report = await switchRuntime(action, opts);
    output.out(a['json'] === true ? toJson(report) : render.renderSwitch(report, output.color));
    setExit(report.migration && !report.migration.ok ? ExitCode.partial : ExitCode.ok);
  };
  const [on, ...onAliases] = ON_WORDS;
  const [off, ...offAliases] = OFF_WORDS;
  const subcommands: { word: string; aliases: string[]; action: RuntimeAction; describe: string }[] = [
    { word: 'status', aliases: [], action: 'status', describe: 'Which runtime Hermes uses, and the state of the managed block it needs (the default)' },
    { word: on!, aliases: onAliases, action: 'codex_app_server', describe: 'Switch Hermes to the codex app-server runtime (checks the setup, migrates)' },
    { word: off!, aliases: offAliases, action: 'auto', describe: "Switch Hermes back to its own runtime (auto); the managed block stays" },
  ];
  return {
    command: 'runtime',
    describe: "Show or switch Hermes' codex runtime (model.openai_runtime): status (default), on, off",
    builder: (y) => {
      for (const c of subcommands) {
        y.command({ command: c.word, aliases: c.aliases, describe: c.describe, builder: (yy) => yy.options(runtimeOptions), handler: (a) => run(c.action, a) });
      }
      // `runtime` alone is `runtime status`; any other word (in any case: `ON`) is read as Hermes'
      // switch reads it, or refused with the accepted words.
      return y.command({
        command: '$0 [word]',
        describe: false,
        builder: (yy) => yy.positional('word', { type: 'string', describe: 'status (default), on or off, or a synonym Hermes accepts' }).options(runtimeOptions),
        handler: (a) => {
          const word = typeof a['word'] === 'string' ? a['word'] : 'status';
          return run(word.trim().toLowerCase() === 'status' ? 'status' : parseRuntimeWord(word), a);
        },
      });
    },
    handler: () => undefined,
  };
}

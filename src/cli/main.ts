/**
 * The CLI: parse, call, render. The one place where errors become exit codes.
 */
import yargs from 'yargs';
import { ExitCode, HermesCodexError, UsageError } from '../errors.js';
import { toolVersion } from '../version.js';
import { processOutput, toJson, type Output } from './output.js';
import { errorJson, renderError } from './render/error.js';
import { migrateCommand } from './commands/migrate.js';
import { turnCommand } from './commands/turn.js';
import { pluginsCommand } from './commands/plugins.js';
import { doctorCommand } from './commands/doctor.js';
import { runtimeCommand } from './commands/runtime.js';
import { profileCommand } from './commands/profile.js';

/** Run the CLI with these arguments; resolves to the exit code. */
export async function main(argv: readonly string[], output: Output = processOutput()): Promise<number> {
  const wantsJson = argv.includes('--json');
  let exitCode: number = ExitCode.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  try {
    await yargs([...argv])
      .scriptName('hermes-codex')
      .usage('$0 <command> [options]\n\nSet up and verify the Hermes agent\'s Codex app-server runtime.')
      .command(migrateCommand(output, setExit))
      .command(turnCommand(output, setExit))
      .command(pluginsCommand(output, setExit))
      .command(doctorCommand(output, setExit))
      .command(runtimeCommand(output, setExit))
      .command(profileCommand(output, setExit))
      .demandCommand(1, 'Name a command (see --help).')
      .strict()
      .version(toolVersion())
      .alias('version', 'V')
      .help()
      .alias('help', 'h')
      .wrap(Math.min(100, process.stdout.columns ?? 100))
      .exitProcess(false)
      .fail((msg, err) => {
        if (err) throw err;
        throw new UsageError(msg, { remediation: 'Run `hermes-codex --help` for usage.' });
      })
      .parseAsync();
    return exitCode;
  } catch (err) {
    if (err instanceof HermesCodexError) {
      if (wantsJson) output.out(toJson(errorJson(err)));
      output.err(renderError(err, output.errColor));
      return err.exitCode;
    }
    output.err(`${output.errColor.red.bold('internal error:')} ${(err as Error)?.stack ?? String(err)}\nPlease report this.\n`);
    return 70;
  }
}

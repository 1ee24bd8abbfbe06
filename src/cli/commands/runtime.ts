/**
 * `hermes-codex runtime [status|on|off]`: Hermes' codex runtime switch.
 */
import type { CommandModule } from 'yargs';
import { ExitCode } from '../../errors.js';
import { locationArgs, locationOptions, outputOptions, type ArgsOf } from '../options.js';
import { toJson, type Output } from '../output.js';

export const runtimeOptions = {
  ...locationOptions,
  ...outputOptions,
  'hermes-python': { type: 'string', description: 'Python for hermes-tools (passed to the migration `on` runs)', requiresArg: true },
  plugins: { type: 'boolean', default: true, description: 'Let the migration `on` runs discover plugins (--no-plugins to skip)' },
} as const;

export function runtimeCommand(output: Output, setExit: (code: number) => void): CommandModule {
  return {
    command: 'runtime [action]',
    describe: "Show or switch Hermes' codex runtime (model.openai_runtime): status (default), on, off",
    builder: (y) => y.positional('action', { type: 'string', default: 'status', describe: 'status | on (codex, enable, codex_app_server) | off (auto, default, disable, hermes)' }).options(runtimeOptions),
    handler: async (args) => {
      const a = args as unknown as ArgsOf<typeof runtimeOptions> & { action?: string };
      const [{ parseRuntimeWord, switchRuntime, runtimeStatus }, render] = await Promise.all([import('../../hermes/runtime-switch.js'), import('../render/runtime.js')]);
      const action = String(a['action'] ?? 'status');
      const opts = {
        ...locationArgs(a),
        migrate: { ...(typeof a['hermes-python'] === 'string' ? { hermesPython: a['hermes-python'] } : {}), plugins: a['plugins'] !== false },
      };
      if (action.toLowerCase() === 'status') {
        const s = await runtimeStatus(opts);
        output.out(a['json'] === true ? toJson(s) : render.renderRuntimeStatus(s, output.color));
        setExit(ExitCode.ok);
        return;
      }
      const report = await switchRuntime(parseRuntimeWord(action), opts);
      output.out(a['json'] === true ? toJson(report) : render.renderSwitch(report, output.color));
      setExit(report.migration && !report.migration.ok ? ExitCode.partial : ExitCode.ok);
    },
  };
}

/**
 * `hermes-codex plugins`: every plugin codex reports, with the migrate/skip
 * decision `migrate` would take and why.
 */
import type { CommandModule } from 'yargs';
import { ExitCode } from '../../core/errors.js';
import { locationOptions, outputOptions, secondsFlag, withGroups, workspaceFrom, type ArgsOf } from '../options.js';
import { toJson, type Output, canAnimate } from '../output.js';

export const pluginsOptions = {
  'codex-home': locationOptions['codex-home'],
  profile: { ...locationOptions.profile, description: "Hermes profile whose own CODEX_HOME (<hermes root>/profiles/NAME/codex) to query" },
  'hermes-root': locationOptions['hermes-root'],
  'codex-bin': locationOptions['codex-bin'],
  ...outputOptions,
  'plugin-timeout': { type: 'number', default: 8, description: 'Seconds to wait for codex' },
} as const;

/** The yargs command; `setExit` receives the exit code. */
export function pluginsCommand(output: Output, setExit: (code: number) => void): CommandModule {
  return {
    command: 'plugins',
    describe: 'List the Codex plugins codex reports, and which ones migrate would enable (and why)',
    builder: (y) => withGroups(y.options(pluginsOptions), pluginsOptions),
    handler: async (args) => {
      const a = args as unknown as ArgsOf<typeof pluginsOptions>;
      const timeout = secondsFlag(a, 'plugin-timeout', { max: 600 });
      const [{ listPlugins }, { Spinner }, { renderPlugins }] = await Promise.all([import('../../plugins/list.js'), import('../render/spinner.js'), import('../render/plugins.js')]);
      const spinner = new Spinner(output, canAnimate() && a['json'] !== true);
      const { codexHome, listing } = await listPlugins({
        workspace: await workspaceFrom(a),
        timeoutMs: timeout * 1000,
        onQuery: () => spinner.start('querying codex for plugins'),
      }).finally(() => spinner.stop());
      if (a['json'] === true) output.out(toJson({ schemaVersion: 1, codexHome, codexVersion: listing.codexVersion, plugins: listing.plugins, warnings: listing.warnings }));
      else output.out(renderPlugins(listing, codexHome, output.color));
      setExit(ExitCode.ok);
    },
  };
}

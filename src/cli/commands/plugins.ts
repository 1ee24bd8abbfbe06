/**
 * `hermes-codex plugins`: every plugin codex reports, with the migrate/skip
 * decision `migrate` would take and why.
 */
import type { CommandModule } from 'yargs';
import { ExitCode, LocationError } from '../../errors.js';
import { locationArgs, locationOptions, outputOptions, secondsFlag, withGroups, type ArgsOf } from '../options.js';
import { toJson, type Output, canAnimate } from '../output.js';

export const pluginsOptions = {
  'codex-home': locationOptions['codex-home'],
  profile: { ...locationOptions.profile, description: "Hermes profile whose own CODEX_HOME (<hermes root>/profiles/NAME/codex) to query" },
  'hermes-root': locationOptions['hermes-root'],
  'codex-bin': locationOptions['codex-bin'],
  ...outputOptions,
  'plugin-timeout': { type: 'number', default: 8, description: 'Seconds to wait for codex' },
} as const;

export function pluginsCommand(output: Output, setExit: (code: number) => void): CommandModule {
  return {
    command: 'plugins',
    describe: 'List the Codex plugins codex reports, and which ones migrate would enable (and why)',
    builder: (y) => withGroups(y.options(pluginsOptions), pluginsOptions),
    handler: async (args) => {
      const a = args as unknown as ArgsOf<typeof pluginsOptions>;
      const timeout = secondsFlag(a, 'plugin-timeout', { max: 600 });
      const [{ discoverPlugins }, { resolveCodexHomeFor }, { resolveCodexBinary, codexNotFound }, { nodeFileSystem }, { resolveEffects }, { Spinner }, { renderPlugins }] = await Promise.all([
        import('../../plugins/discover.js'),
        import('../../paths.js'),
        import('../../codex/binary.js'),
        import('../../fs/filesystem.js'),
        import('../../effects.js'),
        import('../render/spinner.js'),
        import('../render/plugins.js'),
      ]);
      const { e } = resolveEffects();
      const home = await resolveCodexHomeFor(nodeFileSystem, e, locationArgs(a), { requireOwn: true });
      if (!home.exists) throw new LocationError(`CODEX_HOME ${home.path} does not exist, so no plugins are installed`, { remediation: 'Install a plugin with `codex plugin add NAME@MARKETPLACE` first.' });
      const bin = await resolveCodexBinary({ ...(typeof a['codex-bin'] === 'string' ? { flag: a['codex-bin'] } : {}), pathEnv: process.env['PATH'], cwd: e.cwd });
      if (!bin) throw codexNotFound();
      const spinner = new Spinner(output, canAnimate() && a['json'] !== true);
      spinner.start('querying codex for plugins');
      const listing = await discoverPlugins({ codexBin: bin.path, codexHome: home.path, env: process.env, timeoutMs: timeout * 1000 }).finally(() => spinner.stop());
      if (a['json'] === true) output.out(toJson({ schemaVersion: 1, codexHome: home.path, codexVersion: listing.codexVersion, plugins: listing.plugins, warnings: listing.warnings }));
      else output.out(renderPlugins(listing, home.path, output.color));
      setExit(ExitCode.ok);
    },
  };
}

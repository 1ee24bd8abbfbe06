/**
 * `hermes-codex profile setup NAME` and `hermes-codex profile list`.
 */
import type { CommandModule } from 'yargs';
import { ExitCode } from '../../core/errors.js';
import { locationOptions, outputOptions, workspaceFrom, type ArgsOf } from '../options.js';
import { toJson, type Output } from '../output.js';

const common = { 'hermes-root': locationOptions['hermes-root'], 'codex-bin': locationOptions['codex-bin'], ...outputOptions } as const;

export const profileSetupOptions = {
  ...common,
  'hermes-python': { type: 'string', description: 'Python for hermes-tools', requiresArg: true },
  plugins: { type: 'boolean', default: true, description: 'Discover plugins (--no-plugins to skip)' },
} as const;

/** The yargs command; `setExit` receives the exit code. */
export function profileCommand(output: Output, setExit: (code: number) => void): CommandModule {
  const load = () => Promise.all([import('../../hermes/profiles.js'), import('../render/runtime.js')]);
  // The command's workspace: of the location flags, profile commands take --hermes-root and --codex-bin.
  const base = async (a: ArgsOf<typeof common>) => ({ workspace: await workspaceFrom(a) });
  return {
    command: 'profile',
    describe: 'Per-profile Codex state: give a Hermes profile its own CODEX_HOME, or list profiles',
    builder: (y) =>
      y
        .command({
          command: 'setup <name>',
          describe: "Create <hermes root>/profiles/NAME/codex (0700) as the profile's CODEX_HOME and migrate the profile into it",
          builder: (yy) =>
            yy.positional('name', { type: 'string', demandOption: true }).options(profileSetupOptions),
          handler: async (args) => {
            const a = args as unknown as ArgsOf<typeof profileSetupOptions> & { name: string };
            const [{ setupProfile }, render] = await load();
            const r = await setupProfile(String(a['name']), {
              ...(await base(a)),
              migrate: { ...(typeof a['hermes-python'] === 'string' ? { hermesPython: a['hermes-python'] } : {}), plugins: a['plugins'] !== false },
            });
            output.out(a['json'] === true ? toJson(r) : render.renderProfileSetup(r, output.color));
            setExit(r.migration.servers.failed.length ? ExitCode.partial : ExitCode.ok);
          },
        })
        .command({
          command: 'list',
          describe: 'Every profile with its CODEX_HOME, isolation, login and managed-block state',
          builder: (yy) => yy.options(common),
          handler: async (args) => {
            const a = args as unknown as ArgsOf<typeof common>;
            const [{ listProfileRows }, render] = await load();
            const opts = await base(a);
            const rows = await listProfileRows(opts);
            const { hermesRoot } = await import('../../core/paths.js');
            output.out(a['json'] === true ? toJson({ schemaVersion: 1, profiles: rows }) : render.renderProfileList(rows, output.color, hermesRoot(opts.workspace.e, opts.workspace.locations.hermesRoot)));
            setExit(ExitCode.ok);
          },
        })
        .demandCommand(1, 'name a profile command: setup or list'),
    handler: () => undefined,
  };
}

/**
 * `hermes-codex migrate`: thin wrapper over `migrate()`.
 */
import type { CommandModule } from 'yargs';
import { ExitCode, UsageError } from '../../core/errors.js';
import { expandHome, locationOptions, workspaceFrom, outputOptions, secondsFlag, withGroups, type ArgsOf } from '../options.js';
import { toJson, type Output, canAnimate } from '../output.js';

export const migrateOptions = {
  ...locationOptions,
  ...outputOptions,
  'dry-run': { type: 'boolean', default: false, description: 'Write nothing; print the unified diff' },
  diff: { type: 'boolean', default: false, description: 'Also print the diff on a real run' },
  'hermes-tools': { type: 'boolean', default: true, description: 'Write the hermes-tools callback entry (--no-hermes-tools to skip)' },
  'hermes-python': { type: 'string', coerce: expandHome, description: "Python for hermes-tools (default: $HERMES_PYTHON, a venv under the Hermes root, python3 on PATH)", requiresArg: true },
  permissions: { type: 'string', description: 'default_permissions profile to write', default: ':workspace', requiresArg: true },
  'no-permissions': { type: 'boolean', description: 'Do not write default_permissions' },
  validate: { type: 'boolean', default: true, description: "Check the result with Codex's own loader when codex is found (--no-validate to skip)" },
  'show-secrets': { type: 'boolean', default: false, description: 'Show env and header values in diffs (redacted by default)' },
  remove: { type: 'boolean', default: false, description: 'Take the managed block and the tables hermes-codex owns out of config.toml (with --dry-run: show the diff)' },
  restore: { type: 'boolean', default: false, description: 'Put the last backup of config.toml back (the current file becomes the backup)' },
  plugins: { type: 'boolean', default: true, description: 'Discover installed Codex plugins and enable them in the block (--no-plugins leaves plugin tables alone)' },
  'plugin-timeout': { type: 'number', default: 8, description: 'Seconds to wait for plugin discovery' },
  memo: { type: 'boolean', default: true, description: 'Answer a re-run whose inputs have not changed since the last run that changed nothing from its memo (--no-memo plans in full)' },
} as const;

/** The yargs command; `setExit` receives the exit code. */
export function migrateCommand(output: Output, setExit: (code: number) => void): CommandModule {
  return {
    command: 'migrate',
    describe: "Write Hermes' MCP servers, the hermes-tools entry and a permissions default into Codex's config.toml managed block",
    builder: (y) => withGroups(y.options(migrateOptions), migrateOptions).parserConfiguration({ 'boolean-negation': true }),
    handler: async (args) => {
      const a = args as unknown as ArgsOf<typeof migrateOptions>;
      // It only changes what a diff shows; alone it would be silently ignored.
      if (a['show-secrets'] === true && a['dry-run'] !== true && a['diff'] !== true) {
        throw new UsageError('--show-secrets shows env and header values in a diff, and this run prints none', { remediation: 'Add --dry-run (or --diff to a real run) to see the diff.' });
      }
      if (a['remove'] === true || a['restore'] === true) {
        if (a['remove'] === true && a['restore'] === true) throw new UsageError('--remove and --restore cannot be combined');
        // --restore swaps files; there is nothing it could show instead, so a dry run of it is refused, never performed.
        if (a['restore'] === true && (a['dry-run'] === true || a['diff'] === true)) {
          throw new UsageError(`--restore cannot be combined with ${a['dry-run'] === true ? '--dry-run' : '--diff'}`, { remediation: 'Compare the files yourself first: diff CODEX_HOME/config.toml CODEX_HOME/config.toml.hermes-codex.bak' });
        }
        const { removeManagedBlock, restoreBackup } = await import('../../migrate/remove.js');
        const workspace = await workspaceFrom(a);
        if (a['restore'] === true) {
          const r = await restoreBackup({ workspace });
          output.out(a['json'] === true ? toJson(r) : `Restored ${r.target} from ${r.restoredFrom}; the content it replaced is now the backup (run --restore again to undo).\n`);
        } else {
          const r = await removeManagedBlock({ workspace, dryRun: a['dry-run'] === true, includeDiff: a['diff'] === true, showSecrets: a['show-secrets'] === true });
          if (a['json'] === true) output.out(toJson(r));
          else {
            if (r.diff) output.out(r.diff + '\n');
            output.out(
              r.changed
                ? `${r.dryRun ? 'Would remove' : 'Removed'} the managed block from ${r.target}${r.removed.length ? ` (${r.removed.join(', ')})` : ''}${r.backup ? `; backup: ${r.backup}` : ''}\n` +
                    (r.restoredPluginTables.length ? `  put back plugin tables: ${r.restoredPluginTables.join(', ')}\n` : '')
                : `Nothing to remove from ${r.target}\n`,
            );
          }
        }
        setExit(ExitCode.ok);
        return;
      }
      const noPermissions = a['no-permissions'] === true || (a['permissions'] as unknown) === false /* boolean negation: --no-permissions */;
      // Loaded here, not at start-up: other commands do not pay for migrate's dependencies.
      const [{ migrate }, { renderMigrationReport }, { Spinner }] = await Promise.all([
        import('../../migrate/migrate.js'),
        import('../render/migrate.js'),
        import('../render/spinner.js'),
      ]);
      const spinner = new Spinner(output, canAnimate() && a['json'] !== true);
      const pluginTimeout = secondsFlag(a, 'plugin-timeout', { max: 600 });
      const report = await migrate({
        workspace: await workspaceFrom(a),
        ...(typeof a['hermes-python'] === 'string' ? { hermesPython: a['hermes-python'] } : {}),
        hermesTools: a['hermes-tools'] !== false,
        permissions: noPermissions ? false : String(a['permissions'] ?? ':workspace'),
        dryRun: a['dry-run'] === true,
        includeDiff: a['diff'] === true,
        validateWithCodex: a['validate'] !== false,
        showSecrets: a['show-secrets'] === true,
        plugins: a['plugins'] !== false,
        pluginTimeoutMs: pluginTimeout * 1000,
        memo: a['memo'] !== false,
        onProgress: spinner.progress,
      }).finally(() => spinner.stop());
      // Run-wide warnings that take something away (every server leaving the block) go to stderr too, JSON or not.
      const loud = report.warnings.filter((w) => w.server === null && w.key === 'mcp_servers');
      for (const w of loud) output.err(`${output.errColor.yellow('warning:')} ${w.message}\n`);
      if (a['json'] === true) output.out(toJson(report));
      else output.out(renderMigrationReport({ ...report, warnings: report.warnings.filter((w) => !loud.includes(w)) }, output.color));
      setExit(report.servers.failed.length > 0 ? ExitCode.partial : ExitCode.ok);
    },
  };
}

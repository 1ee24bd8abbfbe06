/**
 * `hermes-codex doctor`: thin wrapper over runDoctor() and the renderers.
 */
import type { CommandModule } from 'yargs';
import { ExitCode, UsageError } from '../../core/errors.js';
import { locationOptions, withGroups, workspaceFrom, type ArgsOf } from '../options.js';
import { canAnimate, toJson, type Output } from '../output.js';

export const doctorOptions = {
  ...locationOptions,
  live: { type: 'boolean', default: false, description: 'Also start codex once: MCP servers start, plugins, permissions, account' },
  turn: { type: 'boolean', default: false, description: 'Also run a smoke turn (implies --live)' },
  json: { type: 'boolean', default: false, description: 'Print the report as JSON (same as --format json)' },
  format: { type: 'string', choices: ['human', 'json', 'junit', 'github'], description: 'Output format (default human)' },
  ascii: { type: 'boolean', default: false, description: 'Plain [ok]/[warn]/[FAIL]/[skip] markers' },
  verbose: { type: 'boolean', alias: 'v', default: false, description: 'Show details and timings' },
  strict: { type: 'boolean', default: false, description: 'Exit 1 on warnings too' },
  only: { type: 'array', string: true, description: 'Run only these checks (ids or categories)' },
  skip: { type: 'array', string: true, description: 'Skip these checks (ids or categories)' },
  'list-checks': { type: 'boolean', default: false, description: 'List the checks and exit' },
  fix: { type: 'boolean', default: false, description: 'Apply safe, reversible fixes (asks first)' },
  yes: { type: 'boolean', alias: 'y', default: false, description: 'Do not ask before --fix' },
} as const;

/** The yargs command; `setExit` receives the exit code. */
export function doctorCommand(output: Output, setExit: (code: number) => void): CommandModule {
  return {
    command: 'doctor',
    describe: 'Diagnose a Hermes + Codex setup, for people and for CI preflight',
    builder: (y) => withGroups(y.options(doctorOptions), doctorOptions),
    handler: async (args) => {
      const a = args as unknown as ArgsOf<typeof doctorOptions>;
      const [{ runDoctor }, { ALL_CHECKS }, render, { plannedFixes, applyFixes, workableFixes }] = await Promise.all([
        import('../../doctor/run.js'),
        import('../../doctor/registry.js'),
        import('../render/doctor.js'),
        import('../../doctor/fix.js'),
      ]);
      if (a['list-checks'] === true) {
        for (const c of ALL_CHECKS) output.out(`${c.id.padEnd(22)} ${c.category.padEnd(10)} ${c.title}${c.turn ? ' (--turn)' : c.live ? ' (--live)' : ''}\n`);
        setExit(ExitCode.ok);
        return;
      }
      if (a['json'] === true && typeof a['format'] === 'string' && a['format'] !== 'json') {
        throw new UsageError(`--json and --format ${a['format']} ask for two formats`, { remediation: `Give one: --json (the same as --format json), or --format ${a['format']}.` });
      }
      const format = (a['json'] === true ? 'json' : (a['format'] as string | undefined)) ?? 'human';
      // Resolved once for this command: both doctor runs and the fixes (which migrate) share it.
      const opts = { workspace: await workspaceFrom(a) };
      // `--only a,b c`: ids and categories, by commas or words; given without any, a filter would run everything.
      const ids = (flag: 'only' | 'skip'): { [K in typeof flag]?: string[] } => {
        if (!Array.isArray(a[flag])) return {};
        const list = (a[flag] as unknown[]).flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean);
        if (!list.length) throw new UsageError(`--${flag} was given no check ids or categories`, { remediation: 'Example: --only codex,mcp.servers (`hermes-codex doctor --list-checks` lists them).' });
        return { [flag]: list };
      };
      const selection = { live: a['live'] === true || a['turn'] === true, turn: a['turn'] === true, ...ids('only'), ...ids('skip') };
      let report: Awaited<ReturnType<typeof runDoctor>>;
      // On a terminal (never with --json/--format or when piped), say which checks are still running.
      const { Spinner } = await import('../render/spinner.js');
      const spinner = new Spinner(output, canAnimate() && format === 'human');
      const onProgress = (running: readonly string[]) => (running.length ? spinner.start(`checking ${running.slice(0, 3).join(', ')}${running.length > 3 ? ` and ${running.length - 3} more` : ''}`) : spinner.stop());
      report = await runDoctor({ ...opts, ...selection, onProgress }).finally(() => spinner.stop());

      const show = (r: typeof report) => {
        if (format === 'json') output.out(toJson(r));
        else if (format === 'junit') output.out(render.renderDoctorJunit(r, { strict: a['strict'] === true }));
        else if (format === 'github') output.out(render.renderDoctorGithub(r));
        else output.out(render.renderDoctorHuman(r, output.color, { ascii: a['ascii'] === true, verbose: a['verbose'] === true }));
      };

      if (a['fix'] === true) {
        // The report first, so the question is asked about something the person has seen.
        if (format === 'human') show(report);
        const homePath = report.codexHome;
        const fixes = homePath ? await workableFixes(plannedFixes(report.checks, homePath), homePath, opts) : [];
        const err = output.err;
        let shown = format === 'human';
        if (!fixes.length || !homePath) err(`${format === 'human' ? '\n' : ''}nothing --fix can repair here${report.overallStatus === 'ok' ? '' : ' (see the remediations above)'}\n`);
        else {
          for (const f of fixes) err(`fix: ${f.description} (for ${f.checks.join(', ')})\n`);
          let go = a['yes'] === true;
          if (!go && process.stdin.isTTY && process.stderr.isTTY && format === 'human') {
            const { confirmPrompt } = await import('../prompt.js');
            go = await confirmPrompt(`apply ${fixes.length} fix(es)?`, false);
          } else if (!go) err('not applied: pass --yes to apply fixes without a terminal (or with --json/--format)\n');
          if (go) {
            const outcomes = await applyFixes(fixes, homePath, opts);
            for (const o of outcomes) err(`${o.ok ? 'fixed' : 'failed'}: ${o.text}\n`);
            report = await runDoctor({ ...opts, ...selection, onProgress }).finally(() => spinner.stop());
            if (format === 'human') output.out(`\n${output.color.bold('After the fixes:')}\n`);
            shown = false;
          }
        }
        if (!shown) show(report);
      } else show(report);

      const failed = report.overallStatus === 'fail' || (a['strict'] === true && report.overallStatus === 'warn');
      setExit(failed ? 1 : ExitCode.ok);
    },
  };
}

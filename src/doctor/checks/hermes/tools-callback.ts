/**
 * Doctor check `hermes.tools-callback` (hermes-tools callback), one of the hermes checks:
 * Hermes' side: the runtime switch, auxiliary tasks on the subscription,
 * and the hermes-tools callback entry.
 *
 * Facts from NousResearch/hermes-agent: `model.openai_runtime` is `auto` or
 * `codex_app_server` (unset and unknown values read as `auto`,
 * hermes_cli/codex_runtime_switch.py); only the `openai` and `openai-codex`
 * providers are rerouted to codex (hermes_cli/runtime_provider.py,
 * `_maybe_apply_codex_app_server_runtime`); auxiliary tasks with provider
 * `auto` (or none) follow the main provider (hermes_cli/config.py defaults).
 */
import { isRecord } from '../../../config/hermes-config.js';
import { HERMES_TOOLS_MODULE, HERMES_TOOLS_NAME, hermesToolsImportProblem } from '../../../migrate/hermes-tools.js';
import type { CheckDefinition, CheckOutcome } from '../../types.js';
import type { DoctorContext } from '../../context.js';
import { installerPython } from './shared.js';

export const hermesToolsCallback: CheckDefinition = {
  id: 'hermes.tools-callback',
  category: 'hermes',
  title: 'hermes-tools callback',
  async run(ctx) {
    const cfg = await ctx.configToml();
    const servers = cfg?.doc && isRecord(cfg.doc['mcp_servers']) ? cfg.doc['mcp_servers'] : {};
    const entry = servers[HERMES_TOOLS_NAME];
    // `migrate --no-hermes-tools` was a choice: honour what the last run recorded.
    if (!isRecord(entry) && (await ctx.state())?.options?.hermesTools === false) {
      return { status: 'skip', summary: 'not written: the last migrate ran with --no-hermes-tools' };
    }
    if (!isRecord(entry)) {
      return { status: 'warn', summary: 'no [mcp_servers.hermes-tools] entry: Hermes\' tools are not offered to codex turns', remediation: `Run \`${await ctx.migrateCommand()}\`.`, fix: 'migrate' };
    }
    const command = typeof entry['command'] === 'string' ? entry['command'] : '';
    const details = [`command: ${command}`];
    const resolved = command.includes('/') ? ((await ctx.fs.stat(command).catch(() => null))?.isFile() ? command : null) : await ctx.findOnPath(command);
    if (!resolved) {
      return { status: 'fail', summary: `the callback's Python ${command} does not exist`, details, remediation: `Point the entry at the Python Hermes runs under: ${await pythonHint(ctx)}.` };
    }
    const literalEnv = isRecord(entry['env']) ? (entry['env'] as Record<string, string>) : {};
    const envVars = Array.isArray(entry['env_vars']) ? (entry['env_vars'] as unknown[]).map(String) : [];
    const missing = ['HERMES_HOME', 'HERMES_KANBAN_TASK'].filter((v) => !envVars.includes(v) && !(v in literalEnv));
    const problem = await hermesToolsImportProblem(ctx.run, resolved, ctx.env, literalEnv);
    if (problem) {
      return {
        status: 'fail',
        summary: problem.summary,
        details: [...details, problem.why],
        remediation: `Point the entry at the Python Hermes runs under: ${await pythonHint(ctx)}.`,
      };
    }
    const out: CheckOutcome = missing.length
      ? { status: 'warn', summary: `env_vars does not forward ${missing.join(', ')}`, details, remediation: `Run \`${await ctx.migrateCommand()}\` to rewrite the entry.`, fix: 'migrate' }
      : { status: 'ok', summary: `${resolved} imports ${HERMES_TOOLS_MODULE}; HERMES_HOME and HERMES_KANBAN_TASK are forwarded`, details };
    return out;
  },
};

/**
 * The migrate command that points the entry at Hermes' Python: the one
 * Hermes' installer sets up under the Hermes root when it is there, else a
 * PYTHON placeholder and where to find the interpreter (a path that does not
 * exist would only fail again).
 */
async function pythonHint(ctx: DoctorContext): Promise<string> {
  const installed = installerPython(ctx);
  if ((await ctx.fs.stat(installed).catch(() => null))?.isFile()) return `\`${await ctx.migrateCommand(['--hermes-python', installed])}\``;
  return `\`${await ctx.migrateCommand(['--hermes-python', 'PYTHON'])}\`, with PYTHON the interpreter on the first line of the \`hermes\` command (\`head -1 "$(command -v hermes)"\`); Hermes' installer would have put it at ${installed}, which does not exist`;
}

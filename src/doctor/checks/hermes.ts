/**
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
import { CODEX_REROUTED_PROVIDERS } from '../../config/hermes-config.js';
import * as path from 'node:path';
import { hermesRoot, type Environment } from '../../paths.js';
import { isRecord } from '../../config/hermes-config.js';
import { HERMES_TOOLS_MODULE, HERMES_TOOLS_NAME } from '../../migrate/hermes-tools.js';
import type { CheckDefinition, CheckOutcome } from '../types.js';
import type { DoctorContext } from '../context.js';
import { loginState } from '../../codex/login.js';
import { codexLoginCommand } from '../../hints.js';

/** Hermes' auxiliary task slots (hermes_cli/config.py DEFAULT_CONFIG `auxiliary`). */
export const AUXILIARY_TASKS = ['title_generation', 'compression', 'flush_memories', 'session_search', 'vision', 'web_extract', 'skills_hub', 'approval', 'mcp'];

async function hermesModel(ctx: DoctorContext): Promise<{ runtime: string; raw: unknown; provider: string | null; data: Record<string, unknown> } | null> {
  const h = await ctx.hermes();
  if (!h.ok || !h.value.config || !isRecord(h.value.config.data)) return null;
  const data = h.value.config.data;
  const model = isRecord(data['model']) ? data['model'] : {};
  const raw = model['openai_runtime'];
  const v = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  return { runtime: v === 'codex_app_server' ? 'codex_app_server' : 'auto', raw, provider: typeof model['provider'] === 'string' ? model['provider'] : null, data };
}

export const hermesRuntime: CheckDefinition = {
  id: 'hermes.runtime',
  category: 'hermes',
  title: 'Hermes runtime switch',
  async run(ctx) {
    const h = await ctx.hermes();
    if (!h.ok) return { status: 'fail', summary: h.error.message, remediation: h.error.remediation ?? 'Fix the Hermes config.' };
    if (!h.value.config) return { status: 'skip', summary: `no Hermes config at ${h.value.loc.path}` };
    const m = (await hermesModel(ctx))!;
    const details = [`config: ${h.value.loc.path}`];
    if (m.raw !== undefined && m.raw !== null && m.raw !== '' && m.runtime === 'auto' && String(m.raw).toLowerCase() !== 'auto') {
      return { status: 'warn', summary: `model.openai_runtime is ${JSON.stringify(m.raw)}, which Hermes reads as auto`, details, remediation: 'Set it to codex_app_server or auto (`hermes-codex runtime on|off`).' };
    }
    if (m.runtime === 'auto') return { status: 'ok', summary: 'codex runtime off (model.openai_runtime: auto)', details };
    if (!m.provider || !CODEX_REROUTED_PROVIDERS.has(m.provider)) {
      return {
        status: 'warn',
        summary: `codex runtime on, but provider ${m.provider ?? '(none)'} is not rerouted to codex (only openai and openai-codex are)`,
        details,
        remediation: 'Switch model.provider to openai-codex or openai, or turn the runtime off.',
      };
    }
    return { status: 'ok', summary: `codex runtime on for provider ${m.provider}`, details };
  },
};

export const hermesAuxiliary: CheckDefinition = {
  id: 'hermes.auxiliary',
  category: 'hermes',
  title: 'auxiliary tasks',
  async run(ctx) {
    const m = await hermesModel(ctx);
    if (!m) return { status: 'skip', summary: 'no Hermes config' };
    if (m.runtime !== 'codex_app_server' || m.provider !== 'openai-codex') {
      return { status: 'skip', summary: 'applies with the codex runtime on and the openai-codex provider' };
    }
    const aux = isRecord(m.data['auxiliary']) ? m.data['auxiliary'] : {};
    const onSubscription = AUXILIARY_TASKS.filter((t) => {
      const cfg = isRecord(aux[t]) ? aux[t] : {};
      const provider = typeof cfg['provider'] === 'string' ? cfg['provider'].trim().toLowerCase() : '';
      const baseUrl = typeof cfg['base_url'] === 'string' ? cfg['base_url'] : '';
      return (provider === '' || provider === 'auto' || provider === 'main' || provider === 'openai-codex') && !baseUrl;
    });
    if (!onSubscription.length) return { status: 'ok', summary: 'every auxiliary task is routed elsewhere' };
    return {
      status: 'ok',
      summary: `${onSubscription.length} auxiliary task(s) run on your ChatGPT subscription: ${onSubscription.join(', ')}`,
      details: ['Route a task elsewhere with auxiliary.<task>.provider (and model) in config.yaml, e.g. auxiliary.compression.provider: openrouter.'],
    };
  },
};

/** The Python Hermes' installer sets up under the resolved Hermes root (HERMES_HOME, --hermes-root or ~/.hermes). */
function installerPython(ctx: { e: Environment; ws: { locations: { hermesRoot?: string } } }): string {
  return path.join(hermesRoot(ctx.e, ctx.ws.locations.hermesRoot), 'hermes-agent', 'venv', 'bin', 'python');
}

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
      return { status: 'fail', summary: `the callback's Python ${command} does not exist`, details, remediation: `Run \`${await ctx.migrateCommand(['--hermes-python', installerPython(ctx)])}\` (or the Python Hermes runs under).` };
    }
    const literalEnv = isRecord(entry['env']) ? (entry['env'] as Record<string, string>) : {};
    const envVars = Array.isArray(entry['env_vars']) ? (entry['env_vars'] as unknown[]).map(String) : [];
    const missing = ['HERMES_HOME', 'HERMES_KANBAN_TASK'].filter((v) => !envVars.includes(v) && !(v in literalEnv));
    const r = await ctx.run(resolved, ['-c', `import ${HERMES_TOOLS_MODULE}`], { env: { ...ctx.env, ...literalEnv }, timeoutMs: 20_000 });
    if (r.failure || r.exitCode !== 0) {
      const why = r.failure?.message ?? (r.stderr.trim().split('\n').pop() || `exit ${r.exitCode}`);
      return {
        status: 'fail',
        summary: `${resolved} cannot import ${HERMES_TOOLS_MODULE}: the callback tools will silently vanish from codex turns`,
        details: [...details, why],
        remediation: `Point the entry at the Python Hermes runs under: \`${await ctx.migrateCommand(['--hermes-python', installerPython(ctx)])}\`.`,
      };
    }
    const out: CheckOutcome = missing.length
      ? { status: 'warn', summary: `env_vars does not forward ${missing.join(', ')}`, details, remediation: `Run \`${await ctx.migrateCommand()}\` to rewrite the entry.`, fix: 'migrate' }
      : { status: 'ok', summary: `${resolved} imports ${HERMES_TOOLS_MODULE}; HERMES_HOME and HERMES_KANBAN_TASK are forwarded`, details };
    return out;
  },
};

export const hermesProfiles: CheckDefinition = {
  id: 'hermes.profiles',
  category: 'hermes',
  title: 'Hermes profiles',
  async run(ctx) {
    const profiles = await ctx.profiles();
    if (!profiles.length) return { status: 'skip', summary: 'no Hermes profiles' };
    const byHome = new Map<string, string[]>();
    for (const p of profiles) byHome.set(p.codexHome, [...(byHome.get(p.codexHome) ?? []), p.name]);
    const details = [...byHome].map(([home, names]) => `${home}: ${names.join(', ')}${names.length > 1 ? ' (shared)' : ''}`);
    const unauthenticated: string[] = [];
    for (const p of profiles.filter((x) => x.isolated)) {
      if ((await loginState(ctx.fs, p.codexHome, ctx.env)) === 'none') unauthenticated.push(p.name);
    }
    const isolated = profiles.filter((p) => p.isolated).length;
    const summary = `${profiles.length} profile(s): ${isolated} with their own CODEX_HOME, ${profiles.length - isolated} sharing`;
    if (unauthenticated.length) {
      const cmds = profiles.filter((p) => unauthenticated.includes(p.name)).map((p) => codexLoginCommand(p.codexHome));
      return {
        status: 'warn',
        summary: `profile(s) ${unauthenticated.join(', ')} have their own CODEX_HOME but are not logged in`,
        details: [summary, ...details],
        remediation: `Log each in once: ${cmds.join('; ')}`,
      };
    }
    return { status: 'ok', summary, details };
  },
};

export const hermesChecks = [hermesRuntime, hermesAuxiliary, hermesToolsCallback, hermesProfiles];

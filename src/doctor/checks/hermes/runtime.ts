/**
 * Doctor check `hermes.runtime` (Hermes runtime switch), one of the hermes checks:
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
import { CODEX_REROUTED_PROVIDERS } from '../../../config/hermes-config.js';
import type { CheckDefinition } from '../../types.js';
import { hermesModel } from './shared.js';

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

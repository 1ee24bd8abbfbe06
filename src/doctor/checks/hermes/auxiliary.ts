/**
 * Doctor check `hermes.auxiliary` (auxiliary tasks), one of the hermes checks:
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
import type { CheckDefinition } from '../../types.js';
import { AUXILIARY_TASKS, hermesModel } from './shared.js';

export const hermesAuxiliary: CheckDefinition = {
  id: 'hermes.auxiliary',
  category: 'hermes',
  title: 'auxiliary tasks',
  async run(ctx) {
    const m = await hermesModel(ctx);
    if (!m) {
      const h = await ctx.hermes();
      return { status: 'skip', summary: h.ok ? 'no Hermes config' : 'the Hermes config cannot be read (hermes.runtime says why)' };
    }
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

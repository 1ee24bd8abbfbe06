/**
 * Doctor check `hermes.profiles` (Hermes profiles), one of the hermes checks:
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
import type { CheckDefinition } from '../../types.js';
import { loginState } from '../../../codex/login.js';
import { codexLoginCommandFor } from '../../../core/hints.js';

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
      // An API key in this environment is stored with `codex login --with-api-key` (codex app-server reads none from its environment).
      const cmds = profiles.filter((p) => unauthenticated.includes(p.name)).map((p) => codexLoginCommandFor(p.codexHome, ctx.env));
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

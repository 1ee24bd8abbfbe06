/**
 * Doctor check `codex.auth` (codex credentials), one of the codex checks:
 * Codex's own essentials: binary, version, CODEX_HOME, auth, config.
 */
import { customProviderAuth, readAuthFile } from '../../../codex/login.js';
import type { CheckDefinition } from '../../types.js';
import { Row } from '../../row.js';
import { codexLoginCommand, codexLoginHint, envApiKeyName } from '../../../core/hints.js';

export const codexAuth: CheckDefinition = {
  id: 'codex.auth',
  category: 'codex',
  title: 'codex credentials',
  async run(ctx) {
    const home = await ctx.codexHome();
    if (!home.ok) return { status: 'skip', summary: 'CODEX_HOME unusable' };
    // codex app-server reads no API key from its environment (hints.ts): a key there is only named in the fix.
    const envKey = envApiKeyName(ctx.env);
    // A custom model provider authenticates with its own env_key (the one rule in codex/login.ts).
    const cfg = await ctx.configToml();
    const custom = customProviderAuth(cfg?.doc, ctx.env);
    if (custom) {
      if (custom.envKey && !custom.keySet) return { status: 'fail', summary: `model provider "${custom.provider}" needs ${custom.envKey}, which is not set`, remediation: `Export ${custom.envKey} in the environment that starts codex.` };
      return { status: 'ok', summary: `model provider "${custom.provider}"${custom.envKey ? ` authenticates with ${custom.envKey} (set)` : ' needs no OpenAI login'}` };
    }
    const auth = home.value.exists ? await readAuthFile(ctx.fs, home.value.path) : ({ kind: 'missing' } as const);
    const login = codexLoginHint(home.value.path, ctx.env);
    const envNote = envKey ? ` ($${envKey} is set, but codex app-server does not read API keys from the environment)` : '';
    if (auth.kind === 'unreadable') return { status: 'fail', summary: auth.message, remediation: `Log in again: ${codexLoginCommand(home.value.path)}` };
    if (auth.kind === 'missing') return { status: 'fail', summary: `not logged in: no auth.json in ${home.value.path}${envNote}`, remediation: login };
    if (auth.kind === 'invalid-json') return { status: 'fail', summary: `${auth.path} is not valid JSON`, remediation: login };
    const row = new Row();
    if (auth.mode & 0o077) row.warn(`auth.json is readable by others (mode ${auth.mode.toString(8)}); run \`chmod 600 ${auth.path}\` (\`doctor --fix\` does).`, 'chmod-auth');
    if (auth.kind === 'api-key') return row.done('API key in auth.json');
    if (auth.kind === 'empty') return { status: 'fail', summary: `auth.json holds neither an API key nor ChatGPT tokens${envNote}`, remediation: login };
    const exp = auth.accessTokenExpiresAt;
    const now = ctx.now().getTime();
    if (exp !== null) {
      const mins = Math.round((exp - now) / 60000);
      row.detail(exp < now ? `access token expired ${-mins} min ago` : `access token valid for ${mins} more min`);
      if (exp < now) return row.fail(login).done('ChatGPT login: the access token has expired');
      // The first finding is the one to act on: later ones only add details.
      if (exp - now < 5 * 60_000 && row.ok) row.warn(`The access token expires within 5 minutes; if codex cannot refresh it, ${login.toLowerCase()}`);
    } else row.detail('access token expiry unknown (not a JWT)');
    if (auth.lastRefresh !== null) {
      const days = (now - auth.lastRefresh) / 86_400_000;
      row.detail(`last refresh ${days.toFixed(1)} days ago`);
      if (days > 8 && row.ok) row.warn(`Tokens were last refreshed ${Math.floor(days)} days ago; the refresh token may have rotated elsewhere. ${login}`);
    }
    return row.done('ChatGPT login (tokens in auth.json)');
  },
};

/**
 * Codex's own essentials: binary, version, CODEX_HOME, auth, config.
 */
import { customProviderAuth, readAuthFile } from '../../codex/login.js';
import * as path from 'node:path';
import { TESTED_CODEX_VERSION } from '../../runtime/version.js';
import { CODEX_INSTALL_HINT } from '../../codex/binary.js';
import type { CheckDefinition, CheckOutcome } from '../types.js';
import type { DoctorContext } from '../context.js';
import { hermesRoot } from '../../paths.js';
import { codexLoginCommand } from '../../hints.js';

const INSTALL = CODEX_INSTALL_HINT;

export const codexBinary: CheckDefinition = {
  id: 'codex.binary',
  category: 'codex',
  title: 'codex binary',
  async run(ctx) {
    const bin = await ctx.codexBinary();
    if (!bin) return { status: 'fail', summary: 'codex not found on PATH', remediation: INSTALL };
    const onPath = bin.path.includes('/') ? bin.path : await ctx.findOnPath(bin.path);
    if (!onPath) return { status: 'fail', summary: `${bin.path} (from Hermes' model.codex_bin) is not on PATH`, remediation: INSTALL };
    const real = await ctx.fs.realpath(onPath).catch(() => null);
    if (!real) return { status: 'fail', summary: `codex points to ${onPath}, which does not exist`, remediation: INSTALL };
    const via = { flag: '--codex-bin', 'hermes-config': "Hermes' model.codex_bin", PATH: 'PATH' }[bin.source];
    if (bin.npmWrapper) return { status: 'ok', summary: `${bin.npmWrapper} (from ${via})`, details: [`npm's wrapper; hermes-codex runs its native binary ${bin.path} directly`] };
    return { status: 'ok', summary: `${onPath} (from ${via})`, details: real !== onPath ? [`resolves to ${real}`] : [] };
  },
};

export const codexVersion: CheckDefinition = {
  id: 'codex.version',
  category: 'codex',
  title: 'codex version',
  async run(ctx) {
    const v = await ctx.codexVersion();
    if (!v) return { status: 'skip', summary: 'codex not found' };
    if (!v.ok) return { status: 'fail', summary: v.error.message, remediation: v.error.remediation ?? INSTALL };
    if (v.value.status === 'untested') return { status: 'warn', summary: v.value.warning!, remediation: `Pin @openai/codex@${TESTED_CODEX_VERSION} if something misbehaves.` };
    return { status: 'ok', summary: `codex ${v.value.version} (tested with ${TESTED_CODEX_VERSION})` };
  },
};

export const codexHome: CheckDefinition = {
  id: 'codex.home',
  category: 'codex',
  title: 'CODEX_HOME',
  async run(ctx) {
    const home = await ctx.codexHome();
    if (!home.ok) return { status: 'fail', summary: home.error.message, remediation: home.error.remediation ?? 'Fix CODEX_HOME.' };
    const loc = home.value;
    const details: string[] = [`source: ${loc.source === 'flag' ? '--codex-home' : loc.source === 'CODEX_HOME' ? '$CODEX_HOME' : 'default ~/.codex'}`];
    let status: CheckOutcome['status'] = 'ok';
    let remediation: string | undefined;
    let fix: CheckOutcome['fix'];
    if (!loc.exists) {
      status = 'warn';
      remediation = `Create it (mkdir -m 700 ${loc.path}) or run \`${await ctx.migrateCommand()}\`; --fix on this doctor run can create it.`;
      fix = 'create-codex-home';
    } else {
      const lst = await ctx.fs.lstat(loc.path);
      if (lst.isSymbolicLink()) details.push(`symlink to ${await ctx.fs.realpath(loc.path)}`);
      const st = await ctx.fs.stat(loc.path);
      const mode = st.mode & 0o777;
      details.push(`mode ${mode.toString(8).padStart(4, '0')}`);
      if (mode & 0o022) {
        status = 'warn';
        remediation = `Others can write to CODEX_HOME; run \`chmod 700 ${loc.path}\`.`;
      }
    }
    // HOME must stay real: Codex state is isolated through CODEX_HOME. A HOME pointed into
    // Hermes' or Codex's own directories (an old isolation trick) hides git's and gh's config.
    const under = (p: string, root: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
    const homeDir = path.resolve(ctx.e.home);
    const hermesRootDir = path.resolve(hermesRoot(ctx.e, ctx.ws.locations.hermesRoot));
    if (under(homeDir, path.resolve(loc.path)) || under(homeDir, hermesRootDir)) {
      status = 'warn';
      details.push(`HOME is ${ctx.e.home}`);
      remediation = `HOME points into ${under(homeDir, path.resolve(loc.path)) ? 'CODEX_HOME' : "Hermes' directory"}; keep HOME real and isolate Codex with CODEX_HOME, so git, gh and other tools find their own config.`;
    }
    const sharing = (await ctx.profiles()).filter((p) => path.resolve(p.codexHome) === path.resolve(loc.path)).map((p) => p.name);
    if (sharing.length) details.push(`used by Hermes profiles: ${sharing.join(', ')}`);
    const summary = `${loc.path}${loc.exists ? '' : ' (does not exist yet)'}${sharing.length > 1 ? `; shared by ${sharing.length} profiles` : ''}`;
    return { status, summary, details, ...(remediation ? { remediation } : {}), ...(fix ? { fix } : {}) };
  },
};

/** Payload of a JWT, or null. Never logged. */
export const codexAuth: CheckDefinition = {
  id: 'codex.auth',
  category: 'codex',
  title: 'codex credentials',
  async run(ctx) {
    const home = await ctx.codexHome();
    if (!home.ok) return { status: 'skip', summary: 'CODEX_HOME unusable' };
    const envKey = ['OPENAI_API_KEY', 'CODEX_API_KEY'].find((k) => ctx.env[k]);
    // A custom model provider authenticates with its own env_key (the one rule in codex/login.ts).
    const cfg = await ctx.configToml();
    const custom = customProviderAuth(cfg?.doc, ctx.env);
    if (custom) {
      if (custom.envKey && !custom.keySet) return { status: 'fail', summary: `model provider "${custom.provider}" needs ${custom.envKey}, which is not set`, remediation: `Export ${custom.envKey} in the environment that starts codex.` };
      return { status: 'ok', summary: `model provider "${custom.provider}"${custom.envKey ? ` authenticates with ${custom.envKey} (set)` : ' needs no OpenAI login'}` };
    }
    const auth = home.value.exists ? await readAuthFile(ctx.fs, home.value.path) : ({ kind: 'missing' } as const);
    const login = `Run \`${codexLoginCommand(home.value.path)}\` once (or set OPENAI_API_KEY).`;
    if (auth.kind === 'unreadable') return { status: 'fail', summary: auth.message, remediation: `Log in again: ${codexLoginCommand(home.value.path)}` };
    if (auth.kind === 'missing') {
      return envKey
        ? { status: 'ok', summary: `API key from $${envKey} (no auth.json)` }
        : { status: 'fail', summary: `not logged in: no auth.json in ${home.value.path} and no API key in the environment`, remediation: login };
    }
    if (auth.kind === 'invalid-json') return { status: 'fail', summary: `${auth.path} is not valid JSON`, remediation: login };
    const details: string[] = [];
    let status: CheckOutcome['status'] = 'ok';
    let remediation: string | undefined;
    let fix: CheckOutcome['fix'];
    if (auth.mode & 0o077) {
      status = 'warn';
      remediation = `auth.json is readable by others (mode ${auth.mode.toString(8)}); run \`chmod 600 ${auth.path}\` (\`doctor --fix\` does).`;
      fix = 'chmod-auth';
    }
    if (auth.kind === 'api-key') {
      return { status, summary: 'API key in auth.json', details, ...(remediation ? { remediation } : {}), ...(fix ? { fix } : {}) };
    }
    if (auth.kind === 'empty') {
      return envKey
        ? { status, summary: `API key from $${envKey}`, details, ...(remediation ? { remediation, fix } : {}) }
        : { status: 'fail', summary: 'auth.json holds neither an API key nor ChatGPT tokens', remediation: login };
    }
    const exp = auth.accessTokenExpiresAt;
    const now = ctx.now().getTime();
    if (exp !== null) {
      const mins = Math.round((exp - now) / 60000);
      details.push(exp < now ? `access token expired ${-mins} min ago` : `access token valid for ${mins} more min`);
      if (exp < now) {
        return { status: 'fail', summary: 'ChatGPT login: the access token has expired', details, remediation: login };
      }
      if (exp - now < 5 * 60_000 && status === 'ok') {
        status = 'warn';
        remediation = `The access token expires within 5 minutes; if codex cannot refresh it, ${login.toLowerCase()}`;
      }
    } else details.push('access token expiry unknown (not a JWT)');
    if (auth.lastRefresh !== null) {
      const days = (now - auth.lastRefresh) / 86_400_000;
      details.push(`last refresh ${days.toFixed(1)} days ago`);
      if (days > 8 && status === 'ok') {
        status = 'warn';
        remediation = `Tokens were last refreshed ${Math.floor(days)} days ago; the refresh token may have rotated elsewhere. ${login}`;
      }
    }
    return { status, summary: 'ChatGPT login (tokens in auth.json)', details, ...(remediation ? { remediation } : {}), ...(fix ? { fix } : {}) };
  },
};

export const codexConfig: CheckDefinition = {
  id: 'codex.config',
  category: 'codex',
  title: 'config.toml',
  async run(ctx) {
    const cfg = await ctx.configToml();
    if (!cfg) return { status: 'skip', summary: 'CODEX_HOME does not exist' };
    if (cfg.error) return { status: 'fail', summary: cfg.error.message, remediation: cfg.error.remediation ?? 'Fix config.toml.' };
    if (cfg.text === null) return { status: 'ok', summary: `no ${cfg.path} (codex uses its defaults)` };
    const verdict = await ctx.loader();
    if (!verdict) return { status: 'ok', summary: `${cfg.path} parses`, details: ["codex's own loader was not run (codex unavailable)"] };
    if (verdict.status === 'unavailable') return { status: 'warn', summary: `${cfg.path} parses, but codex's loader could not be run`, details: [verdict.reason], remediation: 'Check the codex binary (see codex.binary).' };
    if (verdict.status === 'rejected') {
      const where = verdict.error.line ? `${cfg.path}:${verdict.error.line}${verdict.error.column ? `:${verdict.error.column}` : ''}` : cfg.path;
      return { status: 'fail', summary: `codex rejects ${where}: ${verdict.error.message}`, details: [`checked with ${LOADER_CHECK_LABEL[verdict.check]}`], remediation: `Fix ${where}; codex will not start until then.` };
    }
    if (verdict.strictFindings.length) {
      const f = verdict.strictFindings[0]!;
      return {
        status: 'warn',
        summary: `codex loads it, but --strict-config reports: ${f.message}${f.line ? ` (${cfg.path}:${f.line}${f.column ? `:${f.column}` : ''})` : ''}`,
        remediation: 'Remove or correct that key; codex ignores it today and a stricter codex may refuse it.',
      };
    }
    return { status: 'ok', summary: `${cfg.path} accepted by codex's own loader`, details: [`checked with ${LOADER_CHECK_LABEL[verdict.check]}`] };
  },
};

const LOADER_CHECK_LABEL = {
  'print-startup-config': '`codex app-server --strict-config --print-startup-config`',
  'strict-app-server': '`codex app-server --strict-config` (this codex has no --print-startup-config, which needs 0.164)',
  'mcp-list': '`codex mcp list --json` (this codex has no strict check; unknown keys are not reported)',
} as const;

export const codexChecks = [codexBinary, codexVersion, codexHome, codexAuth, codexConfig];
export type { DoctorContext };

/**
 * Doctor check `mcp.servers` (MCP servers), one of the mcp checks:
 * MCP servers in the effective config.toml, statically: stdio commands
 * resolvable, cwd present, referenced environment variables set, URLs well
 * formed, no literal secrets, and names the codex in use starts
 * (codex/server-names.ts: codex loads any quoted name, starts only some).
 */
import { HERMES_FORWARDED_ENV } from '../../../config/hermes-behaviour.js';
import { CODEX_DEFAULT_STARTUP_TIMEOUT_SEC } from '../../../codex/capabilities.js';
import { packageCached, packageRunOf, warmCommand } from './first-start.js';
import { isRecord } from '../../../config/hermes-config.js';
import { HERMES_TOOLS_NAME } from '../../../migrate/hermes-tools.js';
import { codexStartsServerNamed, SERVER_NAME_RULE, serverNameKind } from '../../../codex/server-names.js';
import * as path from 'node:path';
import type { CheckDefinition } from '../../types.js';
import type { DoctorContext } from '../../context.js';

/** Bare commands Hermes resolves in its own Node install when PATH lacks them (tools/mcp_tool_config.py, `_node_fallback`). */
const NODE_COMMANDS = new Set(['npx', 'npm', 'node']);

/**
 * Where Hermes would find a bare `npx`/`npm`/`node` that is not on PATH, as `_node_fallback` does:
 * `$HERMES_HOME/node/bin` (default `~/.hermes`), `~/.local/bin`, `/usr/local/bin`; the first
 * executable file, or null.
 */
async function hermesNodeFallback(ctx: DoctorContext, cmd: string): Promise<string | null> {
  const hermesHome = ctx.env['HERMES_HOME'] || path.join(ctx.e.home, '.hermes');
  for (const dir of [path.join(hermesHome, 'node', 'bin'), path.join(ctx.e.home, '.local', 'bin'), '/usr/local/bin']) {
    const candidate = path.join(dir, cmd);
    const st = await ctx.fs.stat(candidate).catch(() => null);
    if (st?.isFile() && st.mode & 0o111) return candidate;
  }
  return null;
}

const SECRET_NAME = /(token|secret|password|passwd|api[_-]?key|auth|credential|private)/i;

export const mcpServers: CheckDefinition = {
  id: 'mcp.servers',
  category: 'mcp',
  title: 'MCP servers',
  async run(ctx) {
    const cfg = await ctx.configToml();
    if (!cfg?.doc) return { status: 'skip', summary: cfg?.error ? 'config.toml does not parse' : 'no config.toml' };
    const servers = isRecord(cfg.doc['mcp_servers']) ? cfg.doc['mcp_servers'] : {};
    const names = Object.keys(servers).filter((n) => n !== HERMES_TOOLS_NAME);
    if (!names.length) return { status: 'ok', summary: 'no MCP servers besides hermes-tools' };
    const fails: string[] = [];
    const warns: string[] = [];
    const details: string[] = [];
    // What to do, per kind of problem found (only those that were), in this order.
    const fixes = new Map<'name' | 'node-path' | 'command' | 'cwd' | 'url' | 'shape' | 'export' | 'literal' | 'warm', Set<string>>();
    const fix = (kind: Parameters<typeof fixes.set>[0], what = '') => {
      if (!fixes.has(kind)) fixes.set(kind, new Set());
      if (what) fixes.get(kind)!.add(what);
    };
    // Which names start depends on the codex in use (its version, when known).
    const version = await ctx.codexVersion();
    const known = version?.ok ? version.value.version : null;
    for (const name of names) {
      const s = servers[name];
      if (!isRecord(s)) continue;
      if (s['enabled'] === false) {
        details.push(`${name}: disabled`);
        continue;
      }
      const checked: string[] = [];
      // The name first: codex never starts a server whose name it does not take, whatever else is right.
      if (known ? !codexStartsServerNamed(name, known) : serverNameKind(name) === 'never') {
        fails.push(`${name}: codex${known ? ` ${known}` : ''} never starts a server with this name (a name may hold ${SERVER_NAME_RULE})`);
        fix('name', name);
      }
      if (typeof s['command'] === 'string') {
        const cmd = s['command'];
        const found = cmd.includes('/') ? ((await ctx.fs.stat(cmd).catch(() => null))?.isFile() ? cmd : null) : await ctx.findOnPath(cmd);
        // Hermes itself finds a bare npx/npm/node in its own Node install when PATH lacks it; codex does not.
        const hermesNode = !found && NODE_COMMANDS.has(cmd) ? await hermesNodeFallback(ctx, cmd) : null;
        if (hermesNode) {
          fails.push(`${name}: command ${cmd} not found on PATH (Hermes falls back to ${hermesNode} when it starts the server itself; codex does not)`);
          fix('node-path', path.dirname(hermesNode));
        } else if (!found) {
          fails.push(`${name}: command ${cmd} not found${cmd.includes('/') ? '' : ' on PATH'}`);
          fix('command', cmd);
        }
        else checked.push(`command ${found}`);
        // A first `npx -y PKG` / `uvx PKG` downloads the package: often longer than a start-up timeout.
        const pkg = found ? packageRunOf(cmd, Array.isArray(s['args']) ? (s['args'] as unknown[]).map(String) : []) : null;
        if (pkg && !(await packageCached(ctx.fs, ctx.env, ctx.e.home, pkg))) {
          const timeout = typeof s['startup_timeout_sec'] === 'number' ? s['startup_timeout_sec'] : CODEX_DEFAULT_STARTUP_TIMEOUT_SEC;
          warns.push(`${name}: ${pkg.spec} is not in the ${pkg.runner === 'npx' ? 'npm' : 'uv'} cache yet, so its first start downloads it, which can take longer than its ${timeout} s start-up timeout (the server then fails that first start)`);
          fix('warm', warmCommand(pkg));
        }
        if (typeof s['cwd'] === 'string' && !(await ctx.fs.stat(s['cwd']).catch(() => null))?.isDirectory()) {
          fails.push(`${name}: cwd ${s['cwd']} does not exist`);
          fix('cwd', s['cwd']);
        }
      } else if (typeof s['url'] === 'string') {
        try {
          const u = new URL(s['url']);
          if (u.protocol !== 'http:' && u.protocol !== 'https:') {
            fails.push(`${name}: url ${s['url']} is not http(s)`);
            fix('url', name);
          } else checked.push(`url ${u.origin}`);
        } catch {
          fails.push(`${name}: url ${JSON.stringify(s['url'])} is not a valid URL`);
          fix('url', name);
        }
      } else {
        fails.push(`${name}: neither command nor url`);
        fix('shape', name);
      }
      // codex refuses to start an HTTP server whose bearer token variable is unset: that is a failure, as for codex.
      const bearer = typeof s['bearer_token_env_var'] === 'string' ? s['bearer_token_env_var'] : null;
      if (bearer && !ctx.env[bearer]) {
        fails.push(`${name}: bearer_token_env_var ${bearer} is not set in this environment, so codex will not start this server`);
        fix('export', bearer);
      }
      const vars = [
        ...(Array.isArray(s['env_vars']) ? (s['env_vars'] as unknown[]).map(String) : []),
        ...(isRecord(s['env_http_headers']) ? Object.values(s['env_http_headers']).map(String) : []),
      ];
      // The variables migrate forwards because Hermes passes them when they are set (XDG_*, …) are optional.
      const unset = vars.filter((v) => !ctx.env[v] && !HERMES_FORWARDED_ENV.includes(v));
      if (unset.length) {
        warns.push(`${name}: ${unset.join(', ')} not set in this environment (codex forwards them from the process that starts it)`);
        for (const v of unset) fix('export', v);
      }
      const literal = [
        ...Object.entries(isRecord(s['env']) ? s['env'] : {}).map(([k, v]) => ['env', k, v] as const),
        ...Object.entries(isRecord(s['http_headers']) ? s['http_headers'] : {}).map(([k, v]) => ['http_headers', k, v] as const),
      ].filter(([, k, v]) => SECRET_NAME.test(k) && typeof v === 'string' && v.length >= 8 && !/^\$\{/.test(v));
      for (const [table, k] of literal) {
        warns.push(`${name}: ${table}.${k} holds a literal secret in config.toml; forward it with env_vars (or bearer_token_env_var / env_http_headers) instead`);
        fix('literal', name);
      }
      // What was found runnable; a server with nothing found is named by its problems instead.
      if (checked.length) details.push(`${name}: ${checked.join(', ')}`);
    }
    // Every problem is named in the summary, not only the first.
    const all = (list: string[]) => (list.length === 1 ? list[0]! : `${list.length} problems: ${list.join('; ')}`);
    const list = (kind: Parameters<typeof fixes.get>[0]) => [...fixes.get(kind)!].join(', ');
    const steps = [...fixes.keys()].map((kind) => {
      switch (kind) {
        case 'name': return `rename ${list(kind)} (in Hermes' config.yaml, then migrate again; or in config.toml for a server of your own), or upgrade codex where the name is one codex 0.152 and newer start`;
        case 'node-path': return `put ${list(kind)} on PATH where Hermes starts codex (export PATH="${[...fixes.get(kind)!][0]}:$PATH")`;
        case 'command': return `install ${list(kind)} (or fix the server's command path in Hermes' config.yaml and migrate again)`;
        case 'cwd': return `create ${list(kind)} (or fix the server's cwd)`;
        case 'url': return `fix the url of ${list(kind)} in Hermes' config.yaml and migrate again`;
        case 'shape': return `give ${list(kind)} a command or a url`;
        case 'export': return `export ${list(kind)} in the environment that starts codex (Hermes)`;
        case 'warm': return `download the package once where Hermes runs codex (${list(kind)})`;
        case 'literal': return `move the literal secrets of ${list(kind)} into environment variables (in Hermes' config.yaml as \${VAR}) and migrate again`;
      }
    });
    const remediation = `${steps.join('; ')}; then re-run doctor.`.replace(/^./, (c) => c.toUpperCase());
    // The warnings too: the remediation names their fixes, and a person reads the summary, not the details.
    if (fails.length) return { status: 'fail', summary: warns.length ? `${all(fails)}; also ${warns.join('; ')}` : all(fails), details: [...warns, ...details], remediation };
    if (warns.length) return { status: 'warn', summary: all(warns), details, remediation };
    return { status: 'ok', summary: `${names.length} server(s) look runnable`, details };
  },
};

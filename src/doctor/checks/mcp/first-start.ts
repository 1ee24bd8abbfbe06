/**
 * Whether a stdio MCP server's first start will download its package: `npx -y PKG` and
 * `uvx PKG` fetch the package on a cold cache, which takes 30–60 s (more than codex's own
 * 30 s start-up timeout, and close to Hermes' 60 s). The spec reading is pure; the cache
 * look-ups read the npm and uv caches as Hermes does for npx (`tools/mcp_tool_config.py`,
 * `_npx_cached_bin`: `$npm_config_cache/_npx/<hash>/package.json` dependencies).
 */
import * as path from 'node:path';
import type { FileSystem } from '../../../fs/filesystem.js';

export interface PackageRun {
  runner: 'npx' | 'uvx';
  /** The package as given (`@scope/name@1.2`, `mcp-server-git`). */
  spec: string;
  /** The package name without a version (`@scope/name`, `mcp-server-git`). */
  name: string;
}

/**
 * The package a `npx`/`uvx` command runs, or null: npx's first argument that is not a flag
 * (`-y`/`--yes` and other flags skipped; `--package X` / `-p X` names it), uvx's first
 * non-flag argument (`--from X` names it). Pure.
 */
export function packageRunOf(command: string, args: readonly string[]): PackageRun | null {
  const base = path.basename(command).toLowerCase().replace(/\.(cmd|exe)$/, '');
  if (base !== 'npx' && base !== 'uvx') return null;
  let spec: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((base === 'npx' && (a === '--package' || a === '-p')) || (base === 'uvx' && a === '--from')) {
      spec = args[i + 1];
      break;
    }
    if (a.startsWith('--package=') || a.startsWith('--from=')) {
      spec = a.slice(a.indexOf('=') + 1);
      break;
    }
    if (a.startsWith('-')) continue;
    spec = a;
    break;
  }
  if (!spec) return null;
  if (base === 'npx') {
    const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
    return { runner: 'npx', spec, name: at === -1 ? spec : spec.slice(0, at) };
  }
  const name = spec.split(/[=<>!~@[\s]/)[0]!;
  return { runner: 'uvx', spec, name };
}

/** The command that downloads the package once, so the first start under codex is fast. */
export function warmCommand(p: PackageRun): string {
  return p.runner === 'npx' ? `npm exec --yes --package=${p.spec} -- true` : `uv tool install ${p.spec}`;
}

/**
 * Whether the package is in the cache the runner would use: npx's `_npx` directories
 * (`$npm_config_cache`, else `~/.npm`), uv's environments and tools (`$UV_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/uv`, else `~/.cache/uv`; `uv tool install` under `$UV_TOOL_DIR`, else
 * `~/.local/share/uv/tools`). Reads only; false when it cannot tell.
 */
export async function packageCached(fs: FileSystem, env: Readonly<Record<string, string | undefined>>, home: string, p: PackageRun): Promise<boolean> {
  const list = async (dir: string) => (await fs.readdir(dir).catch(() => [] as string[])).slice(0, 500);
  if (p.runner === 'npx') {
    const npx = path.join(env['npm_config_cache'] || path.join(home, '.npm'), '_npx');
    for (const entry of await list(npx)) {
      const text = await fs.readFile(path.join(npx, entry, 'package.json')).catch(() => null);
      if (text === null) continue;
      try {
        const deps = (JSON.parse(String(text)) as { dependencies?: Record<string, unknown> }).dependencies ?? {};
        if (Object.hasOwn(deps, p.name)) return true;
      } catch {
        /* not ours to judge */
      }
    }
    return false;
  }
  const norm = (s: string) => s.toLowerCase().replace(/[-_.]+/g, '_');
  const tools = env['UV_TOOL_DIR'] || path.join(env['XDG_DATA_HOME'] || path.join(home, '.local', 'share'), 'uv', 'tools');
  if ((await list(tools)).some((t) => norm(t) === norm(p.name))) return true;
  const archive = path.join(env['UV_CACHE_DIR'] || path.join(env['XDG_CACHE_HOME'] || path.join(home, '.cache'), 'uv'), 'archive-v0');
  for (const entry of await list(archive)) {
    for (const lib of await list(path.join(archive, entry, 'lib'))) {
      const site = path.join(archive, entry, 'lib', lib, 'site-packages');
      if ((await list(site)).some((d) => d.endsWith('.dist-info') && norm(d).startsWith(`${norm(p.name)}_`))) return true;
    }
  }
  return false;
}

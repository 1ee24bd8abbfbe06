/**
 * Running codex without writing to the user's CODEX_HOME.
 *
 * Every codex process writes into its CODEX_HOME: `codex --version` and
 * `--print-startup-config` create `tmp/arg0-linux` (helper aliases, skipped
 * only under a temporary directory), and `codex app-server` creates its
 * sqlite state, `installation_id`, `skills/` and more (codex 0.169,
 * measured). A dry run and the read-only commands must leave CODEX_HOME as
 * it was, so they run codex on a private CODEX_HOME under the system's
 * temporary directory, removed afterwards:
 * - {@link withScratchCodexHome}: an empty one, for `codex --version`;
 * - {@link withLinkedCodexHome}: symlinks to every entry of the real one, for
 *   the config loader (it only reads, and relative paths resolve as they do
 *   for the real file);
 * - {@link withCopiedCodexHome}: copies of what `plugin/list` reads
 *   (`config.toml`, `plugins/`, `.tmp/` with cached marketplaces), for an
 *   app-server that writes state of its own. auth.json is never copied.
 */
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * `node:fs/promises`, loaded on first use: `turn` loads this module before it spawns codex, where
 * loading fs/promises cost about 1.2 ms (measured with --cpu-prof). A turn that finds codex on
 * PATH loads it anyway (through `which`); one given `--codex-bin` does not.
 */
const fsp = (): typeof import('node:fs/promises') => process.getBuiltinModule('node:fs/promises');

/** The entries of a CODEX_HOME that `plugin/list` reads (codex 0.169). */
export const PLUGIN_LIST_ENTRIES = ['config.toml', 'plugins', '.tmp'] as const;

async function withTempDir<T>(fn: (dir: string) => Promise<T>, fill: (dir: string) => Promise<void>): Promise<T> {
  const dir = await fsp().mkdtemp(path.join(os.tmpdir(), 'hermes-codex-home-'));
  try {
    await fill(dir);
    return await fn(dir);
  } finally {
    await fsp().rm(dir, { recursive: true, force: true });
  }
}

/** Run `fn` with an empty private CODEX_HOME (removed afterwards). */
export function withScratchCodexHome<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  return withTempDir(fn, async () => undefined);
}

/**
 * Run `fn` with a private CODEX_HOME whose entries are symlinks to the real
 * one's (a missing real one gives an empty private one). For processes that
 * only read; anything codex creates lands in the private directory.
 */
export function withLinkedCodexHome<T>(codexHome: string, fn: (dir: string) => Promise<T>): Promise<T> {
  return withTempDir(fn, async (dir) => {
    const names = await fsp().readdir(codexHome).catch(() => [] as string[]);
    for (const name of names) await fsp().symlink(path.join(codexHome, name), path.join(dir, name));
  });
}

/**
 * Run `fn` with a private CODEX_HOME holding copies of `entries` of the real
 * one (missing ones are skipped; symlinks are copied as links).
 */
export function withCopiedCodexHome<T>(
  codexHome: string,
  fn: (dir: string) => Promise<T>,
  entries: readonly string[] = PLUGIN_LIST_ENTRIES,
): Promise<T> {
  return withTempDir(fn, async (dir) => {
    for (const name of entries) {
      await fsp().cp(path.join(codexHome, name), path.join(dir, name), { recursive: true, verbatimSymlinks: true }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
  });
}

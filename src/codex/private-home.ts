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
 *   app-server that writes state of its own. auth.json is never copied;
 * - {@link withKeptCodexHome}: the same copies, refreshed each run, in a
 *   private directory kept between runs, so the state codex builds for
 *   itself (its databases, `installation_id`, the system skills) is built
 *   once instead of on every plugin discovery.
 */
import * as fs from 'node:fs';
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
  return withTempDir(fn, async (dir) => copyEntries(codexHome, dir, entries));
}

/**
 * Copies `entries` of `from` into `to`, each replacing what `to` had under
 * that name (a missing one in `from` is removed from `to`; symlinks are copied
 * as links). Synchronous calls: codex is spawned right after, and nothing else
 * waits meanwhile (the promise-based ones would take a thread-pool trip per file).
 */
function copyEntries(from: string, to: string, entries: readonly string[]): void {
  for (const name of entries) {
    const target = path.join(to, name);
    fs.rmSync(target, { recursive: true, force: true });
    try {
      fs.cpSync(path.join(from, name), target, { recursive: true, verbatimSymlinks: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

/**
 * Where the kept CODEX_HOMEs of plugin discovery live: `$HERMES_CODEX_DISCOVERY_HOME`
 * (`0`, `off`, `false` or `no`: none, every discovery gets a temporary one), else
 * `<tmpdir>/hermes-codex-discovery-home-<uid>` (under the temporary directory, as the
 * compile cache: codex also skips its helper aliases there). Pure: `uid` is `process.getuid()`.
 * @returns an absolute path, or null when kept homes are off
 */
export function discoveryHomesDirectory(env: Record<string, string | undefined>, tmpdir: string, uid: number | undefined): string | null {
  const set = env['HERMES_CODEX_DISCOVERY_HOME'];
  if (set !== undefined && set !== '') return /^(0|false|off|no)$/i.test(set) ? null : path.resolve(set);
  return path.join(tmpdir, `hermes-codex-discovery-home${uid === undefined ? '' : `-${uid}`}`);
}

/**
 * The name of the kept home for a real CODEX_HOME and a codex binary: FNV-1a (32 bits, hex) of the
 * resolved CODEX_HOME, the binary's path and its size. Another codex release (an upgrade, a
 * downgrade: another size) gets a home of its own, so codex never opens databases a newer
 * release migrated. A name, not a secret: two CODEX_HOMEs sharing one would still each be
 * refreshed with their own files on every run.
 */
export function discoveryHomeKey(codexHome: string, codexBin: string): string {
  let size = -1;
  try {
    size = fs.statSync(codexBin).size;
  } catch {
    // a codex that cannot be stat'ed fails to spawn anyway
  }
  let h = 0x811c9dc5;
  for (const c of `${path.resolve(codexHome)}\0${codexBin}\0${size}`) {
    h ^= c.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** A kept home claimed for this run: its directory and the release of its lock. */
interface ClaimedHome {
  dir: string;
  release(): void;
}

/** Kept homes nobody used for this long are removed by the next discovery (ms). */
const KEPT_HOME_STALE_MS = 7 * 24 * 3600 * 1000;

/**
 * Run `fn` with the kept private CODEX_HOME `<root>/<key>`: its entries of `entries` replaced
 * by fresh copies of the real CODEX_HOME's (a missing one is removed), everything codex wrote
 * there itself kept. The directory is used only when `root` is a private directory (ours, not a
 * link, writable only by us) and no other live process holds it (`<root>/<key>.lock`, a lock
 * whose process has ended is taken over); otherwise, or with `kept` null, this is
 * {@link withCopiedCodexHome}. When `fn` rejects, the kept home is removed (the next run builds
 * it again: a damaged state costs one failed run, never more), unless `damaged` says the failure
 * was not codex's (the caller abandoned the run). Kept homes unused for 7 days are removed on the way.
 */
export async function withKeptCodexHome<T>(
  codexHome: string,
  kept: { root: string; key: string } | null,
  fn: (dir: string) => Promise<T>,
  entries: readonly string[] = PLUGIN_LIST_ENTRIES,
  damaged: () => boolean = () => true,
): Promise<T> {
  let claimed: ClaimedHome | null = null;
  try {
    claimed = kept ? claimKeptHome(kept.root, kept.key) : null;
  } catch {
    // a lock that could not be written or removed (permissions): a temporary home, as without one
  }
  if (!claimed) return withCopiedCodexHome(codexHome, fn, entries);
  let ok = false;
  try {
    copyEntries(codexHome, claimed.dir, entries);
    const result = await fn(claimed.dir);
    ok = true;
    return result;
  } finally {
    if (!ok && damaged()) await fsp().rm(claimed.dir, { recursive: true, force: true }).catch(() => undefined);
    claimed.release();
  }
}

/** The kept home `<root>/<key>`, locked for this process, or null when it cannot be used (see {@link withKeptCodexHome}). */
function claimKeptHome(root: string, key: string): ClaimedHome | null {
  if (!isPrivateDirectory(root)) return null;
  const dir = path.join(root, key);
  const lock = `${dir}.lock`;
  const token = `${process.pid} ${Date.now()} ${Math.random()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, token, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0 || heldByLiveProcess(lock)) return null;
      fs.rmSync(lock, { force: true }); // its process has ended
      continue;
    }
    const release = () => {
      try {
        if (fs.readFileSync(lock, 'utf8') === token) fs.rmSync(lock, { force: true });
      } catch {
        // already gone
      }
    };
    try {
      fs.mkdirSync(dir, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        release();
        return null;
      }
    }
    let st: fs.Stats;
    try {
      st = fs.lstatSync(dir);
    } catch {
      release(); // removed meanwhile (another run pruning it)
      return null;
    }
    if (!st.isDirectory() || !ownedAndClosed(st)) {
      release();
      return null;
    }
    pruneKeptHomes(root, key);
    return { dir, release };
  }
  return null;
}

/** Whether the lock file names a process that is still running (unreadable or empty: treated as live, it is being written). */
function heldByLiveProcess(lock: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(lock, 'utf8'), 10);
  } catch {
    return true;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates `dir` (0700) when missing and says whether it is a directory, not a link, ours and writable only by us. */
function isPrivateDirectory(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    return st.isDirectory() && ownedAndClosed(st);
  } catch {
    return false;
  }
}

function ownedAndClosed(st: fs.Stats): boolean {
  if (process.platform === 'win32') return true;
  return st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
}

/** Removes the other kept homes of `root` unused (not modified) for {@link KEPT_HOME_STALE_MS}, with no live lock; best effort. */
function pruneKeptHomes(root: string, keep: string): void {
  try {
    const now = Date.now();
    for (const name of fs.readdirSync(root)) {
      if (name === keep || name.endsWith('.lock')) continue;
      const dir = path.join(root, name);
      const lock = `${dir}.lock`;
      if (now - fs.lstatSync(dir).mtimeMs < KEPT_HOME_STALE_MS || (fs.existsSync(lock) && heldByLiveProcess(lock))) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(lock, { force: true });
    }
  } catch {
    // another run pruning at the same time, or an unreadable entry: left for later
  }
}

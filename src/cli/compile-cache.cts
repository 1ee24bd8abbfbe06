/**
 * Runs the CLI bundle (one CommonJS file, scripts/bundle-cli.mjs) through a
 * V8 code cache, so a command starts from compiled bytecode instead of
 * parsing and compiling the bundle: about 40 ms of a 10-server `migrate`
 * on the project's machine (docs/performance.md). Node 22 has
 * `module.enableCompileCache()` for this; Node 20, which hermes-codex
 * supports, has only `vm.Script`'s `cachedData` and `createCachedData()`.
 *
 * The cache is written when a command exits (bin.cjs: not after a usage
 * error), so it holds the functions that command compiled (a cache made
 * before running holds only the top level and measured about 20 ms slower);
 * one file per command word, build, Node version, architecture and Node
 * flags. A cache that V8 took is written again when it is more than an hour
 * old (`REFRESH_MS`): the new one holds what it held plus what this run
 * compiled, so a command whose first run went down another path
 * (`migrate --dry-run`, then `migrate`: about 8 ms per run, measured)
 * catches up, for one serialisation (5–10 ms) an hour at most.
 *
 * Where it lives: `$HERMES_CODEX_COMPILE_CACHE`, else
 * `<os.tmpdir()>/hermes-codex-compile-cache-<uid>` (where Node 22 and
 * v8-compile-cache keep theirs). Bytecode is code, so a directory is used only
 * if it is a real directory owned by the user and writable by no one else.
 * `NODE_DISABLE_COMPILE_CACHE=1` (Node's own switch) or
 * `HERMES_CODEX_COMPILE_CACHE=0` turns it off. Every failure to read or
 * write the cache is silent: the command runs as without it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** What happened to the cache on one load: `hit` (V8 used it), `miss` (none yet), `rejected` (V8 refused it: another V8 or flags), `off`. */
export type CacheState = 'hit' | 'miss' | 'rejected' | 'off';

export interface LoadedBundle {
  /** The bundle's `module.exports`. */
  exports: Record<string, unknown>;
  cache: CacheState;
  /** A `hit` whose file is older than an hour: `save()` writes it again, with what this run compiled added. */
  refresh: boolean;
  /** Cache file used or to be written, when the cache is on. */
  cacheFile?: string;
  /**
   * Writes the cache from what has been compiled so far, when there was none,
   * V8 rejected it or it is due a refresh (call on exit); a no-op otherwise.
   * The same for each chunk the bundle loaded. Never throws.
   */
  save(): void;
}

export interface LoadOptions {
  /** Environment read for the directory and the off switches (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** The command word, one cache per word (e.g. `migrate`; anything else shares `default`). */
  command?: string;
}

/** `// hermes-codex <version> build <16 hex>`, the bundle's first line (after {@link WRAPPER_HEAD} when it is written wrapped). */
const BUILD_LINE = /^\/\/ hermes-codex \S+ build ([0-9a-f]{16})\n/;
/**
 * The CommonJS wrapper the bundle runs in, as `require()` gives it. scripts/bundle-cli.mjs writes the
 * bundle already inside it (`WRAPPER_HEAD` … `\n})`), so the text read is the text compiled: wrapping it
 * here would copy the megabyte into V8's heap on every start (about 2.5 ms, and a garbage collection;
 * docs/performance.md, fourteenth session). A file without it (an older build, the tests' small ones) is wrapped here.
 */
export const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const STALE_MS = 7 * 24 * 3600 * 1000;
const REFRESH_MS = 3600 * 1000;

/**
 * The cache directory the environment asks for, or null when the cache is
 * off. Pure: `uid` is `process.getuid()` (absent on Windows).
 */
export function cacheDirectory(env: NodeJS.ProcessEnv, tmpdir: string, uid: number | undefined): string | null {
  if (env.NODE_DISABLE_COMPILE_CACHE) return null;
  const set = env.HERMES_CODEX_COMPILE_CACHE;
  if (set !== undefined && set !== '') return /^(0|false|off|no)$/i.test(set) ? null : path.resolve(set);
  return path.join(tmpdir, `hermes-codex-compile-cache${uid === undefined ? '' : `-${uid}`}`);
}

/** Creates `dir` (mode 0700) and says whether bytecode may be trusted from it: a directory, not a link, ours, writable only by us. */
export function isPrivateDirectory(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return false;
    if (process.platform === 'win32') return true;
    return st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** The word the cache is kept under: the first argument if it looks like a command, else `default`. */
export function commandWord(argv: readonly string[]): string {
  const first = argv[0];
  return first !== undefined && /^[a-z][a-z0-9-]{0,31}$/.test(first) ? first : 'default';
}

/**
 * Loads the CommonJS bundle at `file` (absolute path) and runs its top level,
 * like `require(file)`, with the code cache described above. Throws what
 * reading or running the bundle throws.
 */
export function loadBundle(file: string, opts: LoadOptions = {}): LoadedBundle {
  const source = fs.readFileSync(file, 'latin1'); // esbuild writes ASCII (charset: 'ascii'); latin1 decodes it fastest
  const wrapped = source.startsWith(WRAPPER_HEAD);
  const build = BUILD_LINE.exec(wrapped ? source.slice(WRAPPER_HEAD.length, WRAPPER_HEAD.length + 64) : source)?.[1];
  const wanted = build ? cacheDirectory(opts.env ?? process.env, os.tmpdir(), process.getuid?.()) : null;
  const dir = wanted && isPrivateDirectory(wanted) ? wanted : null;
  // The flags this Node runs under: its own command line and the NODE_OPTIONS it started with.
  const prefix = `${build}-${process.version}-${process.arch}${flagsKey(process.execArgv, process.env.NODE_OPTIONS)}-`;
  const cacheFile = dir ? path.join(dir, `${prefix}${opts.command ?? 'default'}.v8`) : undefined;
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  // The wrapper shares the first line with the build comment, so line numbers in stack traces match the file.
  const script = new vm.Script(wrapped ? source : `${WRAPPER_HEAD}${source}\n})`, { filename: file, cachedData });
  const cache: CacheState = !cacheFile ? 'off' : !cachedData ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  const refresh = cache === 'hit' && isOlderThan(cacheFile!, REFRESH_MS);
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} as Record<string, unknown>, filename: file, id: file };
  const chunks: LoadedBundle[] = [];
  fn.call(module.exports, module.exports, bundleRequire(file, opts, chunks), module, file, path.dirname(file));
  return {
    exports: module.exports,
    cache,
    refresh,
    cacheFile,
    save() {
      for (const c of chunks) c.save();
      if (!cacheFile || !dir || cache === 'off' || (cache === 'hit' && !refresh)) return;
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        // Written in full and flushed before it takes the cache's name: V8 in release builds does not
        // checksum a code cache (--verify-snapshot-checksum is off), so a file left half-written by a
        // crash or a power cut must never be the one read.
        const fd = fs.openSync(tmp, 'w', 0o600);
        try {
          fs.writeFileSync(fd, script.createCachedData());
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
        fs.renameSync(tmp, cacheFile);
        pruneStale(dir, prefix);
      } catch {
        // A cache is an optimisation: a full disk or a racing writer costs speed, never the command.
        try {
          fs.unlinkSync(tmp);
        } catch {
          // Not written at all, or already renamed.
        }
      }
    },
  };
}

/** How a bundle requires one of its chunks (scripts/bundle-cli.mjs): `hermes-codex-chunk:<name>`, the file `<name>.cjs` beside it. */
export const CHUNK_PREFIX = 'hermes-codex-chunk:';

/**
 * The `require` a bundle runs with: Node's, resolving from the bundle's own
 * file, except that a chunk (`hermes-codex-chunk:<name>`) is loaded from
 * `<name>.cjs` beside the bundle with {@link loadBundle}, through its own code
 * cache (kept under the same command word), once; `loaded` collects the chunks
 * so the bundle's `save()` saves theirs too.
 * @throws Error for a chunk name that is not a plain word, and what loading the chunk throws
 */
function bundleRequire(file: string, opts: LoadOptions, loaded: LoadedBundle[]): NodeJS.Require {
  const base = createRequireFor(file);
  const byName = new Map<string, LoadedBundle>();
  const chunkRequire = (id: string): unknown => {
    if (!id.startsWith(CHUNK_PREFIX)) return base(id);
    const name = id.slice(CHUNK_PREFIX.length);
    let chunk = byName.get(name);
    if (!chunk) {
      if (!/^[a-z0-9-]{1,64}$/.test(name)) throw new Error(`${file} requires a chunk with an unusable name: ${JSON.stringify(name)}`);
      chunk = loadBundle(path.join(path.dirname(file), `${name}.cjs`), opts);
      byName.set(name, chunk);
      loaded.push(chunk);
    }
    return chunk.exports;
  };
  return Object.assign(chunkRequire, { resolve: base.resolve, cache: base.cache, main: base.main, extensions: base.extensions }) as NodeJS.Require;
}

/**
 * `module.createRequire(file)`, taken from CommonJS's own `Module` (`module.constructor`, the very
 * object `node:module` exports): loading the `node:module` built-in brings Node's ES module loader
 * and source maps with it, about 1 ms of every start (measured), for a function already loaded.
 */
function createRequireFor(file: string): NodeJS.Require {
  const Module = module.constructor as Partial<typeof import('node:module')>;
  return typeof Module.createRequire === 'function' ? Module.createRequire(file) : (require('node:module') as typeof import('node:module')).createRequire(file);
}

/**
 * A short key for Node's own flags (`node --max-old-space-size=… hermes-codex`,
 * `NODE_OPTIONS`): V8 refuses a cache made under other flags, so runs with
 * and without them keep separate files instead of rewriting one in turn.
 * Empty without flags.
 */
export function flagsKey(execArgv: readonly string[], nodeOptions: string | undefined): string {
  const own: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') i++; // the script, not a flag
    else if (a.startsWith('-') && !/^--(eval|print)=/.test(a)) own.push(a);
  }
  const flags = [...own, nodeOptions ?? ''].join(' ').trim();
  if (!flags) return '';
  // FNV-1a, 32 bits: a file name, not a secret (node:crypto would cost ~5 ms of start-up to load here).
  let h = 0x811c9dc5;
  for (let i = 0; i < flags.length; i++) h = Math.imul(h ^ flags.charCodeAt(i), 0x01000193) >>> 0;
  return `-${h.toString(16).padStart(8, '0')}`;
}

/** Whether `file` was last written more than `ms` ago (false when it cannot be read). */
function isOlderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs > ms;
  } catch {
    return false;
  }
}

/** Removes other builds' cache files untouched for a week (upgrades leave them behind). */
function pruneStale(dir: string, keepPrefix: string): void {
  const now = Date.now();
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(keepPrefix) || !(name.endsWith('.v8') || name.endsWith('.tmp'))) continue;
    const file = path.join(dir, name);
    try {
      if (now - fs.statSync(file).mtimeMs > STALE_MS) fs.unlinkSync(file);
    } catch {
      // Another process pruned it first.
    }
  }
}

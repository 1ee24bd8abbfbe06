/**
 * The context every doctor check shares. Each value is computed at most
 * once, on first use, so checks running concurrently never spawn or parse
 * the same thing twice (one `codex --version`, one parse of each config,
 * one live codex for all --live checks).
 */
import { resolveWorkspace, type Workspace, type WorkspaceOptions } from '../core/workspace.js';
import * as path from 'node:path';
import { HermesCodexError } from '../core/errors.js';
import type { FileSystem } from '../fs/filesystem.js';
import { readTextFile } from '../fs/read-text.js';
import { parseHermesConfig, modelSetting, type HermesConfig } from '../config/hermes-config.js';
import { parseCodexToml, type TomlTable } from '../config/codex-toml.js';
import { defaultCodexHomePath, hermesRoot, listProfiles, ownProfileCodexHome, resolveCodexHomeFor, resolveHermesConfig, type CodexHomeLocation, type Environment, type HermesConfigLocation } from '../core/paths.js';
import { migrateCommandLine } from '../core/hints.js';
import { findOnPath, resolveCodexBinary, type CodexBinary, codexNotFound } from '../codex/binary.js';
import { checkCodexHomeWithLoader, type LoaderVerdict } from '../codex/loader.js';
import type { RunCommand } from '../core/process.js';
import { checkCodexVersion, type CodexVersionInfo } from '../runtime/version.js';
import { startCheckedClient, type CheckedClient } from '../runtime/start.js';
import { readState, type OwnershipState } from '../migrate/state.js';
import type { ClientOptions } from '../runtime/client.js';

/** doctor's options: the workspace (or the effect and location options to resolve one from) and doctor's own injections. */
export interface DoctorOptions extends WorkspaceOptions {
  /** Start codex for --live checks (default startCheckedClient; injectable for tests). */
  startClient?: (opts: ClientOptions) => Promise<CheckedClient>;
  /** Find an executable on PATH (default `which`). */
  findOnPath?: (name: string, pathEnv: string | undefined) => Promise<string | null>;
}

type Result<T> = { ok: true; value: T } | { ok: false; error: HermesCodexError };

function lazy<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

async function attempt<T>(fn: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof HermesCodexError) return { ok: false, error: err };
    throw err;
  }
}

export interface ConfigTomlInfo {
  path: string;
  /** null when the file does not exist. */
  text: string | null;
  doc: TomlTable | null;
  error?: HermesCodexError;
}

export interface ProfileInfo {
  name: string;
  dir: string;
  /** The profile's own `<dir>/codex` when it exists, else the default CODEX_HOME. */
  codexHome: string;
  isolated: boolean;
}

/**
 * What one doctor run's checks share: the workspace (resolved once from
 * `opts`), PATH lookups, and lazily computed, memoised results (the Hermes
 * config, CODEX_HOME, the codex binary and its version, config.toml, codex's
 * loader verdict, the ownership record, the profiles, the live app-server
 * and its account). Checks read from it; none resolves the environment again.
 */
export class DoctorContext {
  readonly findOnPath: (name: string) => Promise<string | null>;
  private liveClient: CheckedClient | undefined;

  /** The workspace this doctor run checks: resolved once, handed to migrate by --fix. */
  readonly ws: Workspace;

  /** The workspace's file system, runner, environment, paths environment and clock, for the checks. */
  get fs(): FileSystem {
    return this.ws.fs;
  }
  get run(): RunCommand {
    return this.ws.run;
  }
  get env(): Record<string, string | undefined> {
    return this.ws.env;
  }
  get e(): Environment {
    return this.ws.e;
  }
  get now(): () => Date {
    return this.ws.now;
  }

  /** What a running check is waiting for, by check id, for the progress line (see {@link waitingFor}). */
  readonly waiting = new Map<string, string>();
  /** Set by the runner: called when a check says what it is waiting for. */
  onWaiting: (() => void) | undefined;

  /** A running check says what it waits for (e.g. the MCP servers codex is starting); the progress line shows it. */
  waitingFor(checkId: string, what: string): void {
    this.waiting.set(checkId, what);
    this.onWaiting?.();
  }

  constructor(readonly opts: DoctorOptions = {}) {
    this.ws = resolveWorkspace(opts);
    const find = opts.findOnPath ?? findOnPath;
    this.findOnPath = (name) => find(name, this.env['PATH']);
  }

  /** The Hermes config (missing is not an error for doctor: Hermes may live elsewhere). */
  readonly hermes = lazy(async (): Promise<Result<{ loc: HermesConfigLocation; config: HermesConfig | null }>> =>
    attempt(async () => {
      const loc = await resolveHermesConfig(this.fs, this.e, this.ws.locations);
      const file = await readTextFile(this.fs, loc.path, 'Hermes config', { missingOk: true });
      return { loc, config: file ? parseHermesConfig(file.text, loc.path) : null };
    }),
  );

  /** CODEX_HOME: `--codex-home`, `--profile` (its own `codex` dir), `$CODEX_HOME`, or `~/.codex`. */
  readonly codexHome = lazy(async (): Promise<Result<CodexHomeLocation>> =>
    attempt(async () => {
      return resolveCodexHomeFor(this.fs, this.e, this.ws.locations);
    }),
  );

  /**
   * The `hermes-codex migrate` command line for this run's Hermes config and
   * CODEX_HOME (with `extra` arguments), for remediations: a profile with its
   * own CODEX_HOME gets `--profile NAME --codex-home DIR`, not a bare command
   * that would migrate the default config into ~/.codex.
   */
  async migrateCommand(extra: readonly string[] = []): Promise<string> {
    const home = await this.codexHome();
    return migrateCommandLine({ ...this.ws.locations, codexHome: home.ok ? home.value : undefined }, extra);
  }

  readonly codexBinary = lazy(async (): Promise<CodexBinary | null> => {
    const h = await this.hermes();
    const setting = h.ok && h.value.config ? modelSetting(h.value.config, 'codex_bin') : undefined;
    return resolveCodexBinary({
      ...(this.ws.locations.codexBin ? { flag: this.ws.locations.codexBin } : {}),
      ...(setting ? { hermesSetting: setting } : {}),
      pathEnv: this.env['PATH'],
      cwd: this.e.cwd,
    });
  });

  /** Where the codex binary is on disk: its path when it names one that exists, else found on PATH; null when it is not there. */
  readonly codexExecutable = lazy(async (): Promise<string | null> => {
    const bin = await this.codexBinary();
    if (!bin) return null;
    if (!bin.path.includes('/')) return this.findOnPath(bin.path);
    return (await this.fs.stat(bin.path).catch(() => null)) ? bin.path : null;
  });

  /** One `codex --version` for the whole run. */
  readonly codexVersion = lazy(async (): Promise<Result<CodexVersionInfo> | null> => {
    const bin = await this.codexBinary();
    // A configured name or path that is not there is codex.binary's failure; asking it for a version would fail it twice.
    return bin && (await this.codexExecutable()) ? attempt(() => checkCodexVersion(this.run, bin.path, this.env)) : null;
  });

  readonly configToml = lazy(async (): Promise<ConfigTomlInfo | null> => {
    const home = await this.codexHome();
    if (!home.ok || !home.value.exists) return null;
    const p = path.join(home.value.path, 'config.toml');
    try {
      const file = await readTextFile(this.fs, p, 'Codex config', { missingOk: true });
      if (!file) return { path: p, text: null, doc: null };
      try {
        return { path: p, text: file.text, doc: parseCodexToml(file.text, p) };
      } catch (err) {
        return { path: p, text: file.text, doc: null, error: err as HermesCodexError };
      }
    } catch (err) {
      if (err instanceof HermesCodexError) return { path: p, text: null, doc: null, error: err };
      throw err;
    }
  });

  /** Codex's own loader on the real CODEX_HOME (it only reads). */
  readonly loader = lazy(async (): Promise<LoaderVerdict | null> => {
    const [bin, home, version] = await Promise.all([this.codexBinary(), this.codexHome(), this.codexVersion()]);
    if (!bin || !home.ok || !home.value.exists || !version?.ok) return null;
    return this.oneCodexAtATime(() => checkCodexHomeWithLoader(this.run, bin.path, home.value.path, this.env, version.value.version));
  });

  readonly state = lazy(async (): Promise<OwnershipState | null> => {
    const home = await this.codexHome();
    return home.ok && home.value.exists ? (await readState(this.fs, home.value.path)).state : null;
  });

  /** Hermes profiles with the CODEX_HOME each one uses. */
  readonly profiles = lazy(async (): Promise<ProfileInfo[]> => {
    const root = hermesRoot(this.e, this.ws.locations.hermesRoot);
    const defaultHome = defaultCodexHomePath(this.e);
    const out: ProfileInfo[] = [];
    for (const name of await listProfiles(this.fs, root)) {
      const own = await ownProfileCodexHome(this.fs, root, name);
      out.push({ name, dir: path.join(root, 'profiles', name), codexHome: own ?? defaultHome, isolated: own !== null });
    }
    return out;
  });

  /** One live codex for every --live check; closed by {@link DoctorContext.close}. */
  readonly live = lazy(async (): Promise<CheckedClient> => {
    const [bin, home] = await Promise.all([this.codexBinary(), this.codexHome()]);
    if (!bin) throw codexNotFound();
    if (!home.ok) throw home.error;
    const start = this.opts.startClient ?? startCheckedClient;
    this.liveClient = await this.oneCodexAtATime(() => start({ codexBin: bin.path, codexHome: home.value.path, env: this.env, cwd: this.e.cwd, requestTimeoutMs: 20_000, run: this.run } as ClientOptions));
    return this.liveClient;
  });

  private codexStarts: Promise<unknown> = Promise.resolve();

  /**
   * Runs `fn` (codex's loader, or the live app-server's start up to its
   * `initialize` answer) after the previous one has settled. Two codex
   * processes starting at once on a new CODEX_HOME can both try to create its
   * state database, and one exits (codex 0.150: "failed to initialize sqlite
   * state runtime", seen in the version matrix under load); the checks
   * themselves still run concurrently.
   */
  private oneCodexAtATime<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.codexStarts.then(fn, fn);
    this.codexStarts = p.catch(() => undefined);
    return p;
  }

  /** `account/read` once, for auth.live and the smoke turn. */
  readonly account = lazy(async () => {
    const { client } = await this.live();
    return (await client.request('account/read', {})) as { account: { type?: string; planType?: string } | null; requiresOpenaiAuth: boolean };
  });

  async close(): Promise<void> {
    await this.liveClient?.client.close(1000);
  }
}


/**
 * `migrate()`: the main job, as a library call. Reads the Hermes config and
 * config.toml, plans the new managed block (`plan.ts`), validates the whole
 * result (our parse, the user-data invariant, Codex's own loader when codex
 * is available), and writes it atomically with a backup — or, with
 * `dryRun`, writes nothing and returns the diff.
 */
import { resolveWorkspace, type Workspace, type WorkspaceOptions } from '../core/workspace.js';
import * as os from 'node:os';
import * as path from 'node:path';
import { ValidationRefusedError } from '../core/errors.js';
import { parseHermesConfig, modelSetting, type HermesConfig } from '../config/hermes-config.js';
import { asWriteError, isOurTempFile, readOnlyFile, readOnlyRemediation, type FileSystem } from '../fs/filesystem.js';
import { readTextFile, type TextFile } from '../fs/read-text.js';
import { ensureCodexHome, profileCodexHomePath, resolveCodexHomeFor, resolveHermesConfig, hermesRoot as resolveHermesRoot, type CodexHomeLocation, type Environment, type HermesConfigLocation } from '../core/paths.js';
import { findOnPath, resolveCodexBinary, type CodexBinary } from '../codex/binary.js';
import type { LoaderCheck, LoaderVerdict } from '../codex/loader.js';
import { compareVersions, SUPPORTED_FLOOR, TESTED_CODEX_VERSION, untestedNote } from '../codex/capabilities.js';
import type { RunCommand } from '../core/process.js';
import { END_MARKER, START_MARKER } from './block-render.js';
import { HERMES_TOOLS_FIXED_ENV, hermesToolsImportProblem, isUnderTemporaryDir, resolveHermesPython } from './hermes-tools.js';
import { DEFAULT_PERMISSIONS_PROFILE, planMigration, type MigrationOutcome, type MigrationPlan, type PermissionsOutcome, type PlanInput, type PluginInput } from './plan.js';
import { clearStaleLock, diskLock, type LockFn } from './lock.js';
import { BACKUP_SUFFIX, READ_ONLY_ELSEWHERE, keepStateBackup, replaceConfigWithBackup } from './backup.js';
import type { DiscoverOptions } from '../plugins/discover.js';
import type { PluginListing } from '../plugins/decide.js';
import { STATE_SCHEMA_VERSION, readState, writeState, type OwnershipState, type RecordedOptions } from './state.js';
import { retryWhileChanging, type WriteRetryBounds } from './retry.js';
import type { MigrationReport } from './report.js';
import { keepMemo, memoKey, planningBuild, recallMemo, type MemoInputs } from './memo.js';
import { traced, tracedAsync } from '../core/trace.js';

export { BACKUP_SUFFIX };

/**
 * migrate's options: the workspace (or the effect and location options to
 * resolve one from: `--hermes-config`, `--profile`, `--hermes-root`,
 * `--codex-home`, `--codex-bin`, see {@link WorkspaceOptions}) and the
 * migration's own settings.
 */
export interface MigrateOptions extends WorkspaceOptions {
  /** Write the hermes-tools callback entry (default true). */
  hermesTools?: boolean;
  /** `--hermes-python PATH`. */
  hermesPython?: string;
  /** `default_permissions` profile; false for `--no-permissions` (default `:workspace`). */
  permissions?: string | false;
  /** Write nothing; the report carries the diff. */
  dryRun?: boolean;
  /** Include the diff in the report on a real run too. */
  includeDiff?: boolean;
  /** Validate with Codex's loader when a codex binary is found (default true). */
  validateWithCodex?: boolean;
  /** Print secret values in diffs (default false: redacted). */
  showSecrets?: boolean;
  /** Directories counted as temporary (HERMES_HOME is never written literally under them). */
  tmpRoots?: string[];
  /** Discover installed Codex plugins and manage them in the block (default true; `--no-plugins`). */
  plugins?: boolean;
  /** Plugin discovery deadline in ms (default 8,000; `--plugin-timeout`). */
  pluginTimeoutMs?: number;
  /** Plugin discovery (default: a short-lived codex app-server; injectable for tests). */
  discover?: (opts: DiscoverOptions) => Promise<PluginListing>;
  /** The cross-process lock (default: a lock directory beside config.toml; see lock.ts). */
  lock?: LockFn;
  /** Progress for people: called when a slow step starts (`done` false) and ends (`done` true). */
  onProgress?: (step: string, done: boolean) => void;
  /**
   * Answer a re-run whose inputs are those of the last run that changed
   * nothing from that run's memo (memo.ts; default true; `--no-memo`
   * plans in full).
   */
  memo?: boolean;
  /** Bounds on re-planning when config.toml keeps changing (default {@link WRITE_RETRY}: 40 attempts, 15 s). */
  writeRetry?: WriteRetryBounds;
}

/**
 * The migrate options a recorded run used (the ownership record's `options`),
 * so a later run for doctor --fix or its drift check compares like with like.
 * The inverse of what migrate() records.
 */
export function optionsFromRecord(r: RecordedOptions): Pick<MigrateOptions, 'hermesTools' | 'permissions' | 'plugins' | 'hermesPython'> {
  return { hermesTools: r.hermesTools, permissions: r.permissions ?? false, plugins: r.plugins, ...(r.hermesPython ? { hermesPython: r.hermesPython } : {}) };
}

/** Everything migrate reads and resolves before planning (see {@link prepareMigration}). */
export interface PreparedMigration {
  /** The workspace the migration ran in. */
  ws: Workspace;
  fs: FileSystem;
  run: RunCommand;
  env: Record<string, string | undefined>;
  e: Environment;
  hermesLoc: HermesConfigLocation;
  hermes: HermesConfig;
  codexHome: CodexHomeLocation;
  configPath: string;
  existing: TextFile | null;
  state: OwnershipState | null;
  stateProblem: string | undefined;
  hermesTools: PlanInput['hermesTools'];
  permissions: string | null;
  /** The codex binary; null when none was found, or when neither validation nor plugin discovery is on. */
  codexBin: CodexBinary | null;
}

/** What migrate reads before it parses anything: locations, texts, the record and the resolved hermes-tools input. */
interface MigrationSources {
  ws: Workspace;
  hermesLoc: HermesConfigLocation;
  hermesFile: TextFile;
  codexHome: CodexHomeLocation;
  configPath: string;
  existing: TextFile | null;
  state: OwnershipState | null;
  stateProblem: string | undefined;
  /** The record's text, whenever it could be read (the memo's key). */
  stateText: string | null;
  hermesTools: PlanInput['hermesTools'];
  permissions: string | null;
}

/**
 * Resolve and read migrate's inputs: the Hermes config, CODEX_HOME,
 * config.toml, the ownership record, the hermes-tools interpreter, the
 * permissions profile and the codex binary. Reads only; used by `migrate()`
 * and by doctor's drift check.
 * @throws the same input errors as migrate()
 */
export async function prepareMigration(opts: MigrateOptions = {}): Promise<PreparedMigration> {
  return parseSources(opts, await readSources(opts));
}

/** prepareMigration's reads: everything but the parse of config.yaml and the codex binary. */
async function readSources(opts: MigrateOptions): Promise<MigrationSources> {
  const ws = resolveWorkspace(opts);
  const { fs, run, env, e, locations: loc } = ws;

  const hermesLoc = await resolveHermesConfig(fs, e, loc);
  const hermesFile = await tracedAsync('read-hermes', async () => (await readTextFile(fs, hermesLoc.path, 'Hermes config', {
    remediation: 'Pass --hermes-config PATH, --profile NAME, or set HERMES_HOME to the directory holding config.yaml.',
  }))!);

  // --profile with its own CODEX_HOME (`profile setup`) migrates into it, as doctor, turn and runtime read it.
  const codexHome = await resolveCodexHomeFor(fs, e, loc);
  const configPath = path.join(codexHome.path, 'config.toml');
  const { existing, state, stateProblem, stateText } = await tracedAsync('read-codex', async () => {
    if (!codexHome.exists) return { existing: null, state: null, stateProblem: undefined, stateText: null };
    const existing = await readTextFile(fs, configPath, 'Codex config', { missingOk: true });
    const { state, problem: stateProblem, text } = await readState(fs, codexHome.path);
    return { existing, state, stateProblem, stateText: text ?? null };
  });

  // hermes-tools: interpreter lookup, and HERMES_HOME literal only for a profile's own CODEX_HOME.
  let hermesTools: PlanInput['hermesTools'] = null;
  if (opts.hermesTools !== false) {
    const root = resolveHermesRoot(e, loc.hermesRoot);
    const python = await resolveHermesPython({
      ...(opts.hermesPython ? { flag: opts.hermesPython } : {}),
      ...(env['HERMES_PYTHON'] ? { envValue: env['HERMES_PYTHON'] } : {}),
      hermesRoot: root,
      isExecutable: async (p) => (await fs.stat(p).catch(() => null))?.isFile() ?? false,
      findOnPath: (name) => findOnPath(name, env['PATH']),
    });
    // A python3 guessed from PATH: ask it, so migrate and doctor give one verdict in the same words.
    if (python.source === 'path') {
      const problem = await hermesToolsImportProblem(run, python.command, env, HERMES_TOOLS_FIXED_ENV);
      if (problem) python.warning = `no Hermes virtualenv under ${root}, and ${problem.summary} (${problem.why}): pass --hermes-python (or set HERMES_PYTHON) to the interpreter Hermes runs under`;
      else delete python.warning;
    }
    const tmpRoots = opts.tmpRoots ?? [os.tmpdir(), '/tmp', '/var/tmp'];
    const ownsCodexHome =
      hermesLoc.profileDir !== undefined &&
      path.resolve(codexHome.path) === profileCodexHomePath(root, hermesLoc.profile!) &&
      !isUnderTemporaryDir(hermesLoc.profileDir, tmpRoots);
    hermesTools = ownsCodexHome ? { python, literalHermesHome: hermesLoc.profileDir! } : { python };
  }
  const permissions = opts.permissions === false ? null : opts.permissions ?? DEFAULT_PERMISSIONS_PROFILE;
  return { ws, hermesLoc, hermesFile, codexHome, configPath, existing, state, stateProblem, stateText, hermesTools, permissions };
}

/** The rest of prepareMigration: config.yaml parsed, and the codex binary when the run needs one. */
async function parseSources(opts: MigrateOptions, s: MigrationSources): Promise<PreparedMigration> {
  const hermes = traced('read-hermes', () => parseHermesConfig(s.hermesFile.text, s.hermesLoc.path));
  const codexBin = await codexFor(opts, s.ws, modelSetting(hermes, 'codex_bin') ?? null);
  const { ws, hermesLoc, codexHome, configPath, existing, state, stateProblem, hermesTools, permissions } = s;
  return { ws, fs: ws.fs, run: ws.run, env: ws.env, e: ws.e, hermesLoc, hermes, codexHome, configPath, existing, state, stateProblem, hermesTools, permissions, codexBin };
}

/**
 * The codex binary, when the run needs one (to validate or to discover
 * plugins; with both off it is not looked up): `--codex-bin`, config.yaml's
 * `model.codex_bin` (`setting`), then PATH.
 */
async function codexFor(opts: MigrateOptions, ws: Workspace, setting: string | null): Promise<CodexBinary | null> {
  if (opts.validateWithCodex === false && opts.plugins === false) return null;
  return resolveCodexBinary({
    ...(ws.locations.codexBin ? { flag: ws.locations.codexBin } : {}),
    ...(setting ? { hermesSetting: setting } : {}),
    pathEnv: ws.env['PATH'],
    cwd: ws.e.cwd,
  });
}

type PluginsOutcome = { plugins: PluginInput; pluginWarnings: string[]; codexVersion?: string };

/**
 * Installed Codex plugins for the plan: discovery through codex (on a
 * private copy, see plugins/discover.ts), never fatal — without it every
 * plugin table stays as it is. Also returns the codex version discovery
 * learned, so the loader need not ask again. `whileStarting` runs once codex
 * has been spawned (or discovery has ended without spawning it; never when
 * discovery is skipped), so what it does overlaps codex's start-up; when it
 * throws, discovery is abandoned (codex is told to exit and has exited) and
 * the error is what this throws. Discovery's clean-up (codex's exit, its
 * private CODEX_HOME's removal) goes in `pending`.
 */
async function pluginsForPlan(
  opts: MigrateOptions,
  codexBin: CodexBinary | null,
  codexHome: CodexHomeLocation,
  env: Record<string, string | undefined>,
  run: RunCommand,
  pending: Promise<unknown>[],
  whileStarting: () => void,
): Promise<PluginsOutcome> {
  if (opts.plugins === false) return { plugins: { status: 'skipped', reason: 'disabled (--no-plugins)' }, pluginWarnings: [] };
  if (!codexHome.exists) return { plugins: { status: 'skipped', reason: `CODEX_HOME ${codexHome.path} is new${opts.dryRun ? ' (a real run creates it)' : ' (this run creates it)'}, so no plugins are installed in it yet` }, pluginWarnings: [] };
  if (!codexBin) return { plugins: { status: 'failed', error: 'codex not found (pass --codex-bin, set model.codex_bin, or put codex on PATH)' }, pluginWarnings: [] };
  return tracedAsync('plugins', () => discoverForPlan(opts, codexBin, codexHome, env, run, pending, whileStarting));
}

/** pluginsForPlan's discovery itself (progress, the app-server, the work alongside it). */
async function discoverForPlan(
  opts: MigrateOptions,
  codexBin: CodexBinary,
  codexHome: CodexHomeLocation,
  env: Record<string, string | undefined>,
  run: RunCommand,
  pending: Promise<unknown>[],
  whileStarting: () => void,
): Promise<PluginsOutcome> {
  const step = 'querying codex for installed plugins';
  opts.onProgress?.(step, false);
  try {
    // The app-server client is loaded only when discovery runs (start-up cost, see docs/performance.md).
    const discover = opts.discover ?? (await import('../plugins/discover.js')).discoverPlugins;
    const abandon = new AbortController();
    let spawned!: () => void;
    const codexSpawned = new Promise<void>((resolve) => (spawned = resolve));
    // A synchronous throw becomes the outcome too.
    const outcome = discoveryOutcome((async () => discover({
      codexBin: codexBin.path,
      codexHome: codexHome.path,
      env,
      ...(opts.pluginTimeoutMs !== undefined ? { timeoutMs: opts.pluginTimeoutMs } : {}),
      run,
      signal: abandon.signal,
      onSpawned: spawned,
      afterwards: (cleanup) => void pending.push(cleanup),
    }))());
    // codex first: its start-up is the longest wait of the run, and nothing else may hold up its spawn.
    await Promise.race([codexSpawned, outcome]);
    try {
      whileStarting();
    } catch (err) {
      abandon.abort();
      await outcome;
      throw err;
    }
    return await outcome;
  } finally {
    opts.onProgress?.(step, true);
  }
}

/** Discovery's answer, or its failure, as the plan's plugin input (never rejects). */
async function discoveryOutcome(listing: Promise<PluginListing>): Promise<PluginsOutcome> {
  try {
    const reply = await listing;
    const v = (reply as { codexVersion?: unknown }).codexVersion;
    return { plugins: { status: 'discovered', rows: reply.plugins }, pluginWarnings: [...reply.warnings], ...(typeof v === 'string' ? { codexVersion: v } : {}) };
  } catch (err) {
    return { plugins: { status: 'failed', error: (err as Error).message }, pluginWarnings: [] };
  }
}

/**
 * Migrate Hermes' MCP servers into Codex's config.toml managed block.
 * Each phase is a span on `diagnostics_channel` (see trace.ts).
 * @returns the report (also when some servers failed: check `servers.failed`)
 * @throws HermesCodexError subclasses for unusable input or a refused write (nothing written)
 */
export function migrate(opts: MigrateOptions = {}): Promise<MigrationReport> {
  return tracedAsync('migrate', () => runMigration(opts));
}

async function runMigration(opts: MigrateOptions): Promise<MigrationReport> {
  const pending: Promise<unknown>[] = [];
  try {
    return await migrateOnce(opts, pending);
  } finally {
    await Promise.all(pending); // never leave a codex process or its temporary CODEX_HOME behind
  }
}

/** migrate()'s body; work it starts and does not wait for (the early validation, discovery's clean-up) goes in `pending`. */
async function migrateOnce(opts: MigrateOptions, pending: Promise<unknown>[]): Promise<MigrationReport> {
  const sources = await readSources(opts);
  const recorded = recordedOptions(opts, sources.permissions);
  // A re-run whose inputs are those of the last run that changed nothing answers from its memo (memo.ts).
  const key = memoable(opts, sources) ? memoKey(memoInputs(sources, recorded)) : null;
  const memo = key === null ? null : await tracedAsync('memo', () => recallMemo(sources.ws.fs, sources.codexHome.path, key));
  // With plugin discovery, the memo stands only when codex lists the plugins as it did then.
  let early: PluginsOutcome | undefined;
  if (memo) {
    const codexBin = await codexFor(opts, sources.ws, memo.codexBinSetting);
    if (opts.plugins !== false) early = await pluginsForPlan(opts, codexBin, sources.codexHome, sources.ws.env, sources.ws.run, pending, () => undefined);
    if (!early || discoveryText(early) === memo.discovery) {
      if (!sources.ws.fs.lock) await clearStaleLock(sources.codexHome.path).catch(() => false);
      return migrationReport(opts, sources, { changed: false, backup: null, created: false }, memo.outcome, unloadedValidation(opts, codexBin, false, true)!);
    }
  }
  const { ws, fs, run, env, hermes, codexHome, configPath, existing, state, stateProblem, hermesTools, permissions, codexBin } =
    await parseSources(opts, sources);

  const planInput = {
    hermes,
    configPath,
    existingText: existing?.text ?? null,
    state,
    hermesTools,
    permissions,
    now: ws.now(),
    homeDir: ws.e.home,
  };
  let currentText: string | null = existing?.text ?? null;
  let knownCodexVersion: string | undefined;
  const validate = codexValidator({ opts, run, env, codexBin, configPath, knownCodexVersion: () => knownCodexVersion, diskText: () => currentText });
  // While codex starts for plugin discovery: the plan with the plugin tables as they are. It surfaces
  // every input error (malformed TOML, two blocks, a bad mcp_servers) before discovery's answer is
  // used (discovery is then abandoned), and its text goes to codex's loader at once: when discovery
  // changes no plugin table (the usual case) the final plan has the same text and takes that verdict
  // (the validator keeps one per text), so the codex processes overlap instead of queueing.
  const discovered = early ?? await pluginsForPlan(opts, codexBin, codexHome, env, run, pending, () => {
    const preflight = planMigration({ ...planInput, plugins: { status: 'skipped', reason: 'preflight' } });
    pending.push(validate(preflight, existing !== null).catch(() => undefined)); // a rejection counts only for the final text
  });
  const { plugins, pluginWarnings } = discovered;
  knownCodexVersion = discovered.codexVersion;

  const optionsChanged = JSON.stringify(state?.options ?? null) !== JSON.stringify(recorded);
  const addRunWarnings = (p: MigrationPlan) => {
    if (stateProblem) p.warnings.push({ server: null, key: null, message: stateProblem });
    for (const w of pluginWarnings) p.warnings.push({ server: null, key: 'plugins', message: w });
    if (p.plugins.status === 'failed') p.warnings.push({ server: null, key: 'plugins', message: `plugins left as they were: ${p.plugins.error}` });
    return p;
  };

  let plan = addRunWarnings(planMigration({ ...planInput, plugins }));
  let validation = await validate(plan, existing !== null);
  let oldText = existing?.text ?? '';
  let backup: string | null = null;

  // A record of an older version (1: SHA-256 fingerprints; 2: cyrb53 fingerprints for every entry) is written again in today's, config.toml or not.
  const writes = !opts.dryRun && (plan.changed || state === null || optionsChanged || state.schemaVersion !== STATE_SCHEMA_VERSION);
  if (writes) {
    await asWriteError('CODEX_HOME', codexHome.path, () => ensureCodexHome(fs, codexHome));
    const release = await tracedAsync('lock', () =>
      asWriteError('the lock file in', codexHome.path, () => (opts.lock ?? (fs.lock ? (h: string) => fs.lock!(h) : diskLock()))(codexHome.path), codexHome.path),
    );
    // From here on this process is the only hermes-codex writer of this config.toml.
    try {
      await tracedAsync('lock', async () => sweepTempFiles(fs, [codexHome.path, path.dirname(await fs.realpath(configPath).catch(() => configPath))]));
      await retryWhileChanging(configPath, 'migrate', async (attempt) => {
        // Under the lock, from what is on disk now: another writer may have changed it since we planned.
        const current = await readTextFile(fs, configPath, 'Codex config', { missingOk: true });
        const { state: currentState, text: currentRecord } = await readState(fs, codexHome.path);
        // The record compared by its text (parsed, two stringified records cost 10 ms at 1,000 servers).
        if (attempt > 0 || (current?.text ?? null) !== (existing?.text ?? null) || (currentRecord ?? null) !== sources.stateText) {
          currentText = current?.text ?? null;
          plan = addRunWarnings(planMigration({ ...planInput, existingText: current?.text ?? null, state: currentState, plugins }));
          validation = await validate(plan, current !== null);
        }
        oldText = current?.text ?? '';
        if (!plan.changed) return 'done';
        const result = await asWriteError('config.toml', configPath, () => replaceConfigWithBackup(fs, configPath, current?.text ?? null, plan.newText));
        if (result === 'changed') return 'changed';
        backup = result.backup;
        return 'done';
      }, opts.writeRetry);
      // The record that went with the previous file is kept beside it, for --restore.
      await asWriteError('the ownership record in', codexHome.path, async () => {
        if (backup) await tracedAsync('backup', () => keepStateBackup(fs, codexHome.path));
        await tracedAsync('write-record', () => writeState(fs, codexHome.path, { ...plan.newState, options: recorded }));
      }, codexHome.path);
    } finally {
      await tracedAsync('lock', release);
    }
  }
  else if (!opts.dryRun && codexHome.exists && !fs.lock) {
    // Nothing to write: still clear a lock a killed writer left behind (never a live one).
    await clearStaleLock(codexHome.path).catch(() => false);
  }
  if (opts.dryRun && plan.changed && existing) {
    // The real run would refuse it (refuseReadOnlyFile): say so now rather than after the preview.
    const target = await fs.realpath(configPath).catch(() => configPath);
    const readOnly = await readOnlyFile(fs, configPath, target);
    if (readOnly) plan.warnings.push({ server: null, key: null, message: `${readOnly}: a real run will not replace it. ${readOnlyRemediation(target, READ_ONLY_ELSEWHERE)}` });
  }
  // Once per run, as doctor and turn say it: a codex newer than the tested release works, untested.
  const ranVersion = validation.codex === 'accepted' ? validation.codexVersion : undefined;
  if (ranVersion && compareVersions(ranVersion, TESTED_CODEX_VERSION) > 0) {
    plan.warnings.push({ server: null, key: null, message: `${untestedNote(ranVersion)}; it accepted the result` });
  }
  for (const f of validation.codex === 'accepted' ? validation.strictFindings : []) {
    plan.warnings.push({ server: null, key: null, message: `codex --strict-config: ${f.message}${f.line ? ` (line ${f.line})` : ''}` });
  }
  const diff = opts.dryRun || opts.includeDiff
    ? (await import('./diff.js')).unifiedDiff(oldText, plan.newText, 'config.toml', { showSecrets: opts.showSecrets ?? false })
    : undefined;

  const report = migrationReport(opts, sources, { changed: plan.changed, backup, created: !codexHome.exists && !opts.dryRun && plan.changed }, plan, validation);
  // Nothing written and nothing to change: the next run with these very inputs can answer from a memo.
  if (key !== null && !writes && !plan.changed) {
    const kept = { key, codexBinSetting: modelSetting(hermes, 'codex_bin') ?? null, discovery: opts.plugins === false ? null : discoveryText(discovered), outcome: outcomeOf(plan) };
    await tracedAsync('memo', () => keepMemo(fs, codexHome.path, kept));
  }
  if (diff !== undefined) report.diff = diff;
  return report;
}

/** The options a run records with the ownership record (and compares with the last run's). */
function recordedOptions(opts: MigrateOptions, permissions: string | null): RecordedOptions {
  return {
    hermesTools: opts.hermesTools !== false,
    ...(opts.hermesPython ? { hermesPython: opts.hermesPython } : {}),
    permissions,
    plugins: opts.plugins !== false,
  };
}

/**
 * Whether a run may answer from, and keep, a no-change memo: a real run
 * (no dry run, no diff asked for) into a CODEX_HOME holding config.toml and
 * a readable ownership record.
 */
function memoable(opts: MigrateOptions, s: MigrationSources): boolean {
  return opts.memo !== false && !opts.dryRun && !opts.includeDiff && s.codexHome.exists && s.existing !== null && s.state !== null && s.stateText !== null;
}

/** The memo's inputs (memo.ts) from what the run read. */
function memoInputs(s: MigrationSources, recorded: RecordedOptions): MemoInputs {
  return {
    build: planningBuild(),
    hermesLocation: s.hermesLoc,
    hermesText: s.hermesFile.text,
    codexHome: s.codexHome,
    configPath: s.configPath,
    configText: s.existing?.text ?? null,
    recordText: s.stateText,
    options: recorded,
    hermesTools: s.hermesTools,
    homeDir: s.ws.e.home,
  };
}

/** What plugin discovery gave the plan (its listing or failure, and its warnings), as text a memo compares. */
function discoveryText(d: PluginsOutcome): string {
  return JSON.stringify({ plugins: d.plugins, warnings: d.pluginWarnings });
}

/** The part of a plan the report carries (and a memo keeps). */
function outcomeOf(p: MigrationOutcome): MigrationOutcome {
  return {
    servers: p.servers,
    warnings: p.warnings,
    preservedUserTables: p.preservedUserTables,
    recoveredTables: p.recoveredTables,
    permissions: p.permissions,
    hermesTools: p.hermesTools,
    plugins: p.plugins,
    block: p.block,
    keptFromBlock: p.keptFromBlock,
    keptCodexEdits: p.keptCodexEdits,
    repaired: p.repaired,
  };
}

/** The report of a run (fields in the order `--json` prints them). */
function migrationReport(
  opts: MigrateOptions,
  s: MigrationSources,
  run: { changed: boolean; backup: string | null; created: boolean },
  outcome: MigrationOutcome,
  validation: Validation,
): MigrationReport {
  const { hermesLoc, codexHome } = s;
  return {
    schemaVersion: 1,
    dryRun: opts.dryRun ?? false,
    source: hermesLoc.path,
    ...(hermesLoc.profile ? { profile: hermesLoc.profile } : {}),
    ...(hermesLoc.profile && hermesLoc.source === 'HERMES_HOME' ? { profileFromHermesHome: true as const } : {}),
    target: s.configPath,
    codexHome: { path: codexHome.path, source: codexHome.source, created: run.created },
    changed: run.changed,
    backup: run.backup,
    ...outcomeOf(outcome),
    validation,
  };
}

type Validation = MigrationReport['validation'];

/**
 * Codex's own config loader as migrate's last check: a function giving the
 * verdict for a plan (skipped when disabled, without codex, or with nothing
 * to change), one loader run per distinct candidate text (a re-plan under
 * the lock usually yields the same text).
 * @returns a validator; it throws ValidationRefusedError when codex rejects the text
 */
function codexValidator(c: {
  opts: MigrateOptions;
  run: RunCommand;
  env: Record<string, string | undefined>;
  codexBin: CodexBinary | null;
  configPath: string;
  /** The codex version plugin discovery learned, once it has (the loader then skips `codex --version`). */
  knownCodexVersion: () => string | undefined;
  /** The config.toml text on disk the plan was made from (for the line of a rejected user setting). */
  diskText: () => string | null;
}): (p: MigrationPlan, hadFile: boolean) => Promise<Validation> {
  const verdicts = new Map<string, Promise<Validation>>();
  const step = "checking the result with codex's own config loader";
  return (p, hadFile) => {
    const bin = c.codexBin;
    const without = unloadedValidation(c.opts, bin, p.changed, hadFile);
    if (without || !bin) return Promise.resolve(without!);
    let v = verdicts.get(p.newText);
    if (!v) {
      v = (async (): Promise<Validation> => {
        c.opts.onProgress?.(step, false);
        const { checkWithCodexLoader } = await import('../codex/loader.js');
        const verdict = await tracedAsync('codex-validate', () => checkWithCodexLoader(c.run, bin.path, p.newText, c.env, c.knownCodexVersion())).finally(() => c.opts.onProgress?.(step, true));
        if (verdict.status === 'rejected') throw loaderRejection(verdict, p.newText, c.diskText(), c.configPath, p.permissions, verdict.codexVersion ?? c.knownCodexVersion());
        if (verdict.status === 'unavailable') return { codex: 'skipped', reason: verdict.reason, bin: bin.path };
        return {
          codex: 'accepted',
          bin: bin.path,
          strictFindings: verdict.strictFindings,
          check: verdict.check,
          ...(verdict.appServerVersion ? { codexVersion: verdict.appServerVersion } : {}),
        };
      })();
      verdicts.set(p.newText, v);
    }
    return v;
  };
}

/**
 * The verdict when codex's loader is not run: validation off, no codex, or
 * nothing to change in an existing config.toml.
 * @returns that verdict, or null when the loader has to run
 */
function unloadedValidation(opts: MigrateOptions, bin: CodexBinary | null, changed: boolean, hadFile: boolean): Validation | null {
  if (opts.validateWithCodex === false) return { codex: 'skipped', reason: 'disabled (--no-validate)' };
  if (!bin) return { codex: 'skipped', reason: 'codex not found (pass --codex-bin, set model.codex_bin, or put codex on PATH)' };
  if (!changed && hadFile) return { codex: 'skipped', reason: 'nothing to change', bin: bin.path };
  return null;
}

/** Codex's built-in permission profiles (`permissionProfile/list`, codex 0.169; shared/codex-field-notes.md). */
const BUILTIN_PERMISSION_PROFILES = [':workspace', ':read-only', ':danger-full-access'];

/**
 * The error for a config.toml codex's loader rejects: where (the user's own
 * setting on disk, or a line of the new file, inside the block or not) and
 * what to do (when it is the `default_permissions` migrate wrote: the upgrade
 * hint for a codex without built-in `:` profiles, or, for a profile name
 * without the colon, that it is not a built-in one).
 */
function loaderRejection(
  verdict: Extract<LoaderVerdict, { status: 'rejected' }>,
  newText: string,
  diskText: string | null,
  configPath: string,
  permissions: PermissionsOutcome,
  codexVersion: string | undefined,
): ValidationRefusedError {
  const at = lineOnDisk(newText, verdict.error.line, diskText);
  const col = verdict.error.column ? `, column ${verdict.error.column}` : '';
  const where = !verdict.error.line
    ? ''
    : at.onDisk !== undefined
      ? ` (${configPath}:${at.onDisk}, your own setting${col ? `; ${col.slice(2)}` : ''})`
      : ` (line ${verdict.error.line}${col} of the new file${at.inBlock ? ', inside the managed block: see --dry-run' : ''})`;
  const profile = permissions.written ? permissions.profile : null;
  // A codex known to have the built-in profiles is refusing something else (the user's own [permissions], say).
  const builtinsKnown = codexVersion !== undefined && compareVersions(codexVersion, SUPPORTED_FLOOR) >= 0;
  const aboutPermissions = profile !== null && !(builtinsKnown && profile.startsWith(':')) && /default_permissions|\[permissions\]/.test(verdict.error.message);
  const remediation = !aboutPermissions
    ? 'Run with --dry-run to see the new file; fix the Hermes server or your own config.toml setting it names, then run again.'
    : profile.startsWith(':')
      ? // A codex older than the supported floor has no built-in profiles (shared/codex-field-notes.md).
        `${codexVersion !== undefined ? `This codex is ${codexVersion}, older than ${SUPPORTED_FLOOR}, the first release with` : `This codex has no`} built-in \`${profile}\` profile${codexVersion !== undefined ? ' (hermes-codex supports codex ' + SUPPORTED_FLOOR + ' and newer)' : ` (it needs ${SUPPORTED_FLOOR} or newer)`}: upgrade it with \`npm i -g @openai/codex@${TESTED_CODEX_VERSION}\`, or run migrate with --no-permissions.`
      : `\`${profile}\` (from --permissions) is not one of codex's built-in profiles, whose names start with a colon (${BUILTIN_PERMISSION_PROFILES.map((b) => `\`${b}\``).join(', ')}), and config.toml has no \`[permissions.${profile}]\` table: ${
          BUILTIN_PERMISSION_PROFILES.includes(`:${profile}`) ? `pass \`--permissions :${profile}\` for the built-in one, ` : ''
        }define that table, or use --no-permissions.`;
  return new ValidationRefusedError(`codex's config loader (\`${loaderCommand(verdict.check)}\`) rejects the migrated config.toml: ${verdict.error.message}${where}; nothing was written`, {
    location: { file: configPath, ...(at.onDisk !== undefined ? { line: at.onDisk } : {}) },
    remediation,
  });
}

/** The codex command behind a loader verdict. */
function loaderCommand(check: LoaderCheck): string {
  return check === 'print-startup-config' ? 'codex app-server --print-startup-config' : check === 'strict-app-server' ? 'codex app-server --strict-config' : 'codex mcp list';
}

/**
 * Where a line of the new file stands in the file on disk: a line outside
 * the managed block that appears exactly once on disk (the user's own
 * setting) maps to its line there; one inside the block has no line on disk.
 * @param line 1-based line of the new text, as codex's loader reported it
 */
export function lineOnDisk(newText: string, line: number | undefined, oldText: string | null): { onDisk?: number; inBlock: boolean } {
  if (!line) return { inBlock: false };
  const newLines = newText.replace(/^\uFEFF/, '').split(/\r?\n/);
  const start = newLines.findIndex((l) => l.trim() === START_MARKER);
  const end = newLines.findIndex((l) => l.trim() === END_MARKER);
  if (start !== -1 && end !== -1 && line - 1 >= start && line - 1 <= end) return { inBlock: true };
  const text = newLines[line - 1];
  if (text === undefined || oldText === null || text.trim() === '') return { inBlock: false };
  const matches = oldText.replace(/^\uFEFF/, '').split(/\r?\n/).flatMap((l, i) => (l === text ? [i + 1] : []));
  return matches.length === 1 ? { onDisk: matches[0]!, inBlock: false } : { inBlock: false };
}

/** Remove temp files a killed writer left in these directories (call while holding the lock). */
async function sweepTempFiles(fs: FileSystem, dirs: readonly string[]): Promise<void> {
  for (const dir of new Set(dirs)) {
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      if (isOurTempFile(name)) await fs.rm(path.join(dir, name), { force: true }).catch(() => undefined);
    }
  }
}

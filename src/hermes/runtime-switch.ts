/**
 * Hermes' runtime switch: `model.openai_runtime` in config.yaml.
 *
 * Facts from NousResearch/hermes-agent (hermes_cli/codex_runtime_switch.py):
 * the valid values are `auto` and `codex_app_server`; unset, empty or
 * unknown values read as `auto`; switching on first checks that codex is
 * installed, then migrates (a failed migration does not undo the switch);
 * the change applies to new Hermes sessions.
 */
import { resolveWorkspace, withLocations, type WorkspaceOptions } from '../core/workspace.js';
import { ExitCode, LocationError, HermesCodexError } from '../core/errors.js';
import { CODEX_REROUTED_PROVIDERS, parseHermesConfig, isRecord, modelSetting } from '../config/hermes-config.js';
import { readTextFile } from '../fs/read-text.js';
import { refuseReadOnlyFile } from '../fs/filesystem.js';
import { hermesRoot, ownProfileCodexHome, resolveCodexHomeFor, resolveHermesConfig, type CodexHomeLocation } from '../core/paths.js';
import { codexLoginHint, migrateCommandLine } from '../core/hints.js';
import { loginState } from '../codex/login.js';
import { resolveCodexBinary } from '../codex/binary.js';
import { checkCodexVersion, TESTED_CODEX_VERSION } from '../runtime/version.js';
import { migrate, type MigrateOptions } from '../migrate/migrate.js';
import { BACKUP_SUFFIX } from '../migrate/backup.js';
import { HERMES_TOOLS_FIXED_ENV, hermesToolsImportProblem } from '../migrate/hermes-tools.js';
import { setNestedScalar } from './yaml-edit.js';
import { inspectManagedBlock, type BlockState } from '../migrate/inspect.js';

export { OFF_WORDS, ON_WORDS, parseRuntimeWord, type RuntimeValue } from './runtime-words.js';
import type { RuntimeValue } from './runtime-words.js';

/** The runtime a parsed Hermes config selects (unknown values read as auto, as Hermes does). */
export function readRuntime(data: unknown): { value: RuntimeValue; raw: unknown } {
  const model = isRecord(data) && isRecord(data['model']) ? data['model'] : {};
  const raw = model['openai_runtime'];
  return { value: typeof raw === 'string' && raw.trim().toLowerCase() === 'codex_app_server' ? 'codex_app_server' : 'auto', raw: raw ?? null };
}

/** The workspace (or the effect and location options to resolve one from) and the migration settings for `on`. */
export interface SwitchOptions extends WorkspaceOptions {
  /** Extra options for the migration `on` runs. */
  migrate?: Pick<MigrateOptions, 'hermesPython' | 'plugins' | 'hermesTools' | 'permissions' | 'discover' | 'validateWithCodex'>;
  /** `on` even when Hermes' next codex turn cannot work (see {@link RuntimeSwitchRefusedError}); the problems become notes. */
  force?: boolean;
}

/**
 * `runtime on` refused: Hermes' next turn through codex would fail (the migration failed,
 * codex has no login, the hermes-tools callback cannot import its module). Nothing was
 * switched; `problems` are doctor's words for each (exit 1).
 */
export class RuntimeSwitchRefusedError extends HermesCodexError {
  constructor(readonly problems: readonly string[], hermesConfig: string) {
    super(`not switching the codex runtime on: Hermes' next turn through codex would not work:\n${problems.map((p) => `  ✗ ${p}`).join('\n')}\n${hermesConfig} was not changed`, {
      exitCode: ExitCode.partial,
      location: { file: hermesConfig },
      remediation: 'Fix each problem (`hermes-codex doctor` checks them all), then run `hermes-codex runtime on` again; or pass --force to switch anyway.',
    });
  }
}

export interface SwitchReport {
  schemaVersion: 1;
  hermesConfig: string;
  profile?: string;
  previous: RuntimeValue;
  runtime: RuntimeValue;
  /** Whether config.yaml was written. */
  changed: boolean;
  /** The previous config.yaml, kept beside it (`config.yaml.hermes-codex.bak`) when it was written. */
  backup?: string;
  codexVersion?: string;
  codexHome?: string;
  /** The migration `on` ran; `warnings` are its report's, each as `server: message` (or the message alone). */
  migration?: { ok: true; changed: boolean; target: string; backup: string | null; failedServers: string[]; warnings: string[] } | { ok: false; error: string; next: string };
  note: string;
  /** What the switch means beyond the one value: a provider the codex runtime does not take over, a CODEX_HOME shared with other profiles. */
  notes: string[];
}

/**
 * Switch Hermes' runtime on or off. `on` checks codex first (one `codex
 * --version`; refuses without changing anything when codex is missing or too
 * old), migrates, and checks what Hermes' next codex turn needs (a login, a
 * hermes-tools interpreter that imports its module, a migration that worked):
 * with a problem it refuses and config.yaml stays as it was, unless `force`.
 * config.yaml is written only when the value changes (a byte-preserving edit,
 * atomic, the previous file kept as `config.yaml.hermes-codex.bak`); `off`
 * never touches CODEX_HOME.
 * @throws CodexVersionError | ConfigSyntaxError | LocationError (nothing changed)
 * @throws RuntimeSwitchRefusedError (exit 1; config.yaml unchanged, config.toml migrated)
 */
export async function switchRuntime(target: RuntimeValue, opts: SwitchOptions = {}): Promise<SwitchReport> {
  const ws = resolveWorkspace(opts);
  const { fs, env, e, run, locations: where } = ws;
  const loc = await resolveHermesConfig(fs, e, where);
  const file = await readTextFile(fs, loc.path, 'Hermes config', { remediation: 'Run `hermes setup` first, or pass --hermes-config / --profile.' });
  const config = parseHermesConfig(file!.text, loc.path);
  const previous = readRuntime(config.data).value;
  const note = 'The change takes effect for new Hermes sessions; running sessions keep their runtime.';

  let codexVersion: string | undefined;
  if (target === 'codex_app_server') {
    const bin = await resolveCodexBinary({
      ...(where.codexBin ? { flag: where.codexBin } : {}),
      ...(modelSetting(config, 'codex_bin') ? { hermesSetting: modelSetting(config, 'codex_bin')! } : {}),
      pathEnv: env['PATH'],
      cwd: e.cwd,
    });
    if (!bin) {
      throw new HermesCodexError('cannot switch the codex runtime on: codex is not installed (not on PATH)', {
        remediation: `Install it with \`npm i -g @openai/codex@${TESTED_CODEX_VERSION}\`, or set model.codex_bin; nothing was changed.`,
      });
    }
    codexVersion = (await checkCodexVersion(run, bin.path, env)).version;
  }

  const edit = setNestedScalar(file!.text, loc.path, 'model', 'openai_runtime', target);
  const changed = edit.changed && previous !== target;
  // Re-parse what we would write: it must still be valid and say what we mean (before anything runs).
  if (changed && readRuntime(parseHermesConfig(edit.text, loc.path).data).value !== target) {
    throw new HermesCodexError(`internal error: the edited ${loc.path} does not select ${target}; nothing was written`);
  }
  // A config.yaml nobody may write is refused before anything runs (migrate included).
  const real = changed ? await fs.realpath(loc.path) : loc.path;
  if (changed) await refuseReadOnlyFile(fs, loc.path, real, `set \`model.openai_runtime: ${target}\` there`);
  const writeSwitch = async (): Promise<string | undefined> => {
    if (!changed) return undefined;
    // The previous file stays beside it, as migrate keeps config.toml's.
    const backup = `${real}${BACKUP_SUFFIX}`;
    await fs.writeFileAtomic(backup, file!.text);
    await fs.writeFileAtomic(real, edit.text);
    return backup;
  };

  const report: SwitchReport = { schemaVersion: 1, hermesConfig: loc.path, ...(loc.profile ? { profile: loc.profile } : {}), previous, runtime: target, changed, note, notes: [] };
  if (target === 'codex_app_server') {
    const provider = modelSetting(config, 'provider');
    if (!provider || !CODEX_REROUTED_PROVIDERS.has(provider)) {
      report.notes.push(
        `model.provider is ${provider ?? 'not set'}: the codex runtime only takes over ${[...CODEX_REROUTED_PROVIDERS].join(' and ')}, so ${loc.profile ? `profile ${loc.profile}'s` : "Hermes'"} turns keep running as before, not through codex, until model.provider is one of those`,
      );
    }
  }
  if (codexVersion) report.codexVersion = codexVersion;
  if (target === 'codex_app_server') {
    // What would make Hermes' next codex turn fail: refused unless --force (RuntimeSwitchRefusedError).
    const problems: string[] = [];
    let home: CodexHomeLocation | undefined;
    try {
      home = await resolveCodexHomeFor(fs, e, where);
      report.codexHome = home.path;
      if (loc.profile && !(await ownProfileCodexHome(fs, hermesRoot(e, where.hermesRoot), loc.profile)) && !where.codexHome) {
        report.notes.push(
          `profile ${loc.profile} has no CODEX_HOME of its own: it shares ${home.path} with the default profile, and migrating it replaces the servers another profile migrated there; give it its own with \`hermes-codex profile setup ${loc.profile}\``,
        );
      }
      // This command's workspace, aimed at the CODEX_HOME just resolved (a missing one: migrate says so).
      const r = await migrate({ workspace: withLocations(ws, { codexHome: home.exists ? home.path : undefined }), ...opts.migrate });
      report.migration = {
        ok: true,
        changed: r.changed,
        target: r.target,
        backup: r.backup,
        failedServers: r.servers.failed.map((f) => f.name),
        warnings: r.warnings.map((w) => (w.server ? `${w.server}: ${w.message}` : w.message)),
      };
      // The same login rule as doctor's codex.auth: without one, every codex turn Hermes starts fails.
      if ((await loginState(fs, r.codexHome.path, env)) === 'none') {
        problems.push(`codex has no login for CODEX_HOME ${r.codexHome.path}, so Hermes' codex turns fail until it has one. ${codexLoginHint(r.codexHome.path, env)}`);
      }
      // doctor's hermes.tools-callback: an interpreter that cannot import the module loses Hermes' tools.
      if (r.hermesTools.written && r.hermesTools.command) {
        const imp = await hermesToolsImportProblem(run, r.hermesTools.command, env, HERMES_TOOLS_FIXED_ENV);
        if (imp) problems.push(`${imp.summary} (${imp.why}); point it at the Python Hermes runs under with --hermes-python`);
      }
      // A codex that rejected the result never got it: migrate refused (above). One that could not judge it: say so.
      if (r.validation.codex === 'skipped' && r.changed && opts.migrate?.validateWithCodex !== false) report.notes.push(`codex's own loader did not check the migrated config.toml (${r.validation.reason})`);
    } catch (err) {
      const codexHome = home ?? (where.codexHome ? { path: where.codexHome, source: 'flag' as const, exists: false } : undefined);
      report.migration = { ok: false, error: (err as Error).message, next: migrateCommandLine({ ...where, codexHome }, [
        ...(opts.migrate?.hermesPython ? ['--hermes-python', opts.migrate.hermesPython] : []),
        ...(opts.migrate?.plugins === false ? ['--no-plugins'] : []),
      ]) };
      problems.push(`the migration failed: ${report.migration.error} (run \`${report.migration.next}\` to see it again)`);
    }
    if (problems.length && !opts.force) throw new RuntimeSwitchRefusedError(problems, loc.path);
    // --force: switched anyway; each problem stays in the notes.
    for (const p of problems) if (!report.notes.includes(p)) report.notes.push(p);
  }
  const backup = await writeSwitch();
  if (backup) report.backup = backup;
  return report;
}

export interface RuntimeStatus {
  schemaVersion: 1;
  hermesConfig: string;
  /** Whether that config.yaml exists (without one, Hermes runs its defaults: the runtime is off). */
  hermesConfigExists: boolean;
  profile?: string;
  runtime: RuntimeValue;
  /** The raw value in config.yaml (null when unset). */
  rawValue: unknown;
  codexVersion: string | null;
  codexError?: string;
  codexHome: string;
  block: BlockState;
  blockDetail: string;
  note: string;
}

/** What `runtime status` shows: runtime, codex version, CODEX_HOME, the managed block's state. */
export async function runtimeStatus(opts: SwitchOptions = {}): Promise<RuntimeStatus> {
  const ws = resolveWorkspace(opts);
  const { fs, env, e, run, locations: where } = ws;
  const loc = await resolveHermesConfig(fs, e, where);
  const file = await readTextFile(fs, loc.path, 'Hermes config', { missingOk: true });
  const config = file ? parseHermesConfig(file.text, loc.path) : null;
  const runtime = config ? readRuntime(config.data) : { value: 'auto' as const, raw: null };
  const codexBinSetting = config ? modelSetting(config, 'codex_bin') : undefined;
  const home = await resolveCodexHomeFor(fs, e, where).catch((err: unknown) => {
    if (err instanceof LocationError) return null;
    throw err;
  });
  // The block's state from migrate/inspect.ts and the version from one `codex --version`: no doctor run.
  const codexHomePath = home?.path ?? where.codexHome ?? '';
  const [block, version] = await Promise.all([
    codexHomePath ? inspectManagedBlock(codexHomePath, { workspace: ws }) : Promise.resolve({ state: 'missing' as const, summary: 'no CODEX_HOME' }),
    (async () => {
      const bin = await resolveCodexBinary({
        ...(where.codexBin ? { flag: where.codexBin } : {}),
        ...(codexBinSetting ? { hermesSetting: codexBinSetting } : {}),
        pathEnv: env['PATH'],
        cwd: e.cwd,
      });
      if (!bin) return { error: 'codex not found (not on PATH)' };
      try {
        return { version: (await checkCodexVersion(run, bin.path, env)).version };
      } catch (err) {
        return { error: (err as Error).message };
      }
    })(),
  ]);
  const blockState: BlockState = block.state;
  const out: RuntimeStatus = {
    schemaVersion: 1,
    hermesConfig: loc.path,
    hermesConfigExists: file !== null,
    ...(loc.profile ? { profile: loc.profile } : {}),
    runtime: runtime.value,
    rawValue: runtime.raw,
    codexVersion: 'version' in version ? version.version ?? null : null,
    codexHome: codexHomePath,
    block: blockState,
    blockDetail: block.summary,
    note: 'Changes take effect for new Hermes sessions.',
  };
  if ('error' in version) out.codexError = version.error;
  return out;
}

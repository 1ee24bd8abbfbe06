/**
 * The workspace a command works in: its effects (environment, file system,
 * process runner, clock, HOME, working directory) and the locations the
 * user named (Hermes config, profile, Hermes root, CODEX_HOME, codex
 * binary). Resolved once per command — by the CLI handler, or by a library
 * entry point called without one — and passed down, so a command that runs
 * another (doctor --fix, runtime on and profile setup run migrate) hands
 * over the same workspace instead of re-deriving it from options.
 */
import { resolveEffects, type EffectOptions, type Effects } from './effects.js';

/** The location flags the commands share: `--hermes-config`, `--profile`, `--hermes-root`, `--codex-home`, `--codex-bin`. */
export interface LocationOptions {
  /** Hermes config.yaml to read (default `$HERMES_HOME/config.yaml`). */
  hermesConfig?: string;
  /** Hermes profile: `<hermes root>/profiles/NAME/config.yaml` (and its own CODEX_HOME when it has one). */
  profile?: string;
  /** Hermes root holding `profiles/` and the Hermes install (default `$HERMES_HOME` or `~/.hermes`). */
  hermesRoot?: string;
  /** CODEX_HOME (default `$CODEX_HOME` or `~/.codex`). */
  codexHome?: string;
  /** codex executable (default Hermes' `model.codex_bin`, else codex on PATH). */
  codexBin?: string;
}

const LOCATION_KEYS = ['hermesConfig', 'profile', 'hermesRoot', 'codexHome', 'codexBin'] as const;

/** Where and with what a command works (see the module comment). */
export interface Workspace extends Effects {
  /** The locations named for this command (only those given; the rest take their defaults where used). */
  locations: Readonly<LocationOptions>;
  /** The clock. */
  now: () => Date;
}

/** What a library entry point accepts: a workspace, or the options to resolve one from. */
export interface WorkspaceOptions extends EffectOptions, LocationOptions {
  /** The caller's resolved workspace; when given, the other effect and location options are ignored. */
  workspace?: Workspace;
  /** Clock (default `new Date()`). */
  now?: () => Date;
}

/**
 * The workspace for a call: the one given, else one resolved from the
 * options (effects defaulting to the real ones: see `resolveEffects`).
 * Never touches the disk; locations are resolved where they are used.
 */
export function resolveWorkspace(opts: WorkspaceOptions = {}): Workspace {
  if (opts.workspace) return opts.workspace;
  return { ...resolveEffects(opts), locations: pickLocations(opts), now: opts.now ?? (() => new Date()) };
}

/**
 * The same workspace with some locations changed; `undefined` removes one
 * (it then takes its default). E.g. doctor --fix migrates into the CODEX_HOME it checked.
 */
export function withLocations(ws: Workspace, changes: { [K in keyof LocationOptions]?: string | undefined }): Workspace {
  return { ...ws, locations: pickLocations({ ...ws.locations, ...changes }) };
}

/** The location options that are set (non-empty strings), nothing else. */
export function pickLocations(opts: { [K in keyof LocationOptions]?: string | undefined }): LocationOptions {
  const out: LocationOptions = {};
  for (const k of LOCATION_KEYS) {
    const v = opts[k];
    if (typeof v === 'string' && v !== '') out[k] = v;
  }
  return out;
}

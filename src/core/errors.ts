/**
 * Typed errors. Every error a user can hit carries what they need to act:
 * the file, the line and column where there is one, and a remediation.
 * The CLI maps them to exit codes in one place (`src/cli/main.ts`).
 */

/** Exit codes shared by every command. */
export const ExitCode = {
  ok: 0,
  /** Some items failed (for `migrate`: some servers could not be migrated). */
  partial: 1,
  /** Unusable input: unreadable or malformed files, bad flags, refused writes. */
  input: 2,
  /** Interrupted by the user (SIGINT, Ctrl+C at a prompt). */
  interrupted: 130,
  /** A bug in hermes-codex (an error it did not expect); the message asks for a report. */
  internal: 70,
} as const;

export interface ErrorLocation {
  /** Absolute path of the file the error is about. */
  file?: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
}

/** Base class: a message for people, an exit code, an optional location and remediation. */
export class HermesCodexError extends Error {
  readonly exitCode: number;
  readonly location: ErrorLocation;
  readonly remediation: string | undefined;

  constructor(
    message: string,
    opts: { exitCode?: number; location?: ErrorLocation; remediation?: string; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.exitCode = opts.exitCode ?? ExitCode.input;
    this.location = opts.location ?? {};
    this.remediation = opts.remediation;
  }

  /** `file:line:col` when known, else the file, else undefined. */
  get where(): string | undefined {
    return whereOf(this.location);
  }
}

/** A location as people read it: `file:line:col`, `file:line` or `file`; undefined without a file. */
export function whereOf({ file, line, column }: ErrorLocation): string | undefined {
  if (!file) return undefined;
  if (line === undefined) return file;
  return column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}

/** A file could not be read (missing, a directory, unreadable, dangling symlink). */
export class FileAccessError extends HermesCodexError {}

/** A YAML or TOML file does not parse. */
export class ConfigSyntaxError extends HermesCodexError {}

/** The input parses but its shape is unusable as a whole (e.g. `mcp_servers` is a list). */
export class ConfigShapeError extends HermesCodexError {}

/** CODEX_HOME / HERMES_HOME / profile resolution failed. */
export class LocationError extends HermesCodexError {}

/** A command-line usage error. */
export class UsageError extends HermesCodexError {}

/**
 * The migration would produce a file that fails validation (our own parse,
 * the outside-the-block invariant, or Codex's loader); nothing was written.
 */
export class ValidationRefusedError extends HermesCodexError {}

/** The existing config.toml is in a state we will not edit (e.g. two managed blocks). */
export class BlockStructureError extends HermesCodexError {}

/** A codex subprocess could not be run or answered in an unexpected way. */
export class CodexProcessError extends HermesCodexError {}

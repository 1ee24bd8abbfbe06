/**
 * The effects every library entry point can take as options, so callers and
 * tests substitute the environment, the file system and the process runner
 * in one consistent way. Each defaults to the real thing.
 */
import * as os from 'node:os';
import { nodeFileSystem, type FileSystem } from '../fs/filesystem.js';
import { runCommand, type RunCommand } from './process.js';
import type { Environment } from './paths.js';

export interface EffectOptions {
  /** Process environment (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** HOME as the process sees it (default `os.homedir()`). */
  home?: string;
  /** Working directory relative paths resolve against (default `process.cwd()`). */
  cwd?: string;
  /** File system (default the real one). */
  fs?: FileSystem;
  /** Subprocess runner (default execa). */
  run?: RunCommand;
}

/** The effects a command works with, each resolved once from its options. */
export interface Effects {
  fs: FileSystem;
  run: RunCommand;
  env: Record<string, string | undefined>;
  /** The environment paths are resolved in: variables, HOME, working directory. */
  e: Environment;
}

/** Resolve {@link EffectOptions} to the real things where not given: the one place the defaults live. */
export function resolveEffects(opts: EffectOptions = {}): Effects {
  const env = opts.env ?? process.env;
  return { fs: opts.fs ?? nodeFileSystem, run: opts.run ?? runCommand, env, e: { env, home: opts.home ?? os.homedir(), cwd: opts.cwd ?? process.cwd() } };
}

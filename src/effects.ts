/**
 * The effects every library entry point can take as options, so callers and
 * tests substitute the environment, the file system and the process runner
 * in one consistent way. Each defaults to the real thing.
 */
import type { FileSystem } from './fs/filesystem.js';
import type { RunCommand } from './process.js';

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

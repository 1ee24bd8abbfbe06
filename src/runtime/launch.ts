/**
 * A turn's launch: where and how codex starts for one turn, resolved before
 * codex runs. Both the turn (`runOneTurn`) and the codex started before the
 * command line is parsed (`EarlyStart`) resolve it here, so they agree.
 */
import { resolveWorkspace, type WorkspaceOptions } from '../core/workspace.js';
import * as path from 'node:path';
import { resolveCodexHomeFor } from '../core/paths.js';
import { codexLoginCommand } from '../core/hints.js';
import { codexNotFound, resolveCodexBinary } from '../codex/binary.js';
import { LocationError } from '../core/errors.js';
import type { RunCommand } from '../core/process.js';
import type { startCheckedClient } from './start.js';

/** What a launch is resolved from: the workspace (or its options) and the thread's working directory and passed variables. */
export interface TurnLaunchOptions extends Omit<WorkspaceOptions, 'cwd'> {
  /** The thread's working directory (default this process's). */
  cwd?: string;
  /** More variable names to pass to codex's clean environment. */
  passEnv?: readonly string[];
}

/**
 * What starting codex for a turn depends on: the binary, CODEX_HOME, the
 * thread's working directory (absolute), the base environment and the extra
 * variables to pass. Two launches with equal `launchKey`s start the same
 * codex the same way.
 */
export interface TurnLaunch {
  codexBin: string;
  codexHome: string;
  cwd: string;
  env: Record<string, string | undefined>;
  passEnv?: readonly string[];
  run: RunCommand;
}

/**
 * Resolve a turn's launch: CODEX_HOME (it must exist: codex has no login or
 * config without it), the codex binary, the working directory.
 * @throws LocationError (no CODEX_HOME, no such directory) | CodexNotFoundError
 */
export async function resolveTurnLaunch(opts: TurnLaunchOptions): Promise<TurnLaunch> {
  // `opts.cwd` is the thread's working directory; paths given to this process resolve against its own.
  const { fs, env, e, run, locations } = resolveWorkspace({ ...opts, cwd: process.cwd() });
  const cwd = path.resolve(e.cwd, opts.cwd ?? '.');
  // The three lookups are independent file-system work: done together, reported in this order.
  const [homeR, binR, cwdR] = await Promise.allSettled([
    resolveCodexHomeFor(fs, e, locations, { requireOwn: true }),
    resolveCodexBinary({ ...(locations.codexBin ? { flag: locations.codexBin } : {}), pathEnv: env['PATH'], cwd: e.cwd }),
    fs.stat(cwd).catch(() => null),
  ]);
  const home = settled(homeR);
  // Without a CODEX_HOME codex has no login and no config: it would fail with a backtrace. Say what to run.
  if (!home.exists) {
    throw new LocationError(`CODEX_HOME ${home.path} does not exist yet, so codex has no login and no config there`, {
      location: { file: home.path },
      remediation: `Log codex in first: \`${codexLoginCommand(home.path)}\` (it creates the directory), then run \`hermes-codex migrate\`.`,
    });
  }
  const bin = settled(binR);
  if (!bin) {
    throw codexNotFound();
  }
  if (!settled(cwdR)?.isDirectory()) {
    throw new LocationError(`the working directory ${cwd} does not exist (or is not a directory)`, { remediation: 'Pass --cwd an existing directory.' });
  }
  return { codexBin: bin.path, codexHome: home.path, cwd, env, run, ...(opts.passEnv ? { passEnv: opts.passEnv } : {}) };
}

/** The same text for launches that start the same codex the same way (the environment compared by identity). */
export function launchKey(l: TurnLaunch): string {
  return JSON.stringify([l.codexBin, l.codexHome, l.cwd, [...new Set(l.passEnv ?? [])].sort()]);
}

/** startCheckedClient's options for a launch. */
export function clientOptions(l: TurnLaunch): Parameters<typeof startCheckedClient>[0] {
  return { codexBin: l.codexBin, codexHome: l.codexHome, env: l.env, cwd: l.cwd, run: l.run, ...(l.passEnv ? { passEnv: l.passEnv } : {}) };
}

/** A settled promise's value, or its error thrown. */
function settled<T>(r: PromiseSettledResult<T>): T {
  if (r.status === 'rejected') throw r.reason;
  return r.value;
}

/**
 * Starting codex app-server for a turn before the command line is fully
 * parsed. codex takes most of a short turn's time to start (its own process,
 * on another core); the CLI's parsing and module loading before the spawn
 * (about 15 ms on the project's machine, docs/performance.md) can run while
 * it does. The guess is never trusted: `take()` hands the started codex over
 * only when the turn's own resolution gives the same launch (`launchKey`),
 * and a guess nobody takes is closed by `discard()`, so a wrong guess costs
 * time, never behaviour.
 */
import { spawnTransport, type Transport } from './client.js';
import { clientOptions, launchKey, resolveTurnLaunch, type TurnLaunch, type TurnLaunchOptions } from './launch.js';
import { startCheckedClient, type CheckedClient } from './start.js';

/**
 * One codex started for a guessed launch: `begin()` spawns it and starts the
 * handshake, `take(launch)` hands it to the turn whose own launch is the
 * same, `discard()` closes it otherwise (idempotent; call it when the command
 * ends in any case).
 */
export class EarlyStart {
  private taken = false;
  private discarding: Promise<void> | null = null;
  private readonly key: string;

  private constructor(
    private readonly launch: TurnLaunch,
    private readonly transport: Transport,
    private readonly started: Promise<CheckedClient>,
  ) {
    this.key = launchKey(launch);
    // Observed here so a failure nobody takes is not an unhandled rejection; whoever takes it sees it.
    started.catch(() => undefined);
  }

  /**
   * Resolve the launch these options give and spawn codex for it; resolves
   * once codex is spawned (not yet initialised). Resolves to undefined when
   * the launch does not resolve (no CODEX_HOME, no codex, no such directory):
   * the turn then reports that itself.
   */
  static async begin(opts: TurnLaunchOptions): Promise<EarlyStart | undefined> {
    let launch: TurnLaunch;
    try {
      launch = await resolveTurnLaunch(opts);
    } catch {
      return undefined;
    }
    const options = clientOptions(launch);
    const transport = spawnTransport(options);
    let early: EarlyStart | undefined;
    const started = startCheckedClient({ ...options, transport, abandoned: () => early !== undefined && early.discarding !== null });
    early = new EarlyStart(launch, transport, started);
    return early;
  }

  /**
   * The started codex (its handshake and version check, or their failure),
   * when `launch` starts codex the same way; otherwise undefined, and this
   * codex is closed. Once only.
   */
  take(launch: TurnLaunch): Promise<CheckedClient> | undefined {
    if (this.taken || this.discarding) return undefined;
    if (launch.env !== this.launch.env || launchKey(launch) !== this.key) {
      void this.discard();
      return undefined;
    }
    this.taken = true;
    return this.started;
  }

  /**
   * Close the codex nobody took (ending its stdin, as `close()` does); a
   * no-op once taken. Resolves when it has exited.
   */
  discard(): Promise<void> {
    if (this.taken) return Promise.resolve();
    this.discarding ??= (async () => {
      if (this.transport.stdin.writable) this.transport.stdin.end();
      const c = await this.started.catch(() => null);
      await c?.client.close();
    })();
    return this.discarding;
  }
}

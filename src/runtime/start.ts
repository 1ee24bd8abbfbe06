/**
 * Starting codex app-server with the version gate applied: the version comes
 * from the `initialize` reply's userAgent (no second process), with
 * `codex --version` as the fallback when the userAgent carries none or
 * app-server does not start (so a codex too old for app-server still gets
 * the upgrade hint rather than a bare exit status).
 */
import { runCommand, type RunCommand } from '../core/process.js';
import { CodexAppServerClient, type ClientOptions, type Transport } from './client.js';
import { checkCodexVersion, judgeVersion, versionFromUserAgent, type CodexVersionInfo } from './version.js';

export interface CheckedClient {
  client: CodexAppServerClient;
  version: CodexVersionInfo;
}

/**
 * Start codex and check its version. `transport`: a codex already spawned
 * (`spawnTransport(opts)`) to do the handshake with instead of spawning one;
 * `abandoned`: when it says true at a failure, the failure is passed on
 * without running `codex --version` to explain it (nobody will read it).
 * @throws CodexVersionError (missing, unparseable, too old) | AppServerExitedError | RequestTimeoutError
 */
export async function startCheckedClient(opts: ClientOptions & { run?: RunCommand; transport?: Transport; abandoned?: () => boolean }): Promise<CheckedClient> {
  const run = opts.run ?? runCommand;
  const env = opts.env ?? process.env;
  let client: CodexAppServerClient;
  try {
    client = await (opts.transport ? CodexAppServerClient.connect(opts.transport, opts) : CodexAppServerClient.start(opts));
  } catch (err) {
    if (opts.abandoned?.()) throw err;
    await checkCodexVersion(run, opts.codexBin, env); // throws the clearer error when codex is missing or too old
    throw err;
  }
  try {
    const fromHandshake = versionFromUserAgent(client.initializeResult?.userAgent);
    const version = fromHandshake ? judgeVersion(fromHandshake, opts.codexBin) : await checkCodexVersion(run, opts.codexBin, env);
    return { client, version };
  } catch (err) {
    await client.close();
    throw err;
  }
}

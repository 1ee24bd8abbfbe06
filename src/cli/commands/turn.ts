/**
 * `hermes-codex turn [PROMPT]`: run one full turn through codex app-server
 * for verification. Thin: options → runOneTurn() → render.
 */
import type { CommandModule } from 'yargs';
import { ExitCode, UsageError } from '../../core/errors.js';
import type { ApprovalPolicy } from '../../runtime/approvals.js';
import { expandHome, locationOptions, outputOptions, secondsFlag, withGroups, workspaceFrom, type ArgsOf } from '../options.js';
import { toJson, type Output, canAnimate } from '../output.js';
import { SMOKE_PROMPT } from '../../runtime/smoke.js';
import type { EarlyStart } from '../../runtime/early-start.js';
import type yargsParserType from 'yargs-parser';
import { createRequire } from 'node:module';

export { SMOKE_PROMPT };

export const turnOptions = {
  'codex-home': locationOptions['codex-home'],
  profile: { ...locationOptions.profile, description: "Hermes profile whose own CODEX_HOME (<hermes root>/profiles/NAME/codex) to use" },
  'hermes-root': locationOptions['hermes-root'],
  'codex-bin': locationOptions['codex-bin'],
  ...outputOptions,
  cwd: { type: 'string', coerce: expandHome, description: 'Working directory of the thread (default: the current directory)', requiresArg: true },
  sandbox: { type: 'string', choices: ['read-only', 'workspace-write', 'danger-full-access'], description: 'Sandbox mode for the thread' },
  'approval-policy': { type: 'string', choices: ['untrusted', 'on-request', 'never'], description: "Codex's approval policy for the thread" },
  model: { type: 'string', description: 'Model to use', requiresArg: true },
  approve: { type: 'string', choices: ['ask', 'never', 'once', 'session'], description: 'Answer approval requests: ask (default on a TTY), never (default otherwise), once, session' },
  timeout: { type: 'number', default: 600, description: 'Turn deadline in seconds; the turn is interrupted when it passes' },
  smoke: { type: 'boolean', default: false, description: 'Ask for exactly PONG; exit 0 only if the answer is PONG' },
  resume: { type: 'string', description: 'Continue this thread (its id, as printed by an earlier turn) instead of starting one', requiresArg: true },
  'mcp-wait': { type: 'number', default: 30, description: 'Seconds to wait for the MCP servers to start before the turn (0: do not wait)' },
  // One name per flag, repeated for more (`--pass-env A --pass-env B`): an array flag would also eat the prompt after it.
  'pass-env': { type: 'string', array: true, nargs: 1, description: "Pass this environment variable to codex too (repeat the flag for more; codex gets a clean environment: PATH, HOME, locale, CA bundles, proxies and the variables config.toml names)", requiresArg: true },
} as const;

/**
 * Start codex for `turn` before yargs parses the command line (`args`,
 * command word first), so codex starts while the CLI does: the flags that
 * decide codex's launch (the location flags, --cwd, --pass-env) read with
 * yargs' own parser and turn's declarations. Undefined when the line asks
 * for help or has no prompt (no turn would run), or when the launch does not
 * resolve. A guess only: runOneTurn takes it when its own launch is the
 * same, and the caller discards it in any case when the command ends.
 */
export async function startTurnEarly(args: readonly string[]): Promise<EarlyStart | undefined> {
  // yargs-parser: the parser yargs itself runs, loaded with it (no extra module in the bundle).
  const parse = createRequire(import.meta.url)('yargs-parser') as typeof yargsParserType;
  const decl = Object.entries(turnOptions) as [string, { type?: string; array?: boolean; nargs?: number; coerce?: (v: string) => string }][];
  const byType = (t: string) => decl.filter(([, d]) => d.type === t).map(([k]) => k);
  const parsed = parse([...args], {
    string: byType('string'),
    number: byType('number'),
    boolean: [...byType('boolean'), 'help', 'version', 'color'],
    array: decl.filter(([, d]) => d.array).map(([k]) => k),
    narg: Object.fromEntries(decl.filter(([, d]) => d.nargs !== undefined).map(([k, d]) => [k, d.nargs!])),
    alias: { help: ['h'], version: ['V'] },
    coerce: Object.fromEntries(decl.filter(([, d]) => d.coerce).map(([k, d]) => [k, d.coerce!])),
  });
  if (parsed['help'] === true || parsed['version'] === true) return undefined;
  const prompted = parsed._.length > 1 || parsed['smoke'] === true || args.includes('-') || args.includes('--');
  if (!prompted) return undefined;
  const { EarlyStart } = await import('../../runtime/early-start.js');
  const passEnv = Array.isArray(parsed['pass-env']) ? (parsed['pass-env'] as unknown[]).map(String) : undefined;
  return EarlyStart.begin({
    workspace: await workspaceFrom(parsed),
    ...(typeof parsed['cwd'] === 'string' ? { cwd: parsed['cwd'] } : {}),
    ...(passEnv ? { passEnv } : {}),
  });
}

/** All of stdin as UTF-8 (the prompt for `turn -`). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The yargs command; `setExit` receives the exit code. `argv` is the command
 * line as typed: yargs reads a lone `-` as a flag with no name, so `turn -`
 * (the prompt from stdin) is recognised there.
 */
export function turnCommand(output: Output, setExit: (code: number) => void, argv: readonly string[] = [], early?: EarlyStart): CommandModule {
  return {
    command: 'turn [prompt]',
    describe: 'Run one full turn through codex app-server (for verification)',
    builder: (y) => withGroups(y.positional('prompt', { type: 'string', describe: 'What to ask (`-`: read it from stdin)' }).options(turnOptions), turnOptions),
    handler: async (args) => {
      const a = args as unknown as ArgsOf<typeof turnOptions> & { prompt?: string };
      const end = argv.indexOf('--');
      const dash = argv.some((t, i) => t === '-' && (end === -1 || i < end));
      // After `--` a prompt may start with a dash (`turn -- "-v means?"`); yargs keeps such words aside.
      const afterDashes = end === -1 ? [] : argv.slice(end + 1);
      const typed = dash ? '-' : typeof a['prompt'] === 'string' ? a['prompt'] : undefined;
      if (afterDashes.length > (typed === undefined ? 1 : 0)) {
        throw new UsageError(`unexpected argument \`${afterDashes[typed === undefined ? 1 : 0]}\` (turn takes one PROMPT; quote a prompt that has spaces)`, {
          remediation: 'Example: hermes-codex turn -- "-v: what does it mean?"',
        });
      }
      const given = typed ?? afterDashes[0];
      if (given !== undefined && a['smoke'] === true) {
        throw new UsageError('--smoke asks its own question (the answer must be exactly PONG), so it takes no PROMPT', {
          remediation: `Run \`hermes-codex turn --smoke\`, or \`hermes-codex turn ${JSON.stringify(given)}\` without --smoke.`,
        });
      }
      // `-` reads the prompt from stdin, as `codex exec -` does (typed at a terminal: until Ctrl+D).
      if (given === '-' && process.stdin.isTTY) output.err('Type the prompt, then press Ctrl+D on a line of its own.\n');
      const prompt = given === '-' ? await readStdin() : given ?? (a['smoke'] === true ? SMOKE_PROMPT : undefined);
      if (!prompt?.trim()) {
        throw new UsageError(given === '-' ? 'turn - read an empty prompt from stdin' : 'turn needs a PROMPT (or --smoke)', {
          remediation: `Example: hermes-codex turn "Summarise README.md"${process.stdin.isTTY ? '' : '; to read the prompt from stdin: … | hermes-codex turn -'}`,
        });
      }
      // Bounded: a timer past 2^31 ms fires at once (Node), which would report an instant "timed out".
      const timeout = secondsFlag(a, 'timeout', { max: 86_400 });
      const mcpWait = secondsFlag(a, 'mcp-wait', { max: 600, zeroOk: true });
      const passEnv = Array.isArray(a['pass-env']) ? (a['pass-env'] as unknown[]).map(String) : undefined;
      const notAName = passEnv?.find((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
      if (notAName !== undefined) {
        throw new UsageError(`--pass-env takes the name of a variable to pass on, not ${JSON.stringify(notAName)}`, {
          remediation: notAName.includes('=') ? `Set it in the environment and name it: \`${notAName} hermes-codex turn … --pass-env ${notAName.slice(0, notAName.indexOf('='))}\`.` : 'Example: --pass-env GITHUB_TOKEN',
        });
      }
      // Loaded here, not at start-up: other commands do not pay for the runtime.
      const [{ runOneTurn }, { askApproval, TurnProgress }] = await Promise.all([import('../../runtime/one-turn.js'), import('../render/turn.js')]);
      const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
      const mode = (a['approve'] as string | undefined) ?? (interactive ? 'ask' : 'never');
      // Asking needs a terminal to answer on; without one the turn would wait until its deadline.
      if (mode === 'ask' && !interactive) {
        throw new UsageError('--approve ask needs a terminal on stdin and stderr', { remediation: 'Use --approve never, once or session (never is the default without a terminal).' });
      }
      const progress = new TurnProgress(output, canAnimate() && a['json'] !== true);
      const ac = new AbortController();
      let interruptedByUser = false;
      const onSigint = () => {
        if (interruptedByUser) process.exit(ExitCode.interrupted);
        interruptedByUser = true;
        progress.note('interrupting… (Ctrl+C again to quit at once)');
        ac.abort();
      };
      const { PromptInterrupted } = await import('../prompt.js');
      const ask: ApprovalPolicy = async (req) => {
        try {
          return await progress.paused(() => askApproval(req, output));
        } catch (err) {
          // Ctrl+C at the question: the same as Ctrl+C during the turn (turn/interrupt, then exit 130).
          if (!(err instanceof PromptInterrupted)) throw err;
          if (!interruptedByUser) onSigint();
          return 'cancel';
        }
      };
      const approvals: ApprovalPolicy = mode === 'ask' ? ask : (mode as 'never' | 'once' | 'session');
      process.on('SIGINT', onSigint);
      try {
        const result = await runOneTurn({
          prompt,
          timeoutMs: timeout * 1000,
          signal: ac.signal,
          approvals,
          ...(typeof a['cwd'] === 'string' ? { cwd: a['cwd'] } : {}),
          workspace: await workspaceFrom(a),
          ...(typeof a['sandbox'] === 'string' ? { sandbox: a['sandbox'] as 'read-only' } : {}),
          ...(typeof a['approval-policy'] === 'string' ? { approvalPolicy: a['approval-policy'] as 'never' } : {}),
          ...(typeof a['model'] === 'string' ? { model: a['model'] } : {}),
          ...(typeof a['resume'] === 'string' ? { resume: a['resume'] } : {}),
          mcpWaitMs: mcpWait * 1000,
          ...(passEnv ? { passEnv } : {}),
          ...(early ? { early } : {}),
          onStarted: (info) => progress.started(info),
          onMcpWait: (done) => progress.mcpWait(done),
          onEvent: (ev) => progress.event(ev),
        });
        progress.done();
        const smokeOk = result.finalText.trim() === 'PONG';
        if (a['json'] === true) output.out(toJson({ schemaVersion: 1, ...result, ...(a['smoke'] ? { smoke: smokeOk } : {}) }));
        else progress.result(result, a['smoke'] === true ? smokeOk : undefined);
        if (interruptedByUser) setExit(ExitCode.interrupted);
        else if (result.error || result.status === 'failed') setExit(ExitCode.partial);
        else if (a['smoke'] === true && !smokeOk) setExit(ExitCode.partial);
        else setExit(ExitCode.ok);
      } finally {
        progress.done();
        process.off('SIGINT', onSigint);
      }
    },
  };
}

/**
 * Output for people and for machines. People get color only on a TTY and
 * never with NO_COLOR (chalk's own detection, which also honours FORCE_COLOR
 * and --no-color); machines get one JSON document on stdout and nothing else.
 */
import type { ChalkInstance } from 'chalk';

export interface Output {
  /** Write to stdout. */
  out(text: string): void;
  /** Write to stderr. */
  err(text: string): void;
  /** Colors for stdout. */
  color: ChalkInstance;
  /** Colors for stderr. */
  errColor: ChalkInstance;
}

function colorLevel(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): 0 | 1 | 2 | 3 {
  if ('NO_COLOR' in env && env['NO_COLOR'] !== '') return 0;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0' && env['FORCE_COLOR'] !== 'false') return 1;
  if (!stream.isTTY) return 0;
  const depth = stream.getColorDepth?.(env) ?? 1;
  return depth >= 24 ? 3 : depth >= 8 ? 2 : depth > 1 ? 1 : 0;
}

/**
 * Styling that leaves text as it is: what chalk does at color level 0
 * (`style.red.bold('x')` is `'x'`), without loading chalk, so uncolored
 * runs (pipes, CI, `--json`) skip its start-up cost.
 */
export function plainStyle(): ChalkInstance {
  const style: ChalkInstance = new Proxy(function unstyled() {}, {
    apply: (_target, _this, args: unknown[]) => args.map(String).join(' '),
    get: (_target, prop) => (prop === 'level' ? 0 : typeof prop === 'symbol' || prop === 'then' ? undefined : style),
  }) as unknown as ChalkInstance;
  return style;
}

/**
 * A writer for `stream` that stops writing, quietly, once the reader has gone
 * (EPIPE: `hermes-codex doctor --list-checks | head -1`), as `ls` or `git log`
 * do; the command itself carries on and keeps its exit code. Other stream
 * errors are thrown as before.
 */
function writerFor(stream: NodeJS.WriteStream): (text: string) => void {
  let gone = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    gone = true;
  });
  return (text) => {
    if (!gone) stream.write(text);
  };
}

/**
 * The process's real output. chalk is loaded only when a stream gets color.
 */
export async function processOutput(env: NodeJS.ProcessEnv = process.env): Promise<Output> {
  const outLevel = colorLevel(process.stdout, env);
  const errLevel = colorLevel(process.stderr, env);
  const Chalk = outLevel > 0 || errLevel > 0 ? (await import('chalk')).Chalk : null;
  return {
    out: writerFor(process.stdout),
    err: writerFor(process.stderr),
    color: Chalk && outLevel > 0 ? new Chalk({ level: outLevel }) : plainStyle(),
    errColor: Chalk && errLevel > 0 ? new Chalk({ level: errLevel }) : plainStyle(),
  };
}

/** A stable JSON document: two-space indent, trailing newline. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** Whether stderr can show a live (redrawn) progress line: a terminal that is not `TERM=dumb`. */
export function canAnimate(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(process.stderr.isTTY) && env['TERM'] !== 'dumb';
}

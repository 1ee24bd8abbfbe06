/**
 * Output for people and for machines. People get color only on a TTY and
 * never with NO_COLOR (chalk's own detection, which also honours FORCE_COLOR
 * and --no-color); machines get one JSON document on stdout and nothing else.
 */
import type { ChalkInstance } from 'chalk';
import { fstatSync, statSync, writeSync } from 'node:fs';

/**
 * Whether fd is a terminal. A pipe, file or socket is told by fstat, and so
 * is /dev/null (the same device and inode: `> /dev/null` in scripts and cron
 * jobs); only another character device loads node:tty to ask, which costs
 * about 3 ms of start-up (it loads node:net; measured).
 */
function isatty(fd: number): boolean {
  let st;
  try {
    st = fstatSync(fd);
  } catch {
    return false;
  }
  if (!st.isCharacterDevice()) return false;
  if (process.platform !== 'win32' && isDevNull(st)) return false;
  return process.getBuiltinModule('node:tty').isatty(fd);
}

/** Whether `st` is /dev/null's (false when there is none to compare with: node:tty decides). */
function isDevNull(st: { dev: number; ino: number }): boolean {
  try {
    const devNull = statSync('/dev/null');
    return st.dev === devNull.dev && st.ino === devNull.ino;
  } catch {
    return false;
  }
}

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

function colorLevel(fd: 1 | 2, stream: () => NodeJS.WriteStream, env: NodeJS.ProcessEnv): 0 | 1 | 2 | 3 {
  if ('NO_COLOR' in env && env['NO_COLOR'] !== '') return 0;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0' && env['FORCE_COLOR'] !== 'false') return 1;
  if (!isatty(fd)) return 0;
  const depth = stream().getColorDepth?.(env) ?? 1;
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
function writerFor(stream: NodeJS.WriteStream): (text: string | Buffer) => void {
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
 * A writer for fd 1 or 2 that, when the fd is not a terminal, writes with
 * `fs.writeSync`, as process.stdout itself does for files and pipes on
 * Linux, without creating the stream (creating process.stdout for a pipe
 * costs about 2 ms at start-up, measured). EPIPE ends the writing quietly,
 * as {@link writerFor} does; a terminal, and a pipe that would block
 * (EAGAIN: a non-blocking pipe), go through the stream, which queues.
 */
export function fdWriter(
  fd: number,
  stream: () => NodeJS.WriteStream,
  io: { isTerminal?: (fd: number) => boolean; write?: (fd: number, bytes: Buffer, offset: number) => number } = {},
): (text: string) => void {
  const write = io.write ?? ((f: number, b: Buffer, o: number) => writeSync(f, b, o));
  let gone = false;
  let viaStream: ((text: string | Buffer) => void) | null = (io.isTerminal ?? isatty)(fd) ? writerFor(stream()) : null;
  return (text) => {
    if (gone) return;
    if (viaStream) return viaStream(text);
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      while (written < bytes.length) written += write(fd, bytes, written);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') gone = true;
      else if (code === 'EAGAIN') (viaStream = writerFor(stream()))(bytes.subarray(written));
      else throw err;
    }
  };
}

/**
 * The process's real output. chalk is loaded only when a stream gets color.
 */
export async function processOutput(env: NodeJS.ProcessEnv = process.env): Promise<Output> {
  // The streams are created only where a terminal needs them (fdWriter).
  const stdout = () => process.stdout;
  const stderr = () => process.stderr;
  const outLevel = colorLevel(1, stdout, env);
  const errLevel = colorLevel(2, stderr, env);
  const Chalk = outLevel > 0 || errLevel > 0 ? (await import('chalk')).Chalk : null;
  return {
    out: fdWriter(1, stdout),
    err: fdWriter(2, stderr),
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
  return isatty(2) && env['TERM'] !== 'dumb';
}

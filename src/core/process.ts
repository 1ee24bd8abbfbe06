/**
 * Running a short-lived subprocess (codex, python) and collecting its output.
 * One small interface so tests can substitute scripted results.
 */

export interface RunResult {
  /** Exit code, or null when the process was killed or never started. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Set when the process could not be started (e.g. ENOENT) or timed out. */
  failure?: { kind: 'not-found' | 'not-executable' | 'timeout' | 'other'; message: string };
}

export type RunCommand = (
  file: string,
  args: readonly string[],
  opts: { env: Record<string, string | undefined>; timeoutMs: number; cwd?: string },
) => Promise<RunResult>;

/** The real runner (execa, loaded on first use to keep start-up fast): no shell, stdin closed, environment replaced by `env`. */
export const runCommand: RunCommand = async (file, args, opts) => {
  const { execa } = await import('execa');
  const r = await execa(file, args, {
    env: opts.env,
    extendEnv: false,
    timeout: opts.timeoutMs,
    reject: false,
    stdin: 'ignore',
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    maxBuffer: 16 * 1024 * 1024,
  });
  const out: RunResult = { exitCode: r.exitCode ?? null, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  if (r.timedOut) out.failure = { kind: 'timeout', message: `timed out after ${opts.timeoutMs} ms` };
  else if (r.failed && r.exitCode === undefined) {
    const code = (r.cause as { code?: string } | undefined)?.code;
    out.failure = {
      kind: code === 'ENOENT' ? 'not-found' : code === 'EACCES' ? 'not-executable' : 'other',
      message: r.shortMessage ?? String(r.cause ?? 'failed to start'),
    };
  }
  return out;
};

/**
 * Running checks: concurrently, each with its own timeout; a check that
 * throws or times out becomes a failed check, never a crash.
 */
import { redactSecrets } from '../codex/child-env.js';
import { HermesCodexError } from '../core/errors.js';
import { configLoadFailure } from '../runtime/errors.js';
import { toolVersion } from '../core/version.js';
import { DoctorContext, type DoctorOptions } from './context.js';
import { selectChecks, type Selection } from './registry.js';
import type { CheckDefinition, CheckResult, DoctorReport } from './types.js';

export interface RunDoctorOptions extends DoctorOptions, Selection {
  /** Per-check timeout in ms (default 20 s; live checks 90 s). */
  checkTimeoutMs?: number;
  /** Progress for people: the checks still running, each time one starts, ends or says what it waits for: its id, with `(what it waits for)` when it said. */
  onProgress?: (running: readonly string[]) => void;
}

/** A check that did not finish in time: for a live check, usually a codex that hangs. */
export class CheckTimeoutError extends HermesCodexError {}

async function runOne(def: CheckDefinition, ctx: DoctorContext, timeoutMs: number): Promise<CheckResult> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const secs = Math.round(timeoutMs / 1000);
    timer = setTimeout(
      () =>
        reject(
          new CheckTimeoutError(`no answer after ${secs} s`, {
            remediation: def.live
              ? 'codex did not answer: it may hang on start (an MCP server that never finishes starting, a network it waits for). Run `codex mcp list` and `codex app-server` by hand with the same CODEX_HOME to see where it stops.'
              : 'Something this check runs did not answer in time (codex --version, its config loader, or the callback\'s Python); run it by hand to see where it stops.',
          }),
        ),
      timeoutMs,
    );
  });
  const base = { id: def.id, category: def.category, title: def.title };
  try {
    const o = await Promise.race([def.run(ctx), timeout]);
    return {
      ...base,
      status: o.status,
      summary: o.summary,
      details: o.details ?? [],
      remediation: o.status === 'warn' || o.status === 'fail' ? o.remediation ?? null : null,
      durationMs: Math.round(performance.now() - t0),
      fixable: Boolean(o.fix) && (o.status === 'warn' || o.status === 'fail'),
      ...(o.fix && (o.status === 'warn' || o.status === 'fail') ? { fix: o.fix } : {}),
      ...(o.facts ? { facts: o.facts } : {}),
    };
  } catch (caught) {
    // A live request codex refused because it cannot load config.toml: the file and place, not the JSON-RPC error.
    const unloadable = configLoadFailure(caught);
    const err = unloadable ?? caught;
    const message = (err as Error).message?.split('\n--- codex stderr')[0] ?? String(err);
    return {
      ...base,
      status: 'fail',
      summary: unloadable ? message : `check failed: ${message}`,
      details: failureDetails(err),
      remediation: err instanceof HermesCodexError ? err.remediation ?? null : 'Please report this.',
      durationMs: Math.round(performance.now() - t0),
      fixable: false,
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One redaction pass over the finished rows: secrets from the environment
 * (variables named like keys or tokens), bearer tokens and key shapes never
 * leave doctor, whichever check quoted them (codex's errors, a server's stderr).
 */
function redactReport(checks: CheckResult[], env: Record<string, string | undefined>): void {
  for (const c of checks) {
    c.summary = redactSecrets(c.summary, env);
    c.details = c.details.map((d) => redactSecrets(d, env));
    if (c.remediation) c.remediation = redactSecrets(c.remediation, env);
  }
}

/**
 * Details of a check that threw: what the process it ran printed last on
 * stderr (codex's own words on why it exited, `AppServerExitedError.stderrTail`),
 * else for an unexpected error the top of its stack, else nothing.
 */
function failureDetails(err: unknown): string[] {
  const tail = (err as { stderrTail?: unknown } | null)?.stderrTail;
  if (typeof tail === 'string' && tail.trim()) return tail.trim().split('\n').slice(-10).map((l) => `codex stderr: ${l}`);
  if (err instanceof HermesCodexError || !(err as Error).stack) return [];
  return [(err as Error).stack!.split('\n').slice(0, 3).join(' ')];
}

/** Overall status: fail if any check failed, warn if any warned, else ok. */
export function overallStatus(checks: readonly CheckResult[]): DoctorReport['overallStatus'] {
  return checks.some((c) => c.status === 'fail') ? 'fail' : checks.some((c) => c.status === 'warn') ? 'warn' : 'ok';
}

/**
 * Run the selected checks and build the report.
 * @throws UnknownCheckError for unknown check ids (a usage error)
 */
export async function runDoctor(opts: RunDoctorOptions = {}): Promise<DoctorReport> {
  const defs = selectChecks(opts);
  const ctx = new DoctorContext(opts);
  try {
    const running = new Set<string>();
    const progress = () => opts.onProgress?.([...running].map((id) => (ctx.waiting.has(id) ? `${id} (${ctx.waiting.get(id)})` : id)));
    ctx.onWaiting = progress;
    const checks = await Promise.all(
      defs.map(async (d) => {
        running.add(d.id);
        progress();
        try {
          return await runOne(d, ctx, opts.checkTimeoutMs ?? (d.live ? 90_000 : 20_000));
        } finally {
          running.delete(d.id);
          progress();
        }
      }),
    );
    const [v, home] = await Promise.all([ctx.codexVersion(), ctx.codexHome()]);
    redactReport(checks, ctx.env);
    return {
      schemaVersion: 1,
      generatedAt: ctx.now().toISOString(),
      overallStatus: overallStatus(checks),
      toolVersion: toolVersion(),
      codexVersion: v?.ok ? v.value.version : null,
      codexHome: home.ok ? home.value.path : null,
      checks,
    };
  } finally {
    await ctx.close();
  }
}

/**
 * Spans of migrate's phases, published on Node's `diagnostics_channel` as
 * tracing channels (`hermes-codex:migrate.<phase>`, each with Node's
 * `start`/`end`/`asyncStart`/`asyncEnd`/`error` sub-channels), so that
 * `npm run bench` can report what each part of a run costs (the correctness
 * features apart from the job itself) and an APM tool can see the same.
 *
 * Observation only: a span never changes what the code it wraps does or
 * returns. Without a subscriber a span is a map lookup and a flag check, and
 * `node:diagnostics_channel` is loaded by the first span, not at start-up.
 * The context object a subscriber receives is `{ phase, async }` (plus
 * Node's own `result` or `error`).
 */
import type { TracingChannel } from 'node:diagnostics_channel';

/** What a phase is part of: the job itself, or one of the correctness features the performance issue keeps. */
export type PhasePart = 'job' | 'validation' | 'ownership record' | 'lock' | 'backup' | 'plugins';

/**
 * migrate's phases, in the order a run passes them, with what each is part of.
 * Spans nest: `migrate` holds the rest, `plan` holds `translate` to `record`,
 * `dissect` holds `judge` (a subscriber
 * wanting each phase's own time subtracts its children's). One exception:
 * `codex-validate` may start inside `plugins` and end after it (codex's
 * loader runs on the likely result while plugin discovery does).
 */
export const MIGRATE_PHASES = {
  migrate: { part: 'job', what: 'resolving the workspace and everything not in another phase' },
  'read-hermes': { part: 'job', what: 'reading and parsing config.yaml' },
  'read-codex': { part: 'job', what: 'reading config.toml and the ownership record' },
  memo: { part: 'job', what: "recalling the last no-change run's memo, or keeping one" },
  plugins: { part: 'plugins', what: 'plugin discovery through codex' },
  plan: { part: 'job', what: 'planning: what the plan does outside the phases nested in it' },
  translate: { part: 'job', what: 'translating the MCP servers' },
  parse: { part: 'validation', what: 'parsing config.toml as found (what the invariant compares against)' },
  dissect: { part: 'job', what: 'finding the managed block and what stays outside it' },
  judge: { part: 'ownership record', what: 'judging whose each entry in the block is (fingerprints against the record)' },
  'parse-outside': { part: 'validation', what: 'parsing the text outside the block on its own' },
  render: { part: 'job', what: 'rendering the block and the new file' },
  check: { part: 'validation', what: 'parsing the new file and checking nothing outside the block changed' },
  record: { part: 'ownership record', what: "the record's per-key fingerprints" },
  'codex-validate': { part: 'validation', what: "codex's own config loader" },
  lock: { part: 'lock', what: 'taking and releasing the lock, clearing stale temporary files' },
  backup: { part: 'backup', what: 'writing the backups of config.toml and the record' },
  write: { part: 'job', what: 'writing config.toml atomically (temporary file, fsync, re-read, rename)' },
  'write-record': { part: 'ownership record', what: 'writing the ownership record atomically' },
} as const satisfies Record<string, { part: PhasePart; what: string }>;

export type MigratePhase = keyof typeof MIGRATE_PHASES;

/** The tracing channel's name for a phase: `hermes-codex:migrate.<phase>`. */
export function phaseChannelName(phase: MigratePhase): string {
  return `hermes-codex:migrate.${phase}`;
}

type DiagnosticsChannel = typeof import('node:diagnostics_channel');
let dc: DiagnosticsChannel | undefined;
const channels = new Map<MigratePhase, TracingChannel<object>>();

function channelFor(phase: MigratePhase): TracingChannel<object> {
  let ch = channels.get(phase);
  if (!ch) {
    // Loaded at the first span (about 0.3 ms): most commands never open one.
    dc ??= process.getBuiltinModule('node:diagnostics_channel') as DiagnosticsChannel;
    ch = dc.tracingChannel(phaseChannelName(phase));
    channels.set(phase, ch);
  }
  return ch;
}

/** Run `fn` as a span of `phase`; returns what `fn` returns and throws what it throws. */
export function traced<T>(phase: MigratePhase, fn: () => T): T {
  const ch = channelFor(phase);
  if (!ch.hasSubscribers) return fn();
  return ch.traceSync(fn, { phase, async: false });
}

/** {@link traced} for an async `fn`: the span ends when its promise settles. */
export function tracedAsync<T>(phase: MigratePhase, fn: () => Promise<T>): Promise<T> {
  const ch = channelFor(phase);
  if (!ch.hasSubscribers) return fn();
  return ch.tracePromise(fn, { phase, async: true });
}

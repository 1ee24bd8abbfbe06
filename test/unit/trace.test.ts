/**
 * migrate's phase spans on diagnostics_channel (src/core/trace.ts): what the
 * bench's cost breakdown reads. Each phase a run passes is one or more
 * well-formed spans nested in `migrate`; a failing phase reports its error
 * and the error reaches the caller unchanged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { tracingChannel } from 'node:diagnostics_channel';
import { migrate, type MigrateOptions } from '../../src/migrate/migrate.js';
import { MIGRATE_PHASES, phaseChannelName, traced, type MigratePhase } from '../../src/core/trace.js';
import { ConfigSyntaxError } from '../../src/core/errors.js';
import { memFileSystem, type MemFs } from '../helpers/memfs.js';

const HOME = '/home/me';
const YAML = 'mcp_servers:\n  gh:\n    command: npx\n  web:\n    url: https://example.com/mcp\n';

type Event = { phase: MigratePhase; event: 'start' | 'end' | 'asyncEnd' | 'error'; error?: unknown };

/** Subscribe to every phase; returns the events seen, in order, and an unsubscribe. */
function record(): { events: Event[]; stop: () => void } {
  const events: Event[] = [];
  const subs = (Object.keys(MIGRATE_PHASES) as MigratePhase[]).map((phase) => {
    const ch = tracingChannel(phaseChannelName(phase));
    const handlers = {
      start: () => events.push({ phase, event: 'start' }),
      end: (ctx: { async?: boolean }) => void (ctx.async ? undefined : events.push({ phase, event: 'end' })),
      asyncStart: () => undefined,
      asyncEnd: () => events.push({ phase, event: 'asyncEnd' }),
      error: (ctx: { error?: unknown }) => events.push({ phase, event: 'error', error: ctx.error }),
    };
    ch.subscribe(handlers as never);
    return () => ch.unsubscribe(handlers as never);
  });
  return { events, stop: () => subs.forEach((u) => u()) };
}

/** Spans from events: each start closed by its end, properly nested (a stack), with the depth. */
function spans(events: Event[]): { phase: MigratePhase; depth: number }[] {
  const stack: MigratePhase[] = [];
  const out: { phase: MigratePhase; depth: number }[] = [];
  for (const e of events) {
    if (e.event === 'start') {
      out.push({ phase: e.phase, depth: stack.length });
      stack.push(e.phase);
    } else if (e.event !== 'error') {
      expect(stack.pop()).toBe(e.phase);
    }
  }
  expect(stack).toEqual([]);
  return out;
}

function options(files: Record<string, string>): MigrateOptions {
  return {
    fs: memFileSystem({ [`${HOME}/.hermes/config.yaml`]: YAML, '/venv/bin/python': '', ...files }),
    env: { PATH: '/nowhere' },
    home: HOME,
    cwd: HOME,
    hermesPython: '/venv/bin/python',
    now: () => new Date('2026-11-30T00:00:00Z'),
    tmpRoots: ['/tmp'],
    validateWithCodex: false,
    plugins: false,
  };
}

let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe("migrate's phase spans", () => {
  it('a first run passes every phase of the job, validation, the record and the lock, nested in migrate; no backup', async () => {
    const r = record();
    stop = r.stop;
    await migrate(options({ [`${HOME}/.codex/.keep`]: '' }));
    const s = spans(r.events);
    expect(s[0]).toEqual({ phase: 'migrate', depth: 0 });
    expect(s.slice(1).every((x) => x.depth >= 1)).toBe(true);
    const seen = new Set(s.map((x) => x.phase));
    for (const p of ['read-hermes', 'read-codex', 'plan', 'translate', 'parse', 'dissect', 'parse-outside', 'render', 'check', 'record', 'lock', 'write', 'write-record'] as const) {
      expect(seen, p).toContain(p);
    }
    // Nothing to back up, nothing in a block to judge, codex and plugins off.
    for (const p of ['backup', 'judge', 'codex-validate', 'plugins'] as const) expect(seen, p).not.toContain(p);
  });

  it('a re-run over a block with a changed server judges the entries inside dissect and writes the backups', async () => {
    const opts = options({ [`${HOME}/.codex/.keep`]: '' });
    await migrate(opts);
    (opts.fs as MemFs).vol.writeFileSync(`${HOME}/.hermes/config.yaml`, YAML.replace('npx', 'uvx'));
    const r = record();
    stop = r.stop;
    await migrate(opts);
    const s = spans(r.events);
    const judge = s.filter((x) => x.phase === 'judge');
    expect(judge.length).toBeGreaterThan(0);
    // Every judgement of an entry in the block happens while the block is dissected.
    const i = s.findIndex((x) => x.phase === 'dissect');
    const dissectDepth = s[i]!.depth;
    const end = s.findIndex((x, k) => k > i && x.depth <= dissectDepth);
    expect(s.slice(i + 1, end).filter((x) => x.phase === 'judge').length).toBe(judge.length);
    expect(s.filter((x) => x.phase === 'backup').length).toBe(2); // config.toml's and the record's
  });

  it('a failing phase publishes its error, and the caller gets the same error', async () => {
    const r = record();
    stop = r.stop;
    const err = await migrate(options({ [`${HOME}/.codex/config.toml`]: '[broken\n' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigSyntaxError);
    const errors = r.events.filter((e) => e.event === 'error');
    expect(errors.map((e) => e.phase)).toEqual(['parse', 'plan', 'migrate']);
    expect(errors.every((e) => e.error === err)).toBe(true);
  });

  it('without a subscriber a span returns what it wraps and throws what it throws', () => {
    expect(traced('render', () => 42)).toBe(42);
    const boom = new Error('boom');
    expect(() => traced('render', () => { throw boom; })).toThrow(boom);
  });
});

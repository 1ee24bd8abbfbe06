// Loaded with `node --require bench/phases.cjs` by `npm run bench` (bench/run.mjs) for the cost
// breakdown of `migrate`: subscribes to the phase spans hermes-codex publishes on
// diagnostics_channel (src/core/trace.ts; names in BENCH_PHASES, comma-separated) and to V8's garbage
// collections (perf_hooks `gc` entries: the pauses on the main thread), and at exit appends one
// JSON line to BENCH_PHASES_OUT:
//   own:    per phase, its own time (its spans' time minus the spans nested in them and minus the
//           collections that started inside it) and its span count, ms
//   gc:     collection pauses that started inside a span of migrate, ms (`gcOutside`: the rest), as
//           perf_hooks `gc` entries; those arrive only when the event loop turns, which a run on
//           synchronous file calls rarely does, so pauses not seen stay inside the phases' times
//   gcTotal: every collection pause of the process, ms (v8.GCProfiler, which counts them as they happen)
//   migrateStart, migrateEnd, exit: ms since Node's time origin (performance.now())
'use strict';
const dc = require('node:diagnostics_channel');
const { appendFileSync } = require('node:fs');
const { performance, PerformanceObserver } = require('node:perf_hooks');

const stack = [];
const spans = []; // closed spans: { phase, t0, t1, depth, nested }
const collections = [];
const observer = new PerformanceObserver((list) => collections.push(...list.getEntries()));
observer.observe({ entryTypes: ['gc'] });
const profiler = new (require('node:v8').GCProfiler)();
profiler.start();

function open(phase) {
  stack.push({ phase, t0: performance.now(), depth: stack.length, nested: 0 });
}
function close(phase) {
  // Spans nest, except `codex-validate`, which may run alongside `plugins` and end after it.
  const i = stack.findLastIndex((s) => s.phase === phase);
  if (i === -1) throw new Error(`bench/phases.cjs: span ${phase} closed but never opened`);
  const [f] = stack.splice(i, 1);
  f.t1 = performance.now();
  if (i > 0) stack[i - 1].nested += f.t1 - f.t0;
  spans.push(f);
}

for (const phase of (process.env.BENCH_PHASES ?? '').split(',').filter(Boolean)) {
  dc.tracingChannel(`hermes-codex:migrate.${phase}`).subscribe({
    start: () => open(phase),
    end: (ctx) => { if (!ctx.async) close(phase); },
    asyncStart: () => {},
    asyncEnd: () => close(phase),
    error: () => {},
  });
}

process.on('exit', () => {
  if (!process.env.BENCH_PHASES_OUT) return;
  const exit = performance.now();
  collections.push(...observer.takeRecords());
  const gcTotal = profiler.stop().statistics.reduce((ms, g) => ms + g.cost / 1000, 0);
  const own = {};
  for (const s of spans) {
    const o = (own[s.phase] ??= { ms: 0, spans: 0 });
    o.ms += s.t1 - s.t0 - s.nested;
    o.spans += 1;
  }
  let gc = 0;
  let gcOutside = 0;
  for (const c of collections) {
    // The innermost span the collection started in pays for it in `gc`, not in its own time.
    let inner = null;
    for (const s of spans) if (s.t0 <= c.startTime && c.startTime < s.t1 && (!inner || s.depth > inner.depth)) inner = s;
    if (inner) {
      own[inner.phase].ms -= c.duration;
      gc += c.duration;
    } else gcOutside += c.duration;
  }
  const m = spans.find((s) => s.phase === 'migrate');
  appendFileSync(process.env.BENCH_PHASES_OUT, JSON.stringify({ own, gc, gcOutside, gcTotal, migrateStart: m?.t0 ?? null, migrateEnd: m?.t1 ?? null, exit }) + '\n');
});

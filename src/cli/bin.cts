#!/usr/bin/env node
/**
 * Entry point, in CommonJS on purpose: `--version` is answered without
 * starting Node's ES module loader (about 7 ms on Node 20) or loading
 * anything but package.json, so the cheapest call stays within 1.1× of
 * `node -e 0` (see bench/). Everything else goes to the CLI: the bundle
 * `npm run build` makes (dist/cli-bundle/cli.cjs, one file, run through a
 * V8 code cache by compile-cache.cts), or the compiled modules (`main.js`)
 * where there is no bundle.
 */
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Read, not require()d (no module resolution), and written straight to fd 1: setting up
  // process.stdout alone costs about 2 ms (measured), most of what this call takes beyond Node's start.
  const fs = require('node:fs') as typeof import('node:fs');
  const { version } = JSON.parse(fs.readFileSync(`${__dirname}/../../package.json`, 'utf8')) as { version: string };
  try {
    fs.writeSync(1, `${version}\n`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN') process.stdout.write(`${version}\n`); // a full non-blocking pipe: let the stream queue it
    else {
      if (code !== 'EPIPE') process.stderr.write(`hermes-codex: cannot write the version to stdout (${code ?? String(err)})\n`);
      process.exitCode = 1;
    }
  }
} else {
  const { existsSync } = require('node:fs') as typeof import('node:fs');
  const { join } = require('node:path') as typeof import('node:path');
  const bundled = join(__dirname, '..', 'cli-bundle', 'cli.cjs');
  let cli: Promise<typeof import('./main.js')>;
  if (existsSync(bundled)) {
    const { loadBundle, commandWord } = require('./compile-cache.cjs') as typeof import('./compile-cache.cjs');
    const loaded = loadBundle(bundled, { command: commandWord(argv) });
    // Not after a usage error (exit 2): a mistyped command word would leave a cache file of its own.
    process.once('exit', (code) => {
      if (code !== 2) loaded.save();
    });
    cli = Promise.resolve(loaded.exports as unknown as typeof import('./main.js'));
  } else {
    cli = import('./main.js');
  }
  void cli.then(async ({ main }) => {
    process.exitCode = await main(argv);
    // The command is done. Once the microtasks it left have run (a tick queued now runs after them), a
    // process with nothing left to wait for (no child, stream, timer or file request) leaves at once:
    // a natural exit would first run V8's pending tasks (at 1,000 servers a 5 ms garbage collection of
    // a heap about to be freed) and tear the environment down (docs/performance.md, eleventh session).
    // Anything still active, output still queued on a stream among it, gets the natural exit.
    process.nextTick(() => {
      if (process.getActiveResourcesInfo().length === 0) process.exit();
    });
  });
}

#!/usr/bin/env node
/**
 * Entry point, in CommonJS on purpose: `--version` is answered without
 * starting Node's ES module loader (about 7 ms on Node 20) or importing
 * anything, so the cheapest call stays within 1.1× of `node -e 0`
 * (see bench/). Everything else goes to the CLI: the bundle `npm run build`
 * makes (dist/cli-bundle, a few files instead of a few hundred), or the
 * compiled modules (`main.js`) where there is no bundle.
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  process.stdout.write(pkg.version + '\n');
} else {
  const bundled = path.join(__dirname, '..', 'cli-bundle', 'main.js');
  const cli: Promise<typeof import('./main.js')> = existsSync(bundled) ? import(pathToFileURL(bundled).href) : import('./main.js');
  void cli.then(async ({ main }) => {
    process.exitCode = await main(argv);
  });
}

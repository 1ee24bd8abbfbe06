#!/usr/bin/env node
/**
 * Entry point. `--version` is answered before anything heavy is imported,
 * so the cheapest call stays close to `node -e 0` (see bench/).
 */
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const { toolVersion } = await import('../version.js');
  process.stdout.write(toolVersion() + '\n');
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(argv);
}

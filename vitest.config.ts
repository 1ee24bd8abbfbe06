import { defineConfig } from 'vitest/config';

export default defineConfig({
  // TypeScript's CommonJS sources (src/cli/*.cts) too, so tests import them like the rest.
  oxc: { include: /\.(m?ts|cts|[jt]sx)$/ },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    globalSetup: ['./test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});

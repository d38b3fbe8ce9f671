import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts', 'examples/**/*.test.ts'],
    globalSetup: ['./__tests__/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // The closing line `N passed, N failed[, N skipped]` comes from the summary reporter.
    reporters: ['default', './__tests__/support/summary-reporter.ts'],
    pool: 'forks',
    // Two test files at a time even on two cores: many tests wait on sockets, child processes and
    // timers rather than on the CPU.
    maxWorkers: 2,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The embedded ClickHouse engine allows one data directory per process, so every test file
    // that opens a store runs in its own forked process.
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

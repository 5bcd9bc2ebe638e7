import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['tests/helpers/postgres-global-setup.ts'],
    // Integration tests start brokers and child processes on a 2-core machine.
    maxWorkers: 2,
  },
});

import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Multi-node and CLI tests are CPU-heavy (encryption in userspace); two cores.
    maxWorkers: 2
  }
})

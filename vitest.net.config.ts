import { defineConfig } from 'vitest/config'

// `npm run test:net`: the network-namespace tests (root, iproute2, nftables, gcc). One file
// at a time: each builds its own namespaces and runs several CLI processes on two cores.
export default defineConfig({
  test: {
    setupFiles: ['test/helpers/isolated-cache.ts'],
    include: ['test/net/**/*.test.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 180_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000
  }
})

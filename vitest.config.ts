import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    setupFiles: ['test/helpers/isolated-cache.ts'],
    include: ['test/**/*.test.ts'],
    // Network-namespace tests need root: `npm run test:net` (vitest.net.config.ts); the media
    // tests need ffmpeg: `npm run test:media` (vitest.media.config.ts).
    exclude: [...configDefaults.exclude, 'test/net/**', 'test/media/**'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Multi-node and CLI tests are CPU-heavy (encryption in userspace); two cores.
    maxWorkers: 2
  }
})

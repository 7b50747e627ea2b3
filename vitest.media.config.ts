import { defineConfig } from 'vitest/config'

// `npm run test:media`: real media through the stream server (issue 13). Needs ffmpeg and
// ffprobe, which `npm test` does not; one file at a time, each runs several CLI processes.
export default defineConfig({
  test: {
    setupFiles: ['test/helpers/isolated-cache.ts'],
    include: ['test/media/**/*.test.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000
  }
})

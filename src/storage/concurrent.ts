// Bounded concurrency for per-file work: enough in flight to overlap system calls, never so
// much that thousands of files are opened at once.

/** Runs `task(i)` for every i in [0, count), at most `limit` at a time. After a failure no
 *  new task starts; once the running ones end, it rejects with the first failure. */
export async function forEachLimited (count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0
  let failed = false
  let failure: unknown
  const worker = async (): Promise<void> => {
    while (next < count && !failed) {
      const index = next++
      try {
        await task(index)
      } catch (err) {
        if (!failed) failure = err
        failed = true
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker))
  if (failed) throw failure
}

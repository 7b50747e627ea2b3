// For state no event announces (a queue inside a session): poll it, bounded in time.
// Wherever an event exists, await it instead (helpers/events.ts).

export async function waitUntil<T> (check: () => T | undefined | null | false, timeoutMs = 5_000, what = 'condition'): Promise<T> {
  const start = Date.now()
  for (;;) {
    const value = check()
    if (value !== undefined && value !== null && value !== false) return value
    if (Date.now() - start > timeoutMs) throw new Error(`${what} not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

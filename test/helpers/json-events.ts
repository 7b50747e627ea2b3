// The `--json` events of a CLI process, all kept in order as they arrive, so a test can wait
// for one that matches (arming the wait before it acts) and look at what came before or after.

import { createInterface } from 'node:readline'
import type { CliProcess } from './cli.js'

export interface JsonEvent {
  event: string
  [field: string]: unknown
}

export interface JsonEventLog {
  /** Every event so far, in the order the process wrote them. */
  readonly all: readonly JsonEvent[]
  /** The first event at or after position `from` that `test` accepts, with its position. */
  next: (test: (event: JsonEvent) => boolean, what: string, opts?: { from?: number, timeoutMs?: number }) => Promise<{ event: JsonEvent, index: number }>
}

export function jsonEvents (cli: CliProcess): JsonEventLog {
  const all: JsonEvent[] = []
  const watchers = new Set<() => void>()
  let ended = false
  // A second reader of standard output: the process's own nextLine() queue is left alone.
  const lines = createInterface({ input: cli.child.stdout })
  lines.on('line', (line) => {
    all.push(JSON.parse(line) as JsonEvent)
    for (const watch of [...watchers]) watch()
  })
  lines.on('close', () => { // standard output ended: every event is in
    ended = true
    for (const watch of [...watchers]) watch()
  })
  return {
    all,
    next: async (test, what, opts = {}) => {
      const from = opts.from ?? 0
      const timeoutMs = opts.timeoutMs ?? 30_000
      return await new Promise((resolve, reject) => {
        const done = (failure: Error | null, found?: { event: JsonEvent, index: number }): void => {
          clearTimeout(timer)
          watchers.delete(watch)
          if (failure === null) resolve(found!)
          else reject(failure)
        }
        const watch = (): void => {
          for (let i = from; i < all.length; i++) if (test(all[i]!)) { done(null, { event: all[i]!, index: i }); return }
          if (ended) done(new Error(`${what}: the process ended first; stderr: ${cli.stderr()}`))
        }
        const timer = setTimeout(() => done(new Error(`${what}: no such event within ${timeoutMs} ms; stderr: ${cli.stderr()}`)), timeoutMs)
        watchers.add(watch)
        watch()
      })
    }
  }
}

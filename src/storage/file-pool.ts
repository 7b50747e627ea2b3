// File handles opened on first use and kept for the next, so serving a block is a couple of
// positional reads. At most `maxOpen` stay open (a folder share may have 100,000 files): the
// least recently used idle handle is closed first. A handle in use is never closed under a
// read or write — its descriptor number could be reused by another file.

import type { FileHandle } from 'node:fs/promises'
import { MAX_OPEN_FILES } from '../constants.js'
import { closed } from '../errors.js'

export type OpenFile = (file: number) => Promise<FileHandle>

interface Entry {
  handle: Promise<FileHandle>
  users: number
}

export class FilePool {
  private readonly open: OpenFile
  private readonly maxOpen: number
  /** In least recently used order: a Map iterates in insertion order. */
  private readonly entries = new Map<number, Entry>()
  private readonly running = new Set<Promise<unknown>>()
  private closed = false

  constructor (open: OpenFile, maxOpen = MAX_OPEN_FILES) {
    this.open = open
    this.maxOpen = maxOpen
  }

  /** Handles open now (or opening). */
  get size (): number { return this.entries.size }

  /** Runs `task` with the handle of `file`, opening it if needed. */
  use<T> (file: number, task: (handle: FileHandle) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(closed('storage'))
    const run = this.run(file, task)
    const forget = (): void => { this.running.delete(run) }
    this.running.add(run)
    run.then(forget, forget)
    return run
  }

  /** Waits for the reads and writes under way, then closes every handle. Rejects with the
   *  first error a close reports (a deferred write error, on some filesystems). */
  async close (): Promise<void> {
    this.closed = true
    await Promise.allSettled([...this.running])
    const entries = [...this.entries.values()]
    this.entries.clear()
    const results = await Promise.allSettled(entries.map(closeEntry))
    const failure = results.find((r) => r.status === 'rejected')
    if (failure !== undefined) throw failure.reason
  }

  private async run<T> (file: number, task: (handle: FileHandle) => Promise<T>): Promise<T> {
    const entry = this.acquire(file)
    try {
      return await task(await entry.handle)
    } finally {
      entry.users--
      this.trim()
    }
  }

  private acquire (file: number): Entry {
    let entry = this.entries.get(file)
    if (entry === undefined) {
      const created: Entry = { handle: this.open(file), users: 0 }
      // A failed open is forgotten, so the next use tries again; its caller sees the error.
      created.handle.catch(() => {
        if (this.entries.get(file) === created) this.entries.delete(file)
      })
      entry = created
    } else {
      this.entries.delete(file) // re-inserted below: now the most recently used
    }
    this.entries.set(file, entry)
    entry.users++
    return entry
  }

  private trim (): void {
    for (const [file, entry] of this.entries) {
      if (this.entries.size <= this.maxOpen) return
      if (entry.users > 0) continue
      this.entries.delete(file)
      // Evicting an idle handle: nothing waits on it, and a failure to close it leaves
      // nothing to act on (the bytes it wrote were already accepted by the kernel).
      closeEntry(entry).catch(() => {})
    }
  }
}

/** Closes the handle once it is open; an entry whose open failed has nothing to close. */
async function closeEntry (entry: Entry): Promise<void> {
  let handle: FileHandle
  try {
    handle = await entry.handle
  } catch {
    return
  }
  await handle.close()
}

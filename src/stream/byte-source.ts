// What the stream server reads from: files and a read that resolves only with verified bytes.
// Over a session it waits for pieces (session-source.ts); here a memory source (tests) and
// complete files on disk.

import { open } from 'node:fs/promises'
import { closed, notFound } from '../errors.js'

export interface StreamFile { path: string, size: number }

export interface ByteSource {
  readonly files: readonly StreamFile[]
  /** Resolves with exactly `length` bytes once they are verified; rejects when `signal` aborts.
   *  `reader` names the response reading (its reads follow on), so the source can fetch ahead. */
  read: (fileIndex: number, offset: number, length: number, signal: AbortSignal, reader?: string) => Promise<Buffer>
  /** The reader's response is over. */
  leave?: (reader: string) => void
}

function abortable<T> (signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(closed('the read'))
  return work()
}

export function memorySource (files: ReadonlyArray<{ path: string, bytes: Buffer }>): ByteSource {
  return {
    files: files.map(f => ({ path: f.path, size: f.bytes.length })),
    read: async (index, offset, length, signal) => await abortable(signal, async () => {
      const file = files[index]
      if (file === undefined) throw notFound(String(index))
      return file.bytes.subarray(offset, offset + length)
    })
  }
}

/** Complete files on disk (a local share): `root` joined with each path. */
export function fileSource (files: ReadonlyArray<{ path: string, size: number, diskPath: string }>): ByteSource {
  return {
    files: files.map(f => ({ path: f.path, size: f.size })),
    read: async (index, offset, length, signal) => await abortable(signal, async () => {
      const file = files[index]
      if (file === undefined) throw notFound(String(index))
      const handle = await open(file.diskPath, 'r')
      try {
        const buf = Buffer.alloc(length)
        let done = 0
        while (done < length) {
          const { bytesRead } = await handle.read(buf, done, length - done, offset + done)
          if (bytesRead === 0) break
          done += bytesRead
        }
        return buf.subarray(0, done)
      } finally {
        await handle.close()
      }
    })
  }
}

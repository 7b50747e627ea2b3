// Positional reads and writes that finish the job: one read(2) or writev(2) may move fewer
// bytes than asked, so both loop until done.

import type { FileHandle } from 'node:fs/promises'

/** Reads `length` bytes at file `position` into `into` at `at`. Returns the bytes read:
 *  fewer than `length` only when the file ends first. */
export async function readExactly (handle: FileHandle, into: Uint8Array, at: number, length: number, position: number): Promise<number> {
  let done = 0
  while (done < length) {
    const { bytesRead } = await handle.read(into, at + done, length - done, position + done)
    if (bytesRead === 0) break
    done += bytesRead
  }
  return done
}

/** The bytes `start` to `start + length` of the concatenation of `chunks`, as views. */
export function sliceChunks (chunks: readonly Uint8Array[], start: number, length: number): Uint8Array[] {
  const views: Uint8Array[] = []
  let at = 0
  for (const chunk of chunks) {
    const end = at + chunk.byteLength
    if (end > start && at < start + length) {
      views.push(chunk.subarray(Math.max(0, start - at), Math.min(chunk.byteLength, start + length - at)))
    }
    at = end
    if (at >= start + length) break
  }
  return views
}

/** Writes every byte of `chunks`, in order, from file `position`: one system call for a
 *  piece held as its blocks, where a single buffer would first have to be copied together. */
export async function writevExactly (handle: FileHandle, chunks: readonly Uint8Array[], position: number): Promise<void> {
  let pending = chunks.filter((c) => c.byteLength > 0)
  let done = 0
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending, position + done)
    if (bytesWritten === 0) throw new Error('the file accepted no bytes')
    done += bytesWritten
    pending = sliceChunks(pending, bytesWritten, Infinity)
  }
}

// Positional reads and writes that finish the job: one read(2) or write(2) may move fewer
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

/** Writes `length` bytes of `from` starting at `at` to file `position`. */
export async function writeExactly (handle: FileHandle, from: Uint8Array, at: number, length: number, position: number): Promise<void> {
  let done = 0
  while (done < length) {
    const { bytesWritten } = await handle.write(from, at + done, length - done, position + done)
    // Regular files never do this; without the check a misbehaving one would spin forever.
    if (bytesWritten === 0) throw new Error('the file accepted no bytes')
    done += bytesWritten
  }
}

// Content for demos and benchmarks: random files written and hashed in chunks, and files
// hashed as streams, so a 1 GiB file never sits in memory.

import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { once } from 'node:events'

const CHUNK_BYTES = 1024 * 1024

/** Writes `bytes` of random content to `path`; returns its SHA-256 (hex). */
export async function writeRandomFile (path: string, bytes: number): Promise<string> {
  const hash = createHash('sha256')
  const out = createWriteStream(path)
  for (let written = 0; written < bytes; written += CHUNK_BYTES) {
    const chunk = randomBytes(Math.min(CHUNK_BYTES, bytes - written))
    hash.update(chunk)
    if (!out.write(chunk)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return hash.digest('hex')
}

/** A file's SHA-256 (hex) and length, streamed. */
export async function digestOf (path: string): Promise<{ digest: string, bytes: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
    hash.update(chunk as Buffer)
    bytes += (chunk as Buffer).byteLength
  }
  return { digest: hash.digest('hex'), bytes }
}

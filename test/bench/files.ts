// Benchmark content: the demo's streamed random files and digests (one implementation), and
// deterministic content for the large cases (the same bytes for the same seed and size).

import { createCipheriv, createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { digestOf, writeRandomFile } from '../../src/demo/content.js'

export { writeRandomFile }

const CHUNK_BYTES = 1024 * 1024

export async function sha256File (path: string): Promise<string> {
  return (await digestOf(path)).digest
}

/** Writes `bytes` of the AES-256-CTR keystream of `seed` (incompressible, no holes, the same
 *  every time) to `path`, 1 MiB at a time; returns its SHA-256 (hex). */
export async function writeSeededFile (path: string, bytes: number, seed: string): Promise<string> {
  const key = createHash('sha256').update(seed).digest()
  const keystream = createCipheriv('aes-256-ctr', key, Buffer.alloc(16))
  const zeros = Buffer.alloc(CHUNK_BYTES)
  const hash = createHash('sha256')
  const out = createWriteStream(path)
  try {
    for (let written = 0; written < bytes; written += CHUNK_BYTES) {
      const chunk = keystream.update(zeros.subarray(0, Math.min(CHUNK_BYTES, bytes - written)))
      hash.update(chunk)
      if (!out.write(chunk)) await once(out, 'drain')
    }
  } finally {
    out.end()
  }
  await once(out, 'finish')
  return hash.digest('hex')
}

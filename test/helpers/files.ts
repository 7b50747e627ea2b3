// Temporary folders and content digests for tests.

import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TempDir {
  path: string
  remove: () => Promise<void>
}

export async function tempDir (prefix = 'bitswarm-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return { path, remove: async () => await rm(path, { recursive: true, force: true }) }
}

/** Writes `bytes` of random content and returns its SHA-256 (hex). */
export async function writeRandomFile (path: string, bytes: number): Promise<string> {
  const data = randomBytes(bytes)
  await writeFile(path, data)
  return createHash('sha256').update(data).digest('hex')
}

/** SHA-256 (hex) of a file, streamed. */
export async function sha256File (path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

// Hand-built metadata for storage tests: the real Metadata class lives in src/metadata, and
// storage only needs this much of it.

import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { StorageMetadata } from '../../../src/storage/storage.js'
import type { FileEntry } from '../../../src/types.js'

export const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest()

export interface Share {
  meta: StorageMetadata
  /** The whole content: every file concatenated in order. */
  content: Buffer
}

/** A share of random content laid out as `files` (a single file when `files` is one entry
 *  with an empty path), cut into pieces of `pieceSize` bytes. */
export function makeShare (name: string, files: FileEntry[], pieceSize: number): Share {
  const totalBytes = files.reduce((sum, f) => sum + f.length, 0)
  const content = randomBytes(totalBytes)
  const pieceCount = Math.ceil(totalBytes / pieceSize)
  const hashes: Buffer[] = []
  for (let piece = 0; piece < pieceCount; piece++) {
    hashes.push(sha256(content.subarray(piece * pieceSize, (piece + 1) * pieceSize)))
  }
  const pieceLength = (piece: number): number => Math.min(pieceSize, totalBytes - piece * pieceSize)
  const meta: StorageMetadata = {
    info: { name, pieceSize, files, pieceHashes: Buffer.concat(hashes) },
    totalBytes,
    pieceCount,
    pieceSize,
    name,
    pieceLength,
    verifyPiece: (piece, data) => data.byteLength === pieceLength(piece) && sha256(data).equals(hashes[piece]!),
    matchesPieceHash: (piece, digest) => hashes[piece]?.equals(digest) === true
  }
  return { meta, content }
}

/** The bytes of piece `piece` of a share. */
export function pieceOf (share: Share, piece: number): Buffer {
  const start = piece * share.meta.pieceSize
  return share.content.subarray(start, start + share.meta.pieceLength(piece))
}

/** Temporary folders for one test file; `cleanup` (for afterEach) removes them all. */
export function tempDirs (): { make: () => Promise<string>, cleanup: () => Promise<void> } {
  const made: string[] = []
  return {
    make: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'bitswarm-storage-'))
      made.push(dir)
      return dir
    },
    cleanup: async () => {
      await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
    }
  }
}

/** Writes a share's files at `root` (the file itself, or the folder holding the tree). */
export async function writeShareFiles (root: string, share: Share): Promise<void> {
  const { files } = share.meta.info
  let offset = 0
  for (const file of files) {
    const path = file.path.length === 0 ? root : join(root, ...file.path)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, share.content.subarray(offset, offset + file.length))
    offset += file.length
  }
}

/** The bytes of a share as found on disk at `root`, files concatenated in order. */
export async function readShareFiles (root: string, share: Share): Promise<Buffer> {
  const parts = await Promise.all(share.meta.info.files.map((file) =>
    readFile(file.path.length === 0 ? root : join(root, ...file.path))))
  return Buffer.concat(parts)
}

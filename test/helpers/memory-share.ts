// Shares that live in memory: metadata built from a buffer, and storage providers over
// MemoryStorage that record every piece written, so a test can prove what was (and was
// never) kept.

import { createHash, randomBytes } from 'node:crypto'
import { Bitfield } from '../../src/bitfield.js'
import { Metadata } from '../../src/metadata/metadata.js'
import type { StorageProvider } from '../../src/session/session.js'
import { MemoryStorage } from '../../src/storage/memory-storage.js'
import type { PieceData } from '../../src/storage/storage.js'

export interface MemoryShare {
  meta: Metadata
  content: Buffer
}

/** Metadata of `content` (random bytes of `size` when a number) as a single file. */
export function memoryShare (content: Buffer | number, pieceSize: number, name = 'content.bin'): MemoryShare {
  const bytes = typeof content === 'number' ? randomBytes(content) : content
  const pieces = Math.ceil(bytes.byteLength / pieceSize)
  const hashes: Buffer[] = []
  for (let piece = 0; piece < pieces; piece++) {
    hashes.push(createHash('sha256').update(bytes.subarray(piece * pieceSize, (piece + 1) * pieceSize)).digest())
  }
  const meta = Metadata.fromInfo({ name, pieceSize, files: [{ path: [], length: bytes.byteLength }], pieceHashes: Buffer.concat(hashes) })
  return { meta, content: bytes }
}

/** The bytes of one piece (or of `length` bytes at `offset` inside it). */
export function pieceBytes (share: MemoryShare, piece: number, offset = 0, length?: number): Buffer {
  const start = piece * share.meta.pieceSize + offset
  const end = length === undefined ? piece * share.meta.pieceSize + share.meta.pieceLength(piece) : start + length
  return share.content.subarray(start, end)
}

export interface MemoryProvider {
  provider: StorageProvider
  /** The storage once the session opened it. */
  storage: () => MemoryStorage | null
  /** Every piece written, in order (a piece written twice appears twice). */
  written: number[]
  /** Whether finalize() was called: the "final file" of a memory download. */
  finalized: () => boolean
}

/** A seeder's storage (every piece held) or a fresh download's (none). */
export function memoryProvider (share: MemoryShare, seeded: boolean): MemoryProvider {
  let storage: MemoryStorage | null = null
  let finalized = false
  const written: number[] = []
  const provider: StorageProvider = {
    open: async (meta) => {
      const opened = new MemoryStorage(meta, seeded ? share.content : undefined)
      const write = opened.writePiece.bind(opened)
      opened.writePiece = async (piece: number, data: PieceData) => {
        written.push(piece)
        await write(piece, data)
      }
      storage = opened
      return { storage: opened, have: seeded ? Bitfield.full(meta.pieceCount) : new Bitfield(meta.pieceCount) }
    },
    finalize: async () => {
      finalized = true
      return `memory:${share.meta.name}`
    }
  }
  return { provider, storage: () => storage, written, finalized: () => finalized }
}

// The PieceIntake on its own (no peers, no sockets): blocks in any order become a verified,
// written piece; a piece that fails its hash is never written and its only sender is blamed;
// smart-ban names the liar once the piece verifies from someone else; a disk that refuses a
// write holds the piece in memory and says so once.

import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { WRITE_RETRY_MS } from '../../../src/constants.js'
import { diskFull } from '../../../src/errors.js'
import { encodeInfo } from '../../../src/metadata/info.js'
import { infoHashOf } from '../../../src/metadata/info-hash.js'
import { Metadata } from '../../../src/metadata/metadata.js'
import { PieceIntake } from '../../../src/session/piece-intake.js'
import { MemoryStorage } from '../../../src/storage/memory-storage.js'
import type { PieceData, PieceStorage } from '../../../src/storage/storage.js'

const PIECE = 16 * 1024 // the smallest piece size; the intake takes any block size
const BLOCK = PIECE / 4
const BLOCKS = PIECE / BLOCK
const content = randomBytes(2 * PIECE)
const forged = Buffer.alloc(BLOCK, 'X')

function metadata (): Metadata {
  const hashes = [0, 1].map((i) => createHash('sha256').update(content.subarray(i * PIECE, (i + 1) * PIECE)).digest())
  const info = encodeInfo({ name: 'a.bin', pieceSize: PIECE, files: [{ path: [], length: content.length }], pieceHashes: Buffer.concat(hashes) })
  return Metadata.fromBytes(info, infoHashOf(info))
}

function setup (storage?: (meta: Metadata) => PieceStorage): { intake: PieceIntake, storage: PieceStorage, log: string[] } {
  const meta = metadata()
  const store = storage?.(meta) ?? new MemoryStorage(meta)
  const log: string[] = []
  const intake = new PieceIntake(meta, store, BLOCK, {
    onStored: (piece, from) => log.push(`stored ${piece} from ${from.join(',')}`),
    onFailed: (piece, from, blamed) => log.push(`failed ${piece} from ${from.join(',')} blamed ${blamed.join(',')}`),
    onLiarsFound: (piece, liars) => log.push(`liars ${piece}: ${liars.join(',')}`),
    onWriteStalled: (err) => log.push(`stalled ${(err as { code: string }).code}`),
    onStallCleared: () => log.push('cleared'),
    onStorageError: (err) => log.push(`error ${(err as Error).message}`)
  })
  return { intake, storage: store, log }
}

const block = (piece: number, index: number): Buffer => content.subarray(piece * PIECE + index * BLOCK, piece * PIECE + (index + 1) * BLOCK)
const settle = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

describe('PieceIntake', () => {
  it('writes a piece whose blocks came out of order once it verifies, crediting every sender once', async () => {
    const { intake, storage, log } = setup()
    for (const i of [3, 2, 0, 1]) intake.add(1, i * BLOCK, block(1, i), i === 0 ? 'a' : 'b')
    intake.finish(1)
    await settle()
    expect(log).toEqual(['stored 1 from a,b']) // in block order
    expect(await storage.read(1, 0, PIECE)).toEqual(content.subarray(PIECE))
  })

  it('throws away a piece that fails its hash, blames its only sender, and counts the waste', async () => {
    const { intake, storage, log } = setup()
    for (let i = 0; i < BLOCKS; i++) intake.add(0, i * BLOCK, i === 1 ? forged : block(0, i), 'liar')
    intake.finish(0)
    await settle()
    expect(log).toEqual(['failed 0 from liar blamed liar'])
    expect([intake.hashFailures, intake.wasted]).toEqual([1, PIECE])
    await expect(storage.read(0, 0, PIECE)).rejects.toThrow(/never written/)
  })

  it('names the peer whose block differed once a piece that failed verifies from others', async () => {
    const { intake, log } = setup()
    for (let i = 0; i < BLOCKS; i++) intake.add(0, i * BLOCK, i === 1 ? forged : block(0, i), i === 1 ? 'liar' : 'a')
    intake.finish(0)
    for (let i = 0; i < BLOCKS; i++) intake.add(0, i * BLOCK, block(0, i), 'c')
    intake.finish(0)
    await settle()
    expect(log).toEqual(['failed 0 from a,liar blamed ', 'liars 0: liar', 'stored 0 from c'])
  })

  it('holds a piece the disk refuses, says so once, and stores it when the disk takes it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    onTestFinished(() => { vi.useRealTimers() })
    let full = true
    let written!: MemoryStorage
    const { intake, log } = setup((meta) => {
      const memory = new MemoryStorage(meta)
      written = memory
      return {
        read: async (piece, offset, length) => await memory.read(piece, offset, length),
        writePiece: async (piece: number, data: PieceData) => {
          if (full) throw diskFull('/out/a.bin', Object.assign(new Error('no space'), { code: 'ENOSPC' }))
          await memory.writePiece(piece, data)
        },
        close: async () => {}
      }
    })
    for (const piece of [0, 1]) {
      for (let i = 0; i < BLOCKS; i++) intake.add(piece, i * BLOCK, block(piece, i), 'a')
      intake.finish(piece)
    }
    await settle()
    expect(log).toEqual(['stalled ERR_DISK_FULL'])
    expect(intake.stalled).toBe(true)
    full = false
    await vi.advanceTimersByTimeAsync(WRITE_RETRY_MS)
    expect(log).toEqual(['stalled ERR_DISK_FULL', 'stored 0 from a', 'stored 1 from a', 'cleared'])
    expect(intake.stalled).toBe(false)
    expect(Buffer.concat([await written.read(0, 0, PIECE), await written.read(1, 0, PIECE)])).toEqual(content)
  })

  it('forgets a dropped piece: finishing it afterwards does nothing', async () => {
    const { intake, log } = setup()
    intake.add(0, 0, block(0, 0), 'a')
    intake.drop(0)
    intake.finish(0)
    await settle()
    expect(log).toEqual([])
  })
})

import { describe, expect, it } from 'vitest'
import { MemoryStorage } from '../../../src/storage/memory-storage.js'
import { verifyExisting } from '../../../src/storage/recheck.js'
import { makeShare, pieceOf, sha256 } from './fixtures.js'

const share = makeShare('m', [{ path: ['a'], length: 3000 }, { path: ['b'], length: 0 }, { path: ['c'], length: 2000 }], 1024)

describe('MemoryStorage', () => {
  it('seeded with the contents, serves every block and verifies every piece', async () => {
    const storage = new MemoryStorage(share.meta, share.content)
    expect(await storage.read(3, 24, 1000)).toEqual(share.content.subarray(3 * 1024 + 24, 3 * 1024 + 1024))
    expect(await storage.read(4, 0, share.meta.pieceLength(4))).toEqual(pieceOf(share, 4))
    expect((await verifyExisting(storage, share.meta)).complete).toBe(true)
    expect(sha256(storage.contents()!)).toEqual(sha256(share.content))
  })

  it('empty, stores written pieces as copies and refuses to read missing ones', async () => {
    const storage = new MemoryStorage(share.meta)
    await expect(storage.read(0, 0, 10)).rejects.toMatchObject({ code: 'ERR_IO' })
    expect(storage.contents()).toBeNull()
    for (let piece = share.meta.pieceCount - 1; piece >= 0; piece--) {
      const data = Buffer.from(pieceOf(share, piece))
      await storage.writePiece(piece, data)
      data.fill(0) // the caller reusing its buffer must not change what was stored
    }
    expect(storage.has(0)).toBe(true)
    expect(sha256(storage.contents()!)).toEqual(sha256(share.content))
  })

  it('refuses wrong lengths, out-of-range reads and use after close', async () => {
    expect(() => new MemoryStorage(share.meta, share.content.subarray(1))).toThrow(RangeError)
    const storage = new MemoryStorage(share.meta, share.content)
    await expect(storage.writePiece(0, Buffer.alloc(10))).rejects.toThrow(RangeError)
    await expect(storage.read(4, 900, 200)).rejects.toThrow(RangeError)
    await expect(storage.read(5, 0, 1)).rejects.toThrow(RangeError)
    await storage.close()
    await expect(storage.read(0, 0, 1)).rejects.toMatchObject({ code: 'ERR_CLOSED' })
  })
})

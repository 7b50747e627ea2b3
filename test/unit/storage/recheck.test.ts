import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PARTIAL_SUFFIX } from '../../../src/constants.js'
import { createDownload } from '../../../src/storage/file-storage.js'
import { verifyExisting } from '../../../src/storage/recheck.js'
import type { FileEntry } from '../../../src/types.js'
import { makeShare, pieceOf, sha256, tempDirs } from './fixtures.js'

const dirs = tempDirs()
afterEach(dirs.cleanup)

const KiB = 1024

describe('resuming a download', () => {
  it('keeps the partial of an interrupted run and finds exactly the pieces it holds', async () => {
    const out = await dirs.make()
    const share = makeShare('f.bin', [{ path: [], length: 10 * 16 * KiB + 7 }], 16 * KiB)
    const written = [0, 3, 4, 10]

    const first = await createDownload(out, share.meta)
    expect(first.resumed).toBe(false)
    for (const piece of written) await first.writePiece(piece, pieceOf(share, piece))
    await first.close() // interrupted

    const second = await createDownload(out, share.meta)
    expect(second.resumed).toBe(true)
    const reported: Array<[number, boolean]> = []
    const have = await verifyExisting(second, share.meta, (piece, ok) => reported.push([piece, ok]))
    expect([...have.indices()]).toEqual(written)
    expect(reported).toEqual(Array.from({ length: share.meta.pieceCount }, (_, piece) => [piece, written.includes(piece)]))

    for (let piece = 0; piece < share.meta.pieceCount; piece++) {
      if (!have.has(piece)) await second.writePiece(piece, pieceOf(share, piece))
    }
    expect(sha256(await readFile(await second.finalize()))).toEqual(sha256(share.content))
    await second.close()
  })

  it('does not count a piece corrupted on disk', async () => {
    const out = await dirs.make()
    const share = makeShare('f.bin', [{ path: [], length: 4 * 16 * KiB }], 16 * KiB)
    const first = await createDownload(out, share.meta)
    for (const piece of [1, 2]) await first.writePiece(piece, pieceOf(share, piece))
    await first.close()
    const bytes = await readFile(first.partialPath)
    bytes[2 * 16 * KiB + 5]! ^= 0xff
    await writeFile(first.partialPath, bytes)

    const second = await createDownload(out, share.meta)
    expect([...(await verifyExisting(second, share.meta)).indices()]).toEqual([1])
    await second.close()
  })

  it('resumes a folder partial, recreating a file that went missing', async () => {
    const out = await dirs.make()
    const files: FileEntry[] = [
      { path: ['one'], length: 20 * KiB },
      { path: ['empty'], length: 0 },
      { path: ['dir', 'two'], length: 30 * KiB }
    ]
    const share = makeShare('tree', files, 16 * KiB) // pieces: 0–16, 16–32, 32–48, 48–50 KiB
    const first = await createDownload(out, share.meta)
    for (let piece = 0; piece < share.meta.pieceCount; piece++) await first.writePiece(piece, pieceOf(share, piece))
    await first.close()
    await rm(join(first.partialPath, 'one'))

    const second = await createDownload(out, share.meta)
    expect(second.resumed).toBe(true)
    // Piece 0 lies in "one"; piece 1 straddles both files; pieces 2 and 3 lie in "dir/two".
    expect([...(await verifyExisting(second, share.meta)).indices()]).toEqual([2, 3])
    await second.close()
  })

  it('replaces a partial of the wrong kind only with force', async () => {
    const out = await dirs.make()
    const share = makeShare('f.bin', [{ path: [], length: 100 }], 16 * KiB)
    await mkdir(join(out, 'f.bin' + PARTIAL_SUFFIX))
    await expect(createDownload(out, share.meta)).rejects.toMatchObject({ code: 'ERR_FILE_EXISTS' })
    const storage = await createDownload(out, share.meta, { force: true })
    expect(storage.resumed).toBe(false)
    await storage.writePiece(0, share.content)
    expect(await readFile(await storage.finalize())).toEqual(share.content)
    await storage.close()
  })
})

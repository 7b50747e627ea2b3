import { existsSync, readdirSync } from 'node:fs'
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_OPEN_FILES, PARTIAL_SUFFIX } from '../../../src/constants.js'
import { createDownload, openShare } from '../../../src/storage/file-storage.js'
import type { FileEntry } from '../../../src/types.js'
import { makeShare, pieceOf, readShareFiles, sha256, tempDirs, writeShareFiles } from './fixtures.js'

const dirs = tempDirs()
afterEach(dirs.cleanup)

const KiB = 1024

/** A folder share with nesting, zero-length files and pieces that cross file boundaries. */
const folderFiles: FileEntry[] = [
  { path: ['a.txt'], length: 5000 },
  { path: ['empty-1'], length: 0 },
  { path: ['sub', 'b.bin'], length: 100 },
  { path: ['sub', 'deeper', 'c.bin'], length: 20_000 },
  { path: ['sub', 'empty-2'], length: 0 },
  { path: ['z.bin'], length: 3 }
]

/** 0, n-1, 1, n-2, …: every piece written out of order. */
function outOfOrder (count: number): number[] {
  const order: number[] = []
  for (let low = 0, high = count - 1; low <= high; low++, high--) {
    order.push(low)
    if (high !== low) order.push(high)
  }
  return order.reverse()
}

describe('createDownload of a single file', () => {
  it('writes pieces out of order; the final name appears only at finalize with the exact bytes', async () => {
    const out = await dirs.make()
    const share = makeShare('movie.bin', [{ path: [], length: 10 * 16 * KiB + 123 }], 16 * KiB)
    const storage = await createDownload(out, share.meta)
    expect(storage.resumed).toBe(false)
    expect(storage.finalPath).toBe(join(out, 'movie.bin'))
    expect(storage.partialPath).toBe(join(out, 'movie.bin' + PARTIAL_SUFFIX))
    expect((await stat(storage.partialPath)).size).toBe(share.meta.totalBytes)

    for (const piece of outOfOrder(share.meta.pieceCount)) {
      await storage.writePiece(piece, pieceOf(share, piece))
      expect(existsSync(storage.finalPath)).toBe(false)
    }
    expect(await storage.finalize()).toBe(storage.finalPath)

    expect(sha256(await readFile(storage.finalPath))).toEqual(sha256(share.content))
    expect(existsSync(storage.partialPath)).toBe(false)
    expect(await readdir(out)).toEqual(['movie.bin'])
    await storage.close()
  })

  it('serves blocks while downloading and, from the final path, after finalize', async () => {
    const out = await dirs.make()
    const share = makeShare('f', [{ path: [], length: 40 * KiB }], 16 * KiB)
    const storage = await createDownload(out, share.meta)
    await storage.writePiece(1, pieceOf(share, 1))
    expect(await storage.read(1, 100, 1000)).toEqual(share.content.subarray(16 * KiB + 100, 16 * KiB + 1100))
    for (const piece of [0, 2]) await storage.writePiece(piece, pieceOf(share, piece))
    await storage.finalize()
    expect(await storage.read(2, 0, 8 * KiB)).toEqual(pieceOf(share, 2))
    // Into a caller's buffer of the right size (an uploader reusing it), else a fresh one.
    const reused = Buffer.alloc(1000, 0xee)
    expect(await storage.read(0, 500, 1000, reused)).toBe(reused)
    expect(reused).toEqual(share.content.subarray(500, 1500))
    const tooSmall = Buffer.alloc(10, 0xee)
    const fresh = await storage.read(0, 500, 1000, tooSmall)
    expect(fresh).not.toBe(tooSmall)
    expect(fresh).toEqual(share.content.subarray(500, 1500))
    expect(tooSmall).toEqual(Buffer.alloc(10, 0xee))
    await expect(storage.writePiece(0, pieceOf(share, 0))).rejects.toMatchObject({ code: 'ERR_NOT_WRITABLE' })
    await storage.close()
    await expect(storage.read(0, 0, 1)).rejects.toMatchObject({ code: 'ERR_CLOSED' })
  })

  it('lays a fresh partial out sparsely, without writing zeros', async () => {
    const out = await dirs.make()
    const share = makeShare('big', [{ path: [], length: 16 * 1024 * KiB }], 1024 * KiB)
    const storage = await createDownload(out, share.meta)
    const { size, blocks } = await stat(storage.partialPath)
    expect(size).toBe(16 * 1024 * KiB)
    expect(blocks * 512).toBeLessThan(1024 * KiB)
    await storage.close()
  })

  it('creates a missing output folder, parents included', async () => {
    const out = join(await dirs.make(), 'new', 'nested')
    const share = makeShare('f', [{ path: [], length: 10 }], 16 * KiB)
    const storage = await createDownload(out, share.meta)
    await storage.writePiece(0, share.content)
    expect(sha256(await readFile(await storage.finalize()))).toEqual(sha256(share.content))
    await storage.close()
  })

  it('refuses an output folder that is a file', async () => {
    const base = await dirs.make()
    await writeFile(join(base, 'file'), 'x')
    const share = makeShare('f', [{ path: [], length: 10 }], 16 * KiB)
    await expect(createDownload(join(base, 'file'), share.meta)).rejects.toMatchObject({ code: 'ERR_NOT_WRITABLE' })
    await expect(createDownload(join(base, 'file', 'below'), share.meta)).rejects.toMatchObject({ code: 'ERR_NOT_WRITABLE' })
  })

  it('refuses a name that would leave the output folder', async () => {
    const out = await dirs.make()
    for (const name of ['..', '.', 'a/b', '']) {
      const share = makeShare(name, [{ path: [], length: 10 }], 16 * KiB)
      await expect(createDownload(out, share.meta)).rejects.toMatchObject({ code: 'ERR_INVALID_METADATA' })
    }
    expect(await readdir(out)).toEqual([])
  })

  it('refuses pieces of the wrong length or index', async () => {
    const out = await dirs.make()
    const share = makeShare('f', [{ path: [], length: 20 * KiB }], 16 * KiB)
    const storage = await createDownload(out, share.meta)
    await expect(storage.writePiece(1, Buffer.alloc(16 * KiB))).rejects.toThrow(RangeError)
    await expect(storage.writePiece(2, Buffer.alloc(4 * KiB))).rejects.toThrow(RangeError)
    await expect(storage.read(1, 4 * KiB - 10, 11)).rejects.toThrow(RangeError)
    await storage.close()
  })
})

describe('createDownload over an existing final path', () => {
  it('refuses without force before writing anything, leaving the file untouched', async () => {
    const out = await dirs.make()
    const finalPath = join(out, 'f.bin')
    await writeFile(finalPath, 'precious')
    const share = makeShare('f.bin', [{ path: [], length: 100 }], 16 * KiB)
    await expect(createDownload(out, share.meta)).rejects.toMatchObject({ code: 'ERR_FILE_EXISTS' })
    expect(await readFile(finalPath, 'utf8')).toBe('precious')
    expect(await readdir(out)).toEqual(['f.bin'])
  })

  it('with force, replaces a file only at finalize', async () => {
    const out = await dirs.make()
    const finalPath = join(out, 'f.bin')
    await writeFile(finalPath, 'precious')
    const share = makeShare('f.bin', [{ path: [], length: 40 * KiB }], 16 * KiB)
    const storage = await createDownload(out, share.meta, { force: true })
    for (const piece of [2, 0, 1]) await storage.writePiece(piece, pieceOf(share, piece))
    expect(await readFile(finalPath, 'utf8')).toBe('precious')
    await storage.finalize()
    expect(sha256(await readFile(finalPath))).toEqual(sha256(share.content))
    expect(await readdir(out)).toEqual(['f.bin'])
    await storage.close()
  })

  it('with force, replaces a folder only at finalize', async () => {
    const out = await dirs.make()
    const finalPath = join(out, 'album')
    await mkdir(join(finalPath, 'old'), { recursive: true })
    await writeFile(join(finalPath, 'old', 'track'), 'old track')
    const share = makeShare('album', folderFiles, 16 * KiB)
    const storage = await createDownload(out, share.meta, { force: true })
    for (const piece of outOfOrder(share.meta.pieceCount)) await storage.writePiece(piece, pieceOf(share, piece))
    expect(await readFile(join(finalPath, 'old', 'track'), 'utf8')).toBe('old track')
    await storage.finalize()
    expect(existsSync(join(finalPath, 'old'))).toBe(false)
    expect(sha256(await readShareFiles(finalPath, share))).toEqual(sha256(share.content))
    await storage.close()
  })

  it('refuses at finalize, keeping the partial, if the final name appeared meanwhile', async () => {
    const out = await dirs.make()
    const share = makeShare('f.bin', [{ path: [], length: 100 }], 16 * KiB)
    const storage = await createDownload(out, share.meta)
    await storage.writePiece(0, share.content)
    await writeFile(storage.finalPath, 'someone else')
    await expect(storage.finalize()).rejects.toMatchObject({ code: 'ERR_FILE_EXISTS' })
    expect(await readFile(storage.finalPath, 'utf8')).toBe('someone else')
    expect(await readFile(storage.partialPath)).toEqual(share.content)
    // Still usable: the partial is intact and writable.
    await storage.writePiece(0, share.content)
    await storage.close()
  })
})

describe('createDownload of a folder', () => {
  it('creates the tree, zero-length files included, and finalizes to the exact files', async () => {
    const out = await dirs.make()
    const share = makeShare('album', folderFiles, 4 * KiB)
    const storage = await createDownload(out, share.meta)
    for (const file of folderFiles) {
      expect((await stat(join(storage.partialPath, ...file.path))).size).toBe(file.length)
    }
    for (const piece of outOfOrder(share.meta.pieceCount)) await storage.writePiece(piece, pieceOf(share, piece))
    expect(existsSync(storage.finalPath)).toBe(false)
    await storage.finalize()
    expect(sha256(await readShareFiles(storage.finalPath, share))).toEqual(sha256(share.content))
    expect((await stat(join(storage.finalPath, 'sub', 'empty-2'))).size).toBe(0)
    expect(await readdir(out)).toEqual(['album'])
    await storage.close()
  })

  it('serves reads that overlap finalize, before and after the move', async () => {
    const out = await dirs.make()
    const share = makeShare('album', folderFiles, 4 * KiB)
    const storage = await createDownload(out, share.meta)
    for (let piece = 0; piece < share.meta.pieceCount; piece++) await storage.writePiece(piece, pieceOf(share, piece))
    const readPiece = (piece: number): Promise<Buffer> => storage.read(piece, 0, share.meta.pieceLength(piece))
    const pieces = Array.from({ length: share.meta.pieceCount }, (_, piece) => piece)
    const before = pieces.map(readPiece)
    const finalized = storage.finalize()
    const during = pieces.map(readPiece)
    expect(await finalized).toBe(storage.finalPath)
    for (const [piece, data] of (await Promise.all([...before, ...during])).entries()) {
      expect(data).toEqual(pieceOf(share, piece % share.meta.pieceCount))
    }
    expect(await storage.finalize()).toBe(storage.finalPath) // once is enough; again is harmless
    await storage.close()
  })

  it('refuses paths that would leave the download folder', async () => {
    const out = await dirs.make()
    const share = makeShare('evil', [{ path: ['ok'], length: 1 }, { path: ['..', 'escaped'], length: 1 }], 16 * KiB)
    await expect(createDownload(out, share.meta)).rejects.toMatchObject({ code: 'ERR_INVALID_METADATA' })
    expect(existsSync(join(out, 'escaped'))).toBe(false)
  })

  it('reports a file removed during the download instead of recreating it empty', async () => {
    const out = await dirs.make()
    const share = makeShare('album', folderFiles, 4 * KiB)
    const storage = await createDownload(out, share.meta)
    await rm(join(storage.partialPath, 'z.bin'))
    const last = share.meta.pieceCount - 1
    await expect(storage.writePiece(last, pieceOf(share, last))).rejects.toMatchObject({ code: 'ERR_IO', message: expect.stringContaining('ENOENT') })
    await storage.close()
  })
})

describe('openShare', () => {
  it('reads blocks across file boundaries of a folder share', async () => {
    const root = join(await dirs.make(), 'album')
    const share = makeShare('album', folderFiles, 16 * KiB)
    await writeShareFiles(root, share)
    const storage = await openShare(root, share.meta)
    // Piece 0 ends inside c.bin; this block spans a.txt, empty-1, b.bin and c.bin.
    expect(await storage.read(0, 4000, 2000)).toEqual(share.content.subarray(4000, 6000))
    // The last piece spans c.bin, empty-2 and z.bin.
    const last = share.meta.pieceCount - 1
    expect(await storage.read(last, 0, share.meta.pieceLength(last))).toEqual(pieceOf(share, last))
    for (let piece = 0; piece < share.meta.pieceCount; piece++) {
      expect(share.meta.verifyPiece(piece, await storage.read(piece, 0, share.meta.pieceLength(piece)))).toBe(true)
    }
    await storage.close()
  })

  it('reads a single-file share in place and refuses to write to it', async () => {
    const root = join(await dirs.make(), 'f.bin')
    const share = makeShare('f.bin', [{ path: [], length: 50 * KiB }], 16 * KiB)
    await writeShareFiles(root, share)
    const storage = await openShare(root, share.meta)
    expect(await storage.read(3, 1 * KiB, 1 * KiB)).toEqual(share.content.subarray(49 * KiB, 50 * KiB))
    await expect(storage.writePiece(0, pieceOf(share, 0))).rejects.toMatchObject({ code: 'ERR_NOT_WRITABLE' })
    expect(sha256(await readFile(root))).toEqual(sha256(share.content))
    await storage.close()
  })

  it('keeps a bounded number of files open for a share of many files', async () => {
    const root = join(await dirs.make(), 'many')
    const files = Array.from({ length: 400 }, (_, i) => ({ path: [`d${i % 7}`, `f${i}`], length: 1 + (i % 50) }))
    const share = makeShare('many', files, 16 * KiB)
    await writeShareFiles(root, share)
    const openDescriptors = (): number => readdirSync('/proc/self/fd').length
    const before = openDescriptors()
    const storage = await openShare(root, share.meta)
    for (let round = 0; round < 2; round++) {
      for (let piece = 0; piece < share.meta.pieceCount; piece++) {
        expect(await storage.read(piece, 0, share.meta.pieceLength(piece))).toEqual(pieceOf(share, piece))
      }
    }
    expect(openDescriptors() - before).toBeGreaterThan(0)
    expect(openDescriptors() - before).toBeLessThanOrEqual(MAX_OPEN_FILES)
    await storage.close()
    expect(openDescriptors()).toBe(before)
  })

  it('reports a missing share, a share of the wrong kind and a file that changed', async () => {
    const base = await dirs.make()
    const single = makeShare('f.bin', [{ path: [], length: 100 }], 16 * KiB)
    await expect(openShare(join(base, 'missing'), single.meta)).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' })
    await expect(openShare(base, single.meta)).rejects.toMatchObject({ code: 'ERR_NOT_READABLE' })

    const root = join(base, 'album')
    const folder = makeShare('album', folderFiles, 16 * KiB)
    await writeShareFiles(root, folder)
    const storage = await openShare(root, folder.meta)
    await writeFile(join(root, 'a.txt'), 'shorter now')
    await expect(storage.read(0, 0, 100)).rejects.toMatchObject({ code: 'ERR_IO', message: expect.stringContaining('a.txt') })
    await rm(join(root, 'z.bin'))
    const last = folder.meta.pieceCount - 1
    await expect(storage.read(last, 0, folder.meta.pieceLength(last))).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' })
    await storage.close()
  })
})

// Resuming a download from what the last run left on disk: the resume record trusted while
// the files match, the journal's pieces re-hashed, a full check when the record is unusable,
// every step of the move into place recoverable, and no link inside the partial followed.

import { existsSync } from 'node:fs'
import { mkdir, open, readdir, readFile, rename, symlink, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PARTIAL_SUFFIX, RESUME_JOURNAL_SUFFIX, RESUME_RECORD_SUFFIX } from '../../../src/constants.js'
import type { HashProgress } from '../../../src/piece-hashing.js'
import { openDownload, type OpenedDownload } from '../../../src/storage/open-download.js'
import { decodeRecord, encodeJournalSlot } from '../../../src/storage/resume-record.js'
import type { FileEntry } from '../../../src/types.js'
import { makeShare, pieceOf, readShareFiles, sha256, type Share, tempDirs } from './fixtures.js'

const dirs = tempDirs()
afterEach(dirs.cleanup)

const KiB = 1024

function withHash (share: Share): Share['meta'] & { infoHash: Buffer } {
  return { ...share.meta, infoHash: sha256(share.meta.info.pieceHashes) }
}

async function writePieces (opened: OpenedDownload, share: Share, pieces: number[]): Promise<void> {
  for (const piece of pieces) await opened.storage.writePiece(piece, pieceOf(share, piece))
}

async function reopen (out: string, share: Share): Promise<{ opened: OpenedDownload, checking: HashProgress[] }> {
  const checking: HashProgress[] = []
  const opened = await openDownload(out, withHash(share), { onChecking: (p) => checking.push({ ...p }) })
  return { opened, checking }
}

const held = (opened: OpenedDownload): number[] => [...opened.have.indices()]

describe('resume record', () => {
  it('a partial closed cleanly resumes with every piece trusted and nothing read; finalize leaves only the content', async () => {
    const out = await dirs.make()
    const share = makeShare('f.bin', [{ path: [], length: 10 * 16 * KiB + 5 }], 16 * KiB)
    const first = await openDownload(out, withHash(share))
    expect(first.resumed).toBeNull()
    await writePieces(first, share, [0, 3, 10])
    await first.storage.close()
    expect((await readdir(out)).sort()).toEqual(['f.bin' + RESUME_JOURNAL_SUFFIX, 'f.bin' + PARTIAL_SUFFIX, 'f.bin' + RESUME_RECORD_SUFFIX])

    const { opened, checking } = await reopen(out, share)
    expect(opened.resumed).toEqual({ have: 3, trusted: 3, checked: 0 })
    expect(held(opened)).toEqual([0, 3, 10])
    expect(checking).toEqual([])
    await writePieces(opened, share, [1, 2, 4, 5, 6, 7, 8, 9])
    const path = await opened.storage.finalize()
    expect(sha256(await readFile(path))).toEqual(sha256(share.content))
    expect(await readdir(out)).toEqual(['f.bin'])
    await opened.storage.close()
  })

  it('after a crash: pieces journaled after the record are re-hashed, a torn one is not held', async () => {
    const out = await dirs.make()
    const share = makeShare('f.bin', [{ path: [], length: 8 * 16 * KiB }], 16 * KiB)
    const first = await openDownload(out, withHash(share))
    await writePieces(first, share, [1, 2])
    await first.storage.close()
    const partial = join(out, 'f.bin' + PARTIAL_SUFFIX)
    const record = decodeRecord(await readFile(join(out, 'f.bin' + RESUME_RECORD_SUFFIX)))!
    expect(record.journalFrom).toBe(2)

    // What a run killed mid-write leaves: piece 5 written whole, piece 6 half written, both
    // journaled after the record (so the file's time moved for reasons the journal explains).
    const journal = await open(join(out, 'f.bin' + RESUME_JOURNAL_SUFFIX), 'r+')
    await journal.write(encodeJournalSlot(5), 0, 4, 2 * 4)
    await journal.write(encodeJournalSlot(6), 0, 4, 3 * 4)
    await journal.close()
    const file = await open(partial, 'r+')
    await file.write(pieceOf(share, 5), 0, 16 * KiB, 5 * 16 * KiB)
    await file.write(pieceOf(share, 6), 0, 8 * KiB, 6 * 16 * KiB)
    await file.close()

    const { opened, checking } = await reopen(out, share)
    expect(opened.resumed).toEqual({ have: 3, trusted: 2, checked: 2 })
    expect(held(opened)).toEqual([1, 2, 5])
    expect(checking.at(-1)).toEqual({ pieces: 2, pieceCount: 2, bytes: 32 * KiB, totalBytes: 32 * KiB })
    await opened.storage.close()
  })

  it('checks every piece when the record is corrupt, and every piece of a file touched by something else', async () => {
    const out = await dirs.make()
    const files: FileEntry[] = [{ path: ['a'], length: 40 * KiB }, { path: ['b'], length: 24 * KiB }]
    const share = makeShare('tree', files, 16 * KiB) // pieces 0–1 in a, 2 straddles, 3 in b
    const first = await openDownload(out, withHash(share))
    await writePieces(first, share, [0, 2, 3])
    await first.storage.close()

    await utimes(join(out, 'tree' + PARTIAL_SUFFIX, 'b'), new Date(), new Date(Date.now() + 5000))
    const touched = await reopen(out, share)
    expect(touched.opened.resumed).toEqual({ have: 3, trusted: 1, checked: 2 })
    expect(held(touched.opened)).toEqual([0, 2, 3])
    await touched.opened.storage.close()

    const recordPath = join(out, 'tree' + RESUME_RECORD_SUFFIX)
    const bytes = await readFile(recordPath)
    bytes[20]! ^= 0xff
    await writeFile(recordPath, bytes)
    const corrupt = await reopen(out, share)
    expect(corrupt.opened.resumed).toEqual({ have: 3, trusted: 0, checked: 4 })
    expect(held(corrupt.opened)).toEqual([0, 2, 3])
    const pieces = corrupt.checking.map((p) => p.pieces)
    expect(pieces).toEqual([1, 2, 3, 4])
    await corrupt.opened.storage.close()
  })

  it('a run stopped before its rename finishes without reading anything; one stopped after it just cleans up', async () => {
    const out = await dirs.make()
    const share = makeShare('f.bin', [{ path: [], length: 5 * 16 * KiB }], 16 * KiB)
    const first = await openDownload(out, withHash(share))
    await writePieces(first, share, [0, 1, 2, 3, 4])
    await first.storage.close() // stopped before finalize: the record says complete

    const before = await reopen(out, share)
    expect(before.opened.resumed).toEqual({ have: 5, trusted: 5, checked: 0 })
    expect(before.opened.have.complete).toBe(true)
    await before.opened.storage.close()

    // Killed right after the rename: the content has its name, the resume files are still there.
    await rename(join(out, 'f.bin' + PARTIAL_SUFFIX), join(out, 'f.bin'))
    const after = await reopen(out, share)
    expect(after.opened.resumed).toEqual({ have: 5, trusted: 5, checked: 0 })
    expect(after.checking).toEqual([])
    expect(await after.opened.storage.read(4, 0, 16 * KiB)).toEqual(pieceOf(share, 4))
    expect(await after.opened.storage.finalize()).toBe(join(out, 'f.bin'))
    await after.opened.storage.close()
    expect(await readdir(out)).toEqual(['f.bin'])
    expect(sha256(await readFile(join(out, 'f.bin')))).toEqual(sha256(share.content))
  })

  it('does not trust the record for a final file that changed after the rename: it checks the file', async () => {
    const out = await dirs.make()
    const share = makeShare('f.bin', [{ path: [], length: 2 * 16 * KiB }], 16 * KiB)
    const first = await openDownload(out, withHash(share))
    await writePieces(first, share, [0, 1])
    await first.storage.close()
    await rename(join(out, 'f.bin' + PARTIAL_SUFFIX), join(out, 'f.bin'))
    await utimes(join(out, 'f.bin'), new Date(), new Date(Date.now() + 5000))
    const again = await openDownload(out, withHash(share))
    // Not "finished" on the record's word: both pieces read and hashed, and found right.
    expect(again.resumed).toEqual({ have: 2, trusted: 0, checked: 2 })
    expect(again.have.complete).toBe(true)
    expect(await again.storage.finalize()).toBe(join(out, 'f.bin'))
    await again.storage.close()
    expect(sha256(await readFile(join(out, 'f.bin')))).toEqual(sha256(share.content))
  })

  it('a final file of the same name with none of the content is refused and left as it was', async () => {
    const out = await dirs.make()
    const share = makeShare('f.bin', [{ path: [], length: 2 * 16 * KiB }], 16 * KiB)
    await writeFile(join(out, 'f.bin'), Buffer.alloc(2 * 16 * KiB, 1))
    await expect(openDownload(out, withHash(share))).rejects.toMatchObject({ code: 'ERR_FILE_EXISTS' })
    expect((await readFile(join(out, 'f.bin'))).equals(Buffer.alloc(2 * 16 * KiB, 1))).toBe(true)
    expect(await readdir(out)).toEqual(['f.bin'])
  })
})

describe('links inside the partial', () => {
  async function partialWithLinkTo (outside: string): Promise<{ out: string, share: Share, folder: string }> {
    const out = await dirs.make()
    const files: FileEntry[] = [{ path: ['sub', 'a.bin'], length: 20 * KiB }, { path: ['b.bin'], length: 20 * KiB }]
    const share = makeShare('tree', files, 16 * KiB)
    const first = await openDownload(out, withHash(share))
    await writePieces(first, share, [2])
    await first.storage.close()
    const folder = join(out, 'tree' + PARTIAL_SUFFIX)
    await mkdir(outside, { recursive: true })
    return { out, share, folder }
  }

  it('refuses a folder link planted in an existing partial, writing nothing through it', async () => {
    const outside = join(await dirs.make(), 'victim')
    const { out, share, folder } = await partialWithLinkTo(outside)
    await writeFile(join(outside, 'a.bin'), 'precious')
    await rename(join(folder, 'sub'), join(folder, 'sub-moved'))
    await symlink(outside, join(folder, 'sub'))
    await expect(openDownload(out, withHash(share))).rejects.toMatchObject({ code: 'ERR_SYMLINK', message: expect.stringContaining(join(folder, 'sub')) })
    expect(await readFile(join(outside, 'a.bin'), 'utf8')).toBe('precious')
    expect(await readdir(outside)).toEqual(['a.bin'])
  })

  it('refuses a file link planted in an existing partial, and one planted while downloading', async () => {
    const outside = join(await dirs.make(), 'victim')
    const { out, share, folder } = await partialWithLinkTo(outside)
    const target = join(outside, 'target')
    await writeFile(target, 'precious')
    await rename(join(folder, 'b.bin'), join(folder, 'b-moved'))
    await symlink(target, join(folder, 'b.bin'))
    await expect(openDownload(out, withHash(share))).rejects.toMatchObject({ code: 'ERR_SYMLINK' })
    expect(await readFile(target, 'utf8')).toBe('precious')

    await rename(join(folder, 'b-moved'), join(folder, 'b.bin'))
    const opened = await openDownload(out, withHash(share))
    expect(held(opened)).toEqual([2])
    await rename(join(folder, 'sub', 'a.bin'), join(folder, 'sub', 'a-moved'))
    await symlink(target, join(folder, 'sub', 'a.bin'))
    await expect(opened.storage.writePiece(0, pieceOf(share, 0))).rejects.toMatchObject({ code: 'ERR_SYMLINK' })
    expect(await readFile(target, 'utf8')).toBe('precious')
    await opened.storage.close()
  })

  it('refuses a link as the partial itself and as the resume record', async () => {
    const out = await dirs.make()
    const outside = join(await dirs.make(), 'target')
    await writeFile(outside, 'precious')
    const share = makeShare('f.bin', [{ path: [], length: 100 }], 16 * KiB)
    await symlink(outside, join(out, 'f.bin' + PARTIAL_SUFFIX))
    await expect(openDownload(out, withHash(share))).rejects.toMatchObject({ code: 'ERR_SYMLINK' })
    await rename(join(out, 'f.bin' + PARTIAL_SUFFIX), join(out, 'moved'))
    await symlink(outside, join(out, 'f.bin' + RESUME_RECORD_SUFFIX))
    await expect(openDownload(out, withHash(share))).rejects.toMatchObject({ code: 'ERR_SYMLINK' })
    expect(await readFile(outside, 'utf8')).toBe('precious')
    expect(existsSync(join(out, 'f.bin'))).toBe(false)
  })

  it('reads a share in place without following a link planted inside it after it was hashed', async () => {
    const { openShare } = await import('../../../src/storage/file-storage.js')
    const root = await dirs.make()
    const share = makeShare('tree', [{ path: ['a.bin'], length: 100 }], 16 * KiB)
    const secret = join(await dirs.make(), 'secret')
    await writeFile(secret, Buffer.alloc(100, 0x53))
    await symlink(secret, join(root, 'a.bin'))
    const storage = await openShare(root, share.meta)
    await expect(storage.read(0, 0, 100)).rejects.toMatchObject({ code: 'ERR_SYMLINK' })
    await storage.close()
    expect(await readShareFiles(secret, makeShare('x', [{ path: [], length: 100 }], 16 * KiB))).toEqual(Buffer.alloc(100, 0x53))
  })
})

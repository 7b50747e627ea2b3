// A file raised to high while the download runs (the daemon's `play --file`): once raised,
// its pieces are all fetched before any piece of the other file; a skipped file cannot be
// raised, and nothing can be before the transfer exists.

import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Metadata } from '../../src/metadata/metadata.js'
import { transferOf } from '../../src/session/content-reader.js'
import { useSeam } from '../helpers/seam.js'

const PIECE = 16 * 1024

/** A folder share of two files, `a.bin` (48 pieces) then `b.mp4` (16), on piece boundaries. */
function twoFiles (): { meta: Metadata, content: Buffer } {
  const content = randomBytes(64 * PIECE)
  const hashes: Buffer[] = []
  for (let piece = 0; piece < 64; piece++) hashes.push(createHash('sha256').update(content.subarray(piece * PIECE, (piece + 1) * PIECE)).digest())
  const meta = Metadata.fromInfo({ name: 'album', pieceSize: PIECE, files: [{ path: ['a.bin'], length: 48 * PIECE }, { path: ['b.mp4'], length: 16 * PIECE }], pieceHashes: Buffer.concat(hashes) })
  return { meta, content }
}

describe('Session.setFilePriority', () => {
  const seam = useSeam()

  it('fetches a file raised to high before the rest, and back to normal changes nothing held', async () => {
    const share = twoFiles()
    const seeder = seam.session(share, { role: 'seeder' })
    const downloader = seam.session(share, { role: 'downloader', metadata: share.meta })
    expect(downloader.session.setFilePriority(1, 'high')).toBe(false) // no transfer yet
    await transferOf(downloader.session)
    expect(downloader.session.setFilePriority(1, 'high')).toBe(true)
    expect(downloader.session.setFilePriority(2, 'high')).toBe(false) // no such file
    const order: number[] = []
    downloader.session.on('piece-verified', ({ piece }) => order.push(piece))
    await seam.connect(downloader.session, seeder.session)
    await downloader.session.completed()
    expect(order).toHaveLength(64)
    expect(order.slice(0, 16).sort((x, y) => x - y)).toEqual(Array.from({ length: 16 }, (_, i) => 48 + i))
    expect(downloader.session.setFilePriority(1, 'normal')).toBe(true)
    expect(downloader.session.stats().have).toBe(64)
  })

  it('leaves a skipped file skipped', async () => {
    const share = twoFiles()
    const downloader = seam.session(share, { role: 'downloader', metadata: share.meta, selection: { only: ['a.bin'] } })
    await transferOf(downloader.session)
    expect(downloader.session.setFilePriority(1, 'high')).toBe(false)
    expect(downloader.session.setFilePriority(0, 'high')).toBe(true)
    expect(downloader.session.transfer!.downloader.selectedPieces).toBe(48)
  })
})

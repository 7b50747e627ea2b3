// A peer that speaks the real protocol but lies about the bytes, beside an honest seeder:
// the download completes byte-identical, no bad piece is ever written or announced, the
// liar is banned after at most BAN_STRIKES strikes and not let back, the honest seeder is
// never blamed (smart-ban tells the co-senders of a bad piece apart).

import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../src/bitfield.js'
import { BAN_STRIKES, BLOCK_BYTES } from '../../src/constants.js'
import { BanList } from '../../src/session/ban-list.js'
import { TokenBucket } from '../../src/token-bucket.js'
import type { SessionEvents } from '../../src/session/events.js'
import type { BlockRange } from '../../src/types.js'
import { waitFor } from '../helpers/events.js'
import { memoryShare, type MemoryShare } from '../helpers/memory-share.js'
import { waitUntil } from '../helpers/poll.js'
import { useSeam } from '../helpers/seam.js'
import { flipByte, serveShare } from '../helpers/scripted-seeder.js'
import { keyPair } from '../helpers/stream-pair.js'

const KiB = 1024
const MiB = 1024 * KiB
/** Two blocks a piece, so pieces have co-senders. */
const PIECE_BYTES = 2 * BLOCK_BYTES

type Lie = (share: MemoryShare, range: BlockRange) => boolean
const VARIANTS: Array<[string, Lie]> = [
  ['every block it sends is bad', () => true],
  ['one block per piece is bad (the first)', (_share, range) => range.offset === 0],
  ['only the second half of the file is bad', (share, range) => range.piece >= share.meta.pieceCount / 2]
]

describe('a lying peer beside an honest seeder', () => {
  const seam = useSeam()

  for (const [variant, lies] of VARIANTS) {
    it(`${variant}: complete and byte-identical, the liar banned, the seeder never blamed`, async () => {
      // Enough pieces that the liar, asked for half of them or fewer, reaches BAN_STRIKES.
      const share = memoryShare(16 * PIECE_BYTES, PIECE_BYTES)
      const bans = new BanList()
      const downloader = seam.session(share, { role: 'downloader', bans })
      const warnings: Array<SessionEvents['warning']> = []
      downloader.session.on('warning', (w) => warnings.push(w))
      const verified = new Set<number>()
      downloader.session.on('piece-verified', ({ piece }) => verified.add(piece))

      // A peer holding nothing watches what the downloader announces.
      const watcher = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash })
      watcher.send('bitfield', { bytes: new Bitfield(share.meta.pieceCount).toBytes() })
      const announcedUnverified: number[] = []
      watcher.on('have', ({ piece }) => { if (!verified.has(piece)) announcedUnverified.push(piece) })

      // Both join before the first request, so pieces get blocks from both (co-senders);
      // the seeder is the slower of the two, so the liar is asked for plenty.
      const seeder = seam.session(share, { role: 'seeder', limits: { upload: new TokenBucket({ rate: 8 * MiB }), download: new TokenBucket({ rate: 0 }) } })
      const done = waitFor(downloader.session, 'done', 20_000)
      const [, seederEnd] = await seam.connect(downloader.session, seeder.session)
      const seederId = seederEnd.publicKey.toString('hex')
      const liarKey = keyPair()
      const liar = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash, keyPair: liarKey })
      let lies_ = 0
      serveShare(liar, share, { tamper: (range, data) => lies(share, range) ? (lies_++, flipByte(data)) : data })
      await done

      expect(downloader.storage()!.contents()!.equals(share.content)).toBe(true)
      // Each piece written once, after it verified; every have was of a verified piece.
      expect([...downloader.written].sort((a, b) => a - b)).toEqual([...Array(share.meta.pieceCount).keys()])
      await waitUntil(() => watcher.all('have').length === share.meta.pieceCount, 5_000, 'every have at the watcher')
      expect(announcedUnverified).toEqual([])
      expect(new Set(watcher.all('have').map((h) => h.piece)).size).toBe(share.meta.pieceCount)

      expect(lies_).toBeGreaterThan(0)
      expect(bans.isBanned(liar.id)).toBe(true)
      expect(bans.strikesOf(liar.id)).toBe(BAN_STRIKES)
      const aboutLiar = warnings.filter((w) => w.peer === liar.id).map((w) => w.code)
      expect(aboutLiar).toEqual([...Array(BAN_STRIKES - 1).fill('ERR_BAD_PIECE'), 'ERR_PEER_BANNED'])
      await liar.closed

      expect(bans.strikesOf(seederId)).toBe(0)
      expect(warnings.filter((w) => w.peer === seederId)).toEqual([])
      expect(downloader.session.peers.has(seederId)).toBe(true)

      // Back with the same key: refused before its channel opens.
      const added: string[] = []
      downloader.session.on('peer-add', ({ id }) => added.push(id))
      const again = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash, keyPair: liarKey })
      await again.closed
      expect(added).toEqual([])
    })
  }

  it('smart-ban: a piece spoiled by one of two senders strikes that one, once a good copy names it', async () => {
    const share = memoryShare(PIECE_BYTES, PIECE_BYTES)
    const bans = new BanList()
    const downloader = seam.session(share, { role: 'downloader', bans })
    const failed = waitFor(downloader.session, 'piece-failed', 5_000)
    const struck = waitFor(downloader.session, 'warning', 5_000)
    const done = waitFor(downloader.session, 'done', 5_000)
    const honest = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash })
    // Slow enough that the liar is asked for the other block meanwhile.
    serveShare(honest, share, { delayMs: 50 })
    const liar = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash })
    // It sends one forged block and leaves: the good copy can only come from the honest peer.
    let answered = 0
    serveShare(liar, share, {
      answers: () => answered++ === 0,
      tamper: (_range, data) => { setImmediate(() => liar.destroy()); return flipByte(data) }
    })
    const failure = await failed
    expect(failure.from.sort()).toEqual([honest.id, liar.id].sort())
    expect(failure.blamed).toEqual([]) // two senders: nobody can tell yet
    const warning = await struck
    expect(warning).toMatchObject({ code: 'ERR_BAD_PIECE', peer: liar.id })
    await done
    expect(downloader.storage()!.contents()!.equals(share.content)).toBe(true)
    expect(bans.strikesOf(liar.id)).toBe(1)
    expect(bans.strikesOf(honest.id)).toBe(0)
  })

  it('with only the liar: it is named, banned, ERR_ONLY_BAD_PEERS, and nothing is written or finalized', async () => {
    const share = memoryShare(4 * MiB, PIECE_BYTES)
    const downloader = seam.session(share, { role: 'downloader' })
    const warnings: Array<SessionEvents['warning']> = []
    downloader.session.on('warning', (w) => warnings.push(w))
    const failed: Array<SessionEvents['piece-failed']> = []
    downloader.session.on('piece-failed', (f) => failed.push(f))
    const onlyBad = new Promise<SessionEvents['warning']>((resolve) => {
      downloader.session.on('warning', (w) => { if (w.code === 'ERR_ONLY_BAD_PEERS') resolve(w) })
    })
    const liar = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash })
    serveShare(liar, share, { tamper: (_range, data) => flipByte(data) })
    const warning = await onlyBad
    expect(warning.message).toContain(liar.id.slice(0, 8))
    expect(warning.message).toContain(`${BAN_STRIKES} bad pieces, banned`)
    expect(failed.map((f) => f.blamed)).toEqual(Array(BAN_STRIKES).fill([liar.id]))
    expect(warnings.map((w) => w.code)).toEqual([...Array(BAN_STRIKES - 1).fill('ERR_BAD_PIECE'), 'ERR_PEER_BANNED', 'ERR_ONLY_BAD_PEERS'])
    const err = downloader.session.onlyBadPeers()
    expect(err?.code).toBe('ERR_ONLY_BAD_PEERS')
    const stats = downloader.session.stats()
    expect(stats.have).toBe(0)
    expect(stats.wasted).toBe(BAN_STRIKES * PIECE_BYTES)
    expect(stats.downloaded - stats.wasted).toBeLessThan(PIECE_BYTES)
    expect(downloader.written).toEqual([])
    expect(downloader.finalized()).toBe(false)
    await liar.closed
    expect(downloader.session.peers.size).toBe(0)
  })
})

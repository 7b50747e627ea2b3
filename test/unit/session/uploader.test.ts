// The uploader against a scripted peer (no sockets): a block the peer cancels is not sent,
// even one already read ahead or waiting for the upload limit (endgame cancels reach a
// rate-limited uploader while those wait), and the blocks it still wants go on in order.

import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../../src/bitfield.js'
import { encodeInfo } from '../../../src/metadata/info.js'
import { infoHashOf } from '../../../src/metadata/info-hash.js'
import { Metadata } from '../../../src/metadata/metadata.js'
import { BlockBuffers } from '../../../src/session/block-buffers.js'
import { Peer } from '../../../src/session/peer.js'
import { Uploader } from '../../../src/session/uploader.js'
import { MemoryStorage } from '../../../src/storage/memory-storage.js'
import { TokenBucket } from '../../../src/token-bucket.js'
import type { WireChannel } from '../../../src/wire/channel.js'

const PIECES = 8
const PIECE_BYTES = 16 * 1024 // one block a piece
const UPLOAD_RATE = 64 * 1024
/** A block's worth of tokens at UPLOAD_RATE, ms. */
const BLOCK_MS = PIECE_BYTES / UPLOAD_RATE * 1000

/** The pool, counting what it lends and gets back. */
class CountingBuffers extends BlockBuffers {
  taken = 0
  given = 0
  override take (length: number): Buffer { this.taken++; return super.take(length) }
  override give (buffer: Buffer): void { this.given++; super.give(buffer) }
}

interface SentBlock { piece: number, sha256: string }

function setup (): { uploader: Uploader, peer: Peer, sent: SentBlock[], content: Buffer, clock: { ms: number, perBlock: number }, nextBlock: () => Promise<SentBlock>, buffers: CountingBuffers } {
  const content = Buffer.alloc(PIECES * PIECE_BYTES)
  for (let i = 0; i < content.length; i++) content[i] = (i * 7 + (i >> 14)) & 0xff
  const hashes = Buffer.concat([...Array(PIECES).keys()].map((p) => createHash('sha256').update(content.subarray(p * PIECE_BYTES, (p + 1) * PIECE_BYTES)).digest()))
  const info = encodeInfo({ name: 'a.bin', pieceSize: PIECE_BYTES, files: [{ path: [], length: content.length }], pieceHashes: hashes })
  const meta = Metadata.fromBytes(info, infoHashOf(info))
  // The clock stands still until the test moves it (or each block sent moves it by
  // `perBlock`): the limit holds what it holds.
  const clock = { ms: 0, perBlock: 0 }
  const sent: SentBlock[] = []
  const waiters: Array<(b: SentBlock) => void> = []
  const wire = {
    closed: false,
    stream: { rawStream: null },
    send: (type: string, message: { piece: number, data: Buffer }) => {
      if (type !== 'block') return true
      const block = { piece: message.piece, sha256: createHash('sha256').update(message.data).digest('hex') }
      sent.push(block)
      clock.ms += clock.perBlock
      waiters.shift()?.(block)
      return true
    },
    batch: (send: () => void) => send()
  } as unknown as WireChannel
  const peer = new Peer('remote', wire)
  peer.choking = false
  const limit = new TokenBucket({ rate: UPLOAD_RATE, burst: PIECE_BYTES, now: () => clock.ms })
  const buffers = new CountingBuffers(PIECE_BYTES, 4)
  const uploader = new Uploader(meta, new MemoryStorage(meta, content), Bitfield.full(PIECES), limit, {
    onMisbehaving: (_peer, why) => { throw new Error(why) },
    onReadError: (err) => { throw err }
  }, buffers)
  const nextBlock = async (): Promise<SentBlock> => await new Promise((resolve) => waiters.push(resolve))
  return { uploader, peer, sent, content, clock, nextBlock, buffers }
}

const range = (piece: number): { piece: number, offset: number, length: number } => ({ piece, offset: 0, length: PIECE_BYTES })
const digestOf = (content: Buffer, piece: number): string => createHash('sha256').update(content.subarray(piece * PIECE_BYTES, (piece + 1) * PIECE_BYTES)).digest('hex')

describe('Uploader cancels', () => {
  it('does not send a cancelled block that was read ahead or is waiting for the upload limit', async () => {
    const { uploader, peer, sent, content, clock, nextBlock, buffers } = setup()
    const first = nextBlock()
    for (const piece of [0, 1, 2, 3]) uploader.onRequest(peer, range(piece))
    // The bucket starts full: piece 0 goes at once; 1 waits for tokens, 2 and 3 are read ahead.
    expect((await first).piece).toBe(0)
    expect(peer.sending?.range.piece).toBe(1)
    expect(peer.reading.map((r) => r.range.piece)).toEqual([2, 3])
    uploader.onCancel(peer, range(1)) // waiting for the limit
    uploader.onCancel(peer, range(2)) // read ahead
    const next = nextBlock()
    clock.ms += 1000 // tokens again (the burst is one block)
    expect((await next).piece).toBe(3)
    expect(sent).toEqual([{ piece: 0, sha256: digestOf(content, 0) }, { piece: 3, sha256: digestOf(content, 3) }])
    expect(peer.sending).toBeNull()
    expect(peer.awaitingService).toBe(false)
    // Every pooled buffer lent for the four reads came back, the cancelled blocks' too.
    expect([buffers.taken, buffers.given]).toEqual([4, 4])
  })

  it('drops a cancelled request still queued, and serves the rest in request order', async () => {
    const { uploader, peer, sent, content, clock, nextBlock } = setup()
    const first = nextBlock()
    for (const piece of [0, 1, 2, 3, 4, 5, 6]) uploader.onRequest(peer, range(piece))
    await first
    // Read-ahead holds a few blocks at most: the last ones are still queued.
    expect(peer.inbound.map((r) => r.piece)).toContain(6)
    uploader.onCancel(peer, range(6))
    expect(peer.inbound.map((r) => r.piece)).not.toContain(6)
    const rest: Array<Promise<SentBlock>> = [1, 2, 3, 4, 5].map(() => nextBlock())
    clock.perBlock = BLOCK_MS
    clock.ms += BLOCK_MS
    await Promise.all(rest)
    expect(sent.map((b) => b.piece)).toEqual([0, 1, 2, 3, 4, 5])
    for (const b of sent) expect(b.sha256).toBe(digestOf(content, b.piece))
  })
})

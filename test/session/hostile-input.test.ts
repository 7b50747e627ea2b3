// Hostile protocol input over the seam: floods and impossible requests cost the peer its
// connection and us no more than the caps, oversized messages are refused before they are
// buffered, and the honest transfer beside them goes on.

import c from 'compact-encoding'
import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../src/bitfield.js'
import {
  BLOCK_BYTES, MAX_CHANNELS_PER_CONNECTION, MAX_CHOKED_REQUESTS, MAX_FRAME_BYTES, MAX_INBOUND_REQUESTS, MAX_INVALID_REQUESTS
} from '../../src/constants.js'
import type { SessionEvents } from '../../src/session/events.js'
import { MESSAGE_ORDER } from '../../src/wire/messages.js'
import { waitFor } from '../helpers/events.js'
import { memoryShare } from '../helpers/memory-share.js'
import { useSeam } from '../helpers/seam.js'
import type { ScriptedPeer } from '../helpers/scripted-peer.js'

const KiB = 1024
const MiB = 1024 * KiB
const FLOOD = 200_000
/** Requests per frame: well under MAX_FRAME_BYTES (about 12 bytes each in a batch). */
const PER_FRAME = 20_000

/** Sends `count` requests in frames of PER_FRAME, yielding between frames; stops early once
 *  the connection is gone. Returns how many went out. */
async function flood (peer: ScriptedPeer, count: number, pieceCount: number): Promise<number> {
  let sent = 0
  while (sent < count && !peer.stream.destroyed) {
    peer.batch(() => {
      for (let i = 0; i < PER_FRAME && sent < count; i++, sent++) {
        peer.send('request', { piece: sent % pieceCount, offset: 0, length: Math.min(BLOCK_BYTES, 64 * KiB) })
      }
    })
    await new Promise((resolve) => setImmediate(resolve))
  }
  return sent
}

function warningsOf (session: { on: (e: 'warning', l: (w: SessionEvents['warning']) => void) => unknown }): Array<SessionEvents['warning']> {
  const seen: Array<SessionEvents['warning']> = []
  session.on('warning', (w) => seen.push(w))
  return seen
}

describe('hostile protocol input', () => {
  const seam = useSeam()

  it(`${FLOOD} requests from a peer we choke: dropped after ${MAX_CHOKED_REQUESTS}, a reject for each of those only`, async () => {
    const share = memoryShare(1 * MiB, 64 * KiB)
    const seeder = seam.session(share, { role: 'seeder', uploadSlots: 0 })
    const warnings = warningsOf(seeder.session)
    const flooder = await seam.scripted(seeder.session, { infoHash: share.meta.infoHash })
    expect(await flooder.opened).toBe(true)
    await flood(flooder, FLOOD, share.meta.pieceCount)
    await flooder.closed
    expect(flooder.all('reject').length).toBeLessThanOrEqual(MAX_CHOKED_REQUESTS + 1)
    expect(flooder.all('block')).toEqual([])
    expect(warnings.map((w) => w.code)).toEqual(['ERR_PROTOCOL'])
    expect(warnings[0]!.message).toContain('while choked')
    expect(seeder.session.peers.size).toBe(0)
  })

  it(`${FLOOD} requests from a peer we serve: the queue never passes ${MAX_INBOUND_REQUESTS}, the peer goes, a downloader beside it completes`, async () => {
    const share = memoryShare(4 * MiB, 64 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    const warnings = warningsOf(seeder.session)
    const flooder = await seam.scripted(seeder.session, { infoHash: share.meta.infoHash })
    expect(await flooder.opened).toBe(true)
    flooder.send('bitfield', { bytes: new Bitfield(share.meta.pieceCount).toBytes() })
    flooder.send('interested', null)
    await flooder.waitFor('unchoke')
    const ours = seeder.session.peers.get(flooder.id)!
    let longest = 0
    const push = ours.inbound.push.bind(ours.inbound)
    ours.inbound.push = (...ranges) => {
      const length = push(...ranges)
      longest = Math.max(longest, length)
      return length
    }
    const downloader = seam.session(share, { role: 'downloader' })
    const done = waitFor(downloader.session, 'done', 10_000)
    await seam.connect(downloader.session, seeder.session)
    const heapBefore = process.memoryUsage().heapUsed
    const sent = await flood(flooder, FLOOD, share.meta.pieceCount)
    await flooder.closed
    expect(longest).toBe(MAX_INBOUND_REQUESTS)
    expect(ours.inbound.length).toBe(0)
    // What it got is bounded by the queue, not by what it asked for.
    expect(flooder.all('block').length).toBeLessThanOrEqual(MAX_INBOUND_REQUESTS)
    expect(sent).toBeLessThan(FLOOD)
    expect(warnings.filter((w) => w.peer === flooder.id).map((w) => w.message)).toEqual([`peer ${flooder.id.slice(0, 8)} more than ${MAX_INBOUND_REQUESTS} requests queued`])
    await done
    expect(downloader.storage()!.contents()!.equals(share.content)).toBe(true)
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * MiB)
  })

  it(`impossible requests are rejected, and the ${MAX_INVALID_REQUESTS + 1}th drops the peer`, async () => {
    const share = memoryShare(256 * KiB, 64 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    const peer = await seam.scripted(seeder.session, { infoHash: share.meta.infoHash })
    expect(await peer.opened).toBe(true)
    peer.send('interested', null)
    await peer.waitFor('unchoke')
    peer.send('request', { piece: 99, offset: 0, length: 16 * KiB }) // no such piece
    peer.send('request', { piece: 3, offset: 60 * KiB, length: 16 * KiB }) // past the end of the piece
    await peer.waitFor('reject', (r) => r.piece === 3)
    expect(peer.all('reject')).toEqual([{ piece: 99, offset: 0, length: 16 * KiB }, { piece: 3, offset: 60 * KiB, length: 16 * KiB }])
    for (let i = 2; i < MAX_INVALID_REQUESTS; i++) peer.send('request', { piece: 99, offset: i, length: 1 })
    await peer.waitFor('reject', (r) => r.offset === MAX_INVALID_REQUESTS - 1)
    expect(peer.all('reject').length).toBe(MAX_INVALID_REQUESTS)
    expect(seeder.session.peers.has(peer.id)).toBe(true)
    peer.send('request', { piece: 99, offset: 0, length: 1 })
    await peer.closed
    expect(seeder.session.peers.has(peer.id)).toBe(false)
  })

  it('a request larger than a block ends the connection at once, naming the violation', async () => {
    const share = memoryShare(256 * KiB, 64 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    const warned = waitFor(seeder.session, 'warning', 5_000)
    const peer = await seam.scripted(seeder.session, { infoHash: share.meta.infoHash })
    expect(await peer.opened).toBe(true)
    const state = c.state()
    for (const n of [0, 0, BLOCK_BYTES + 1]) c.uint.preencode(state, n)
    state.buffer = Buffer.alloc(state.end)
    for (const n of [0, 0, BLOCK_BYTES + 1]) c.uint.encode(state, n)
    peer.sendRaw(MESSAGE_ORDER.indexOf('request'), state.buffer)
    const warning = await warned
    expect(warning.code).toBe('ERR_PROTOCOL')
    expect(warning.message).toContain(`block length ${BLOCK_BYTES + 1} exceeds the limit of ${BLOCK_BYTES}`)
    await peer.closed
  })

  it('metadata claimed larger than the cap is refused when its size is read, before any buffer', async () => {
    const share = memoryShare(256 * KiB, 64 * KiB)
    const downloader = seam.session(share, { role: 'downloader' })
    const warned = waitFor(downloader.session, 'warning', 5_000)
    const peer = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash })
    await peer.waitFor('metadata-request')
    for (const size of [2 ** 32 - 1]) {
      const state = c.state()
      for (const n of [0, size, 1]) c.uint.preencode(state, n)
      state.end += 1
      state.buffer = Buffer.alloc(state.end)
      for (const n of [0, size, 1]) c.uint.encode(state, n)
      peer.sendRaw(MESSAGE_ORDER.indexOf('metadata-data'), state.buffer)
    }
    const warning = await warned
    expect(warning.message).toContain(`metadata size ${2 ** 32 - 1} exceeds the limit`)
    await peer.closed
    expect(downloader.session.meta).toBeNull()
  })

  it(`a frame over ${MAX_FRAME_BYTES} bytes ends the connection before it is gathered`, async () => {
    const share = memoryShare(256 * KiB, 64 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    const warned = waitFor(seeder.session, 'warning', 5_000)
    const peer = await seam.scripted(seeder.session, { infoHash: share.meta.infoHash })
    expect(await peer.opened).toBe(true)
    // Twice the limit: still inside secret-stream's own 3-byte frame length (16 MiB).
    peer.stream.write(Buffer.alloc(2 * MAX_FRAME_BYTES, 7))
    const warning = await warned
    expect(warning.message).toContain(`a message of ${2 * MAX_FRAME_BYTES} bytes, over the limit of ${MAX_FRAME_BYTES}`)
    await peer.closed
    // Refused at its first chunk: the frame never completed at the session's end.
    expect((peer.remote as unknown as { rawBytesRead: number }).rawBytesRead).toBeLessThan(MAX_FRAME_BYTES)
  })

  it(`more than ${MAX_CHANNELS_PER_CONNECTION} channels opened on one connection end it`, async () => {
    const share = memoryShare(256 * KiB, 64 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    const warned = waitFor(seeder.session, 'warning', 5_000)
    const peer = await seam.scripted(seeder.session, { infoHash: share.meta.infoHash })
    expect(await peer.opened).toBe(true)
    for (let i = 0; i < MAX_CHANNELS_PER_CONNECTION + 10 && !peer.stream.destroyed; i++) {
      peer.mux.createChannel({ protocol: `junk/${i}` })?.open()
    }
    const warning = await warned
    expect(warning.message).toMatch(/opened \d+ channels, over the limit/)
    await peer.closed
  })

  it('unknown message ids are ignored: the transfer goes on', async () => {
    const share = memoryShare(512 * KiB, 64 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    const peer = await seam.scripted(seeder.session, { infoHash: share.meta.infoHash })
    expect(await peer.opened).toBe(true)
    for (let id = MESSAGE_ORDER.length; id < MESSAGE_ORDER.length + 4; id++) peer.sendRaw(id, Buffer.from('anything at all'))
    peer.send('interested', null)
    await peer.waitFor('unchoke')
    peer.send('request', { piece: 0, offset: 0, length: 64 * KiB })
    const block = await peer.waitFor('block')
    expect(block.data.equals(share.content.subarray(0, 64 * KiB))).toBe(true)
  })
})

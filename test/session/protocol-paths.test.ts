// Protocol paths a hostile or unlucky peer takes, over the in-memory seam: the handshake
// proof, a second bitfield, choking in both directions, endgame cancels.

import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../src/bitfield.js'
import { REQUEST_TIMEOUT_MS } from '../../src/constants.js'
import { TokenBucket } from '../../src/token-bucket.js'
import type { SessionEvents } from '../../src/session/events.js'
import { waitFor } from '../helpers/events.js'
import { memoryShare } from '../helpers/memory-share.js'
import { useSeam } from '../helpers/seam.js'
import { serveShare } from '../helpers/scripted-seeder.js'
import { waitUntil } from '../helpers/poll.js'

const KiB = 1024

function collect<K extends keyof SessionEvents & string> (session: { on: (e: K, l: (p: SessionEvents[K]) => void) => unknown }, event: K): Array<SessionEvents[K]> {
  const seen: Array<SessionEvents[K]> = []
  session.on(event, (p) => seen.push(p))
  return seen
}

describe('protocol paths over the seam', () => {
  const seam = useSeam()

  it('a peer with a wrong handshake proof never joins, and what it sent first is ignored', async () => {
    const share = memoryShare(256 * KiB, 64 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    const added = collect(seeder.session, 'peer-add')
    const peer = await seam.scripted(seeder.session, { infoHash: share.meta.infoHash, proof: 'wrong' })
    // Sent before the seeder has checked the proof: protomux holds them until then.
    peer.send('interested', null)
    peer.send('request', { piece: 0, offset: 0, length: 64 * KiB })
    await peer.opened
    await waitUntil(() => peer.channelClosed)
    expect(added).toEqual([])
    expect(seeder.session.peers.size).toBe(0)
    expect(peer.all('block')).toEqual([])
    expect(peer.all('bitfield')).toEqual([])
  })

  it('a second bitfield drops the peer with ERR_PROTOCOL', async () => {
    const share = memoryShare(256 * KiB, 64 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    const warned = waitFor(seeder.session, 'warning', 5_000)
    const peer = await seam.scripted(seeder.session, { infoHash: share.meta.infoHash })
    expect(await peer.opened).toBe(true)
    const empty = new Bitfield(share.meta.pieceCount).toBytes()
    peer.send('bitfield', { bytes: empty })
    peer.send('bitfield', { bytes: empty })
    const warning = await warned
    expect(warning.code).toBe('ERR_PROTOCOL')
    expect(warning.message).toContain('second bitfield')
    expect(warning.peer).toBe(peer.id)
    await peer.closed
    expect(seeder.session.peers.size).toBe(0)
  })

  it('a choke from the remote gives back every request; the unchoke asks again', async () => {
    const share = memoryShare(512 * KiB, 64 * KiB)
    const downloader = seam.session(share, { role: 'downloader' })
    const peer = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash })
    serveShare(peer, share, { answers: () => false })
    await peer.waitFor('request')
    const asked = () => peer.all('request').map((r) => `${r.piece}:${r.offset}`)
    const first = asked()
    const ours = downloader.session.peers.get(peer.id)!
    expect(ours.requests.size).toBe(first.length)
    peer.send('choke', null)
    await waitUntil(() => ours.choked)
    expect(ours.requests.size).toBe(0)
    expect(ours.requests.bytes).toBe(0)
    peer.send('unchoke', null)
    await waitUntil(() => asked().length >= 2 * first.length)
    expect(asked().slice(first.length).sort()).toEqual([...first].sort())
  })

  it('our choke drops the queue of the peer\'s requests: no block follows it', async () => {
    const share = memoryShare(2048 * KiB, 64 * KiB)
    // 64 KiB/s: the queue drains far slower than the test runs.
    const seeder = seam.session(share, { role: 'seeder', limits: { upload: new TokenBucket({ rate: 64 * KiB, burst: 64 * KiB }), download: new TokenBucket({ rate: 0 }) } })
    const peer = await seam.scripted(seeder.session, { infoHash: share.meta.infoHash })
    expect(await peer.opened).toBe(true)
    peer.send('bitfield', { bytes: new Bitfield(share.meta.pieceCount).toBytes() })
    peer.send('interested', null)
    await peer.waitFor('unchoke')
    peer.batch(() => { for (let piece = 0; piece < 20; piece++) peer.send('request', { piece, offset: 0, length: 64 * KiB }) })
    const ours = await waitUntil(() => seeder.session.peers.get(peer.id))
    await waitUntil(() => ours.inbound.length > 0 && peer.all('block').length >= 1)
    peer.send('not-interested', null)
    await waitUntil(() => !ours.remoteInterested)
    seeder.session.choking.rechoke()
    expect(ours.choking).toBe(true)
    expect(ours.inbound).toEqual([])
    expect(ours.reading).toEqual([])
    await peer.waitFor('choke')
    const chokeAt = peer.received.findIndex((r) => r.name === 'choke')
    // Give any stray block time to arrive: a round trip on the in-memory pipe.
    peer.send('have', { piece: 0 })
    await waitUntil(() => ours.has?.has(0) === true)
    expect(peer.received.slice(chokeAt).filter((r) => r.name === 'block')).toEqual([])
    expect(peer.all('block').length).toBeLessThan(20)
  })

  it('endgame: the last blocks go to a second peer too, and the first copy cancels the other', async () => {
    const share = memoryShare(8 * 64 * KiB, 64 * KiB)
    const downloader = seam.session(share, { role: 'downloader' })
    const silent = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash })
    serveShare(silent, share, { answers: () => false })
    await silent.waitFor('request')
    const held = silent.all('request')
    const seeder = seam.session(share, { role: 'seeder' })
    const done = waitFor(downloader.session, 'done', 10_000)
    const start = Date.now()
    await seam.connect(downloader.session, seeder.session)
    await done
    expect(downloader.storage()!.contents()!.equals(share.content)).toBe(true)
    // Every request the silent peer sat on was withdrawn once the seeder's copy came.
    await waitUntil(() => silent.all('cancel').length >= held.length)
    const key = (r: { piece: number, offset: number }): string => `${r.piece}:${r.offset}`
    expect(silent.all('cancel').map(key).sort()).toEqual(held.map(key).sort())
    // Long before any request timed out: these were endgame duplicates.
    expect(Date.now() - start).toBeLessThan(REQUEST_TIMEOUT_MS / 2)
  })
})

// A peer that reconnects under a fresh key each time is a newcomer each time. Newcomers may
// take a free upload slot at once, but only the round's budget of them (as many as there are
// slots), and none more once one of them was dropped for misbehaving: a flooder is served
// at once at most once a round, however often it comes back. After such a drop, a newcomer
// that waits its turn quietly is served after NEWCOMER_PROBATION_MS, not at the next round.

import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../src/bitfield.js'
import { MAX_CHOKED_REQUESTS, MAX_INBOUND_REQUESTS, NEWCOMER_PROBATION_MS, UPLOAD_SLOTS } from '../../src/constants.js'
import type { Session } from '../../src/session/session.js'
import { HANDSHAKE_FLAGS } from '../../src/wire/handshake.js'
import { memoryShare, type MemoryShare } from '../helpers/memory-share.js'
import { type Seam, useSeam } from '../helpers/seam.js'

const KiB = 1024
const RECONNECTS = 20

/** Connects a fresh key that asks to be served; resolves whether it was unchoked at once,
 *  then floods (or leaves politely) and waits until it is gone. */
async function newcomer (seam: Seam, session: Session, share: MemoryShare, floods: boolean): Promise<boolean> {
  // It says it holds the metadata, so none is pushed to it: the one metadata-data is the reply.
  const peer = await seam.scripted(session, { infoHash: share.meta.infoHash, flags: HANDSHAKE_FLAGS.metadata })
  expect(await peer.opened).toBe(true)
  peer.send('bitfield', { bytes: new Bitfield(share.meta.pieceCount).toBytes() })
  peer.send('interested', null)
  // Answered in order: once this reply is in, an unchoke given at once came before it.
  peer.send('metadata-request', { index: 0 })
  await peer.waitFor('metadata-data')
  const unchoked = peer.all('unchoke').length > 0
  if (floods && unchoked) {
    peer.batch(() => { for (let i = 0; i <= MAX_INBOUND_REQUESTS; i++) peer.send('request', { piece: 0, offset: 0, length: 16 * KiB }) })
  } else {
    peer.destroy()
  }
  await peer.closed
  return unchoked
}

describe('newcomers reconnecting with fresh keys', () => {
  const seam = useSeam()

  it(`polite ones: at most ${UPLOAD_SLOTS} unchoked at once between two rounds, not ${RECONNECTS}`, async () => {
    const share = memoryShare(512 * KiB, 64 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    let atOnce = 0
    for (let i = 0; i < RECONNECTS; i++) if (await newcomer(seam, seeder.session, share, false)) atOnce++
    expect(atOnce).toBe(UPLOAD_SLOTS)
    // The next round gives the budget back.
    seeder.session.choking.rechoke()
    expect(await newcomer(seam, seeder.session, share, false)).toBe(true)
  })

  it('a flooder: unchoked at once once a round, the budget gone with its drop', async () => {
    const share = memoryShare(512 * KiB, 64 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    const warnings: string[] = []
    seeder.session.on('warning', (w) => warnings.push(w.message))
    for (let round = 0; round < 2; round++) {
      let atOnce = 0
      for (let i = 0; i < RECONNECTS / 2; i++) if (await newcomer(seam, seeder.session, share, true)) atOnce++
      expect(atOnce).toBe(1)
      seeder.session.choking.rechoke()
    }
    expect(warnings.filter((m) => m.includes(`more than ${MAX_INBOUND_REQUESTS} requests queued`))).toHaveLength(2)
  })

  it('after a flooder was dropped: one flooding while choked is dropped unserved, a patient newcomer is served within the probation', async () => {
    const share = memoryShare(512 * KiB, 64 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    expect(await newcomer(seam, seeder.session, share, true)).toBe(true)

    const impatient = await seam.scripted(seeder.session, { infoHash: share.meta.infoHash, flags: HANDSHAKE_FLAGS.metadata })
    expect(await impatient.opened).toBe(true)
    impatient.send('bitfield', { bytes: new Bitfield(share.meta.pieceCount).toBytes() })
    impatient.send('interested', null)
    impatient.batch(() => { for (let i = 0; i <= MAX_CHOKED_REQUESTS; i++) impatient.send('request', { piece: 0, offset: 0, length: 16 * KiB }) })
    await impatient.closed
    expect(impatient.all('unchoke')).toHaveLength(0)
    expect(impatient.all('block')).toHaveLength(0)

    const patient = await seam.scripted(seeder.session, { infoHash: share.meta.infoHash, flags: HANDSHAKE_FLAGS.metadata })
    expect(await patient.opened).toBe(true)
    patient.send('bitfield', { bytes: new Bitfield(share.meta.pieceCount).toBytes() })
    const askedAt = performance.now()
    patient.send('interested', null)
    patient.send('metadata-request', { index: 0 })
    await patient.waitFor('metadata-data')
    expect(patient.all('unchoke')).toHaveLength(0)
    await patient.waitFor('unchoke', () => true, NEWCOMER_PROBATION_MS * 5)
    // Served after the probation, long before the next round (which this test never runs).
    expect(performance.now() - askedAt).toBeGreaterThanOrEqual(NEWCOMER_PROBATION_MS - 5)
    patient.send('request', { piece: 1, offset: 0, length: 16 * KiB })
    const block = await patient.waitFor('block')
    expect(block.data.equals(share.content.subarray(64 * KiB, 80 * KiB))).toBe(true)
    patient.destroy()
    await patient.closed
  })
})

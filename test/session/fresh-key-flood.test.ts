// A peer that reconnects under a fresh key each time is a newcomer each time. Newcomers may
// take a free upload slot at once, but only the round's budget of them (as many as there are
// slots): past it they wait for the next rechoke round, so a flooder is not served at once
// every time it comes back.

import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../src/bitfield.js'
import { UPLOAD_SLOTS } from '../../src/constants.js'
import { memoryShare } from '../helpers/memory-share.js'
import { useSeam } from '../helpers/seam.js'

const KiB = 1024
const RECONNECTS = 20

describe('a flooder reconnecting with fresh keys', () => {
  const seam = useSeam()

  it(`is unchoked at once at most ${UPLOAD_SLOTS} times between two rounds, not ${RECONNECTS}`, async () => {
    const share = memoryShare(512 * KiB, 64 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    let unchokedAtOnce = 0
    for (let i = 0; i < RECONNECTS; i++) {
      const flooder = await seam.scripted(seeder.session, { infoHash: share.meta.infoHash })
      expect(await flooder.opened).toBe(true)
      flooder.send('bitfield', { bytes: new Bitfield(share.meta.pieceCount).toBytes() })
      flooder.send('interested', null)
      // Answered in order: once this reply is in, an unchoke given at once came before it.
      flooder.send('metadata-request', { index: 0 })
      await flooder.waitFor('metadata-data')
      if (flooder.all('unchoke').length > 0) unchokedAtOnce++
      flooder.destroy()
      await flooder.closed
    }
    expect(unchokedAtOnce).toBe(UPLOAD_SLOTS)
    // The next round gives the budget back: a newcomer after it is served at once again.
    seeder.session.choking.rechoke()
    const later = await seam.scripted(seeder.session, { infoHash: share.meta.infoHash })
    expect(await later.opened).toBe(true)
    later.send('interested', null)
    await later.waitFor('unchoke')
  })
})

// A link whose metadata is refused (it hashes to the link, so no peer can send other bytes):
// the node remembers, and a second get of the same link fails at once.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { encode } from '../../src/codec.js'
import { infoCodec } from '../../src/metadata/info.js'
import { discoveryKeyOf, infoHashOf } from '../../src/metadata/info-hash.js'
import { formatLink } from '../../src/metadata/link.js'
import { waitFor } from '../helpers/events.js'
import { startLiar } from '../helpers/liar-swarm.js'
import type { MemoryShare } from '../helpers/memory-share.js'
import { useTestSwarm } from '../helpers/testnet.js'

describe('refused metadata', () => {
  const fixture = useTestSwarm()

  it('fails the get with ERR_BAD_METADATA, and a second get of the link at once', async () => {
    const hostile = encode(infoCodec, { name: 'x', pieceSize: 16 * 1024, files: [{ path: ['a', '..', 'b'], length: 5 }], pieceHashes: Buffer.alloc(32) })
    const infoHash = infoHashOf(hostile)
    const share = { meta: { bytes: hostile, infoHash, discoveryKey: discoveryKeyOf(infoHash), pieceCount: 1 }, content: Buffer.alloc(5) } as unknown as MemoryShare
    const { host, port } = fixture.swarm.testnet.bootstrap[0]!
    const liar = await startLiar(`${host}:${port}`, share, {})
    try {
      const node = fixture.swarm.createNode()
      const session = await node.get(formatLink(infoHash), { outDir: join(fixture.dir.path, 'out') })
      // The metadata may already have come (and been refused) while get() awaited its announce.
      if (session.status !== 'closed') await waitFor(session, 'close', 10_000)
      expect(session.meta).toBeNull()
      await expect(node.get(formatLink(infoHash), { outDir: join(fixture.dir.path, 'again') })).rejects.toMatchObject({ code: 'ERR_BAD_METADATA' })
      expect(liar.peers.flatMap((p) => p.all('metadata-request'))).toEqual([{ index: 0 }])
    } finally {
      await liar.close()
    }
  })
})

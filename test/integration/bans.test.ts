// The ban list is the node's: a peer banned while fetching one share is refused on every
// other share and on every reconnect, over a real loopback testnet.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatLink } from '../../src/metadata/link.js'
import type { SessionEvents } from '../../src/session/events.js'
import { waitFor } from '../helpers/events.js'
import { sha256File, writeRandomFile } from '../helpers/files.js'
import { startLiar } from '../helpers/liar-swarm.js'
import { memoryShare } from '../helpers/memory-share.js'
import { flipByte } from '../helpers/scripted-seeder.js'
import { useTestSwarm } from '../helpers/testnet.js'
import { readFile } from 'node:fs/promises'

const MiB = 1024 * 1024
const PIECE = 512 * 1024

describe('bans across a node', () => {
  const fixture = useTestSwarm()

  it('a liar banned on one share is refused on another it serves honestly, and never reconnects', async () => {
    const source = join(fixture.dir.path, 'a.bin')
    const digest = await writeRandomFile(source, 6 * MiB)
    const seeder = fixture.swarm.createNode({ uploadLimit: 4 * MiB })
    const shared = await seeder.share(source, { pieceSize: PIECE })
    const a = memoryShare(await readFile(source), PIECE, 'a.bin')
    const b = memoryShare(2 * MiB, PIECE, 'b.bin')
    const { host, port } = fixture.swarm.testnet.bootstrap[0]!
    // Lies about A, tells the truth about B.
    const liar = await startLiar(`${host}:${port}`, [a, b], {}, (share) => share === a ? { tamper: (_r, data) => flipByte(data) } : {})
    try {
      const node = fixture.swarm.createNode()
      const sessionA = await node.get(formatLink(shared.infoHash), { outDir: join(fixture.dir.path, 'out') })
      const banned = new Promise<SessionEvents['warning']>((resolve) => sessionA.on('warning', (w) => { if (w.code === 'ERR_PEER_BANNED') resolve(w) }))
      const done = await waitFor(sessionA, 'done', 30_000)
      expect(await sha256File(done.path)).toBe(digest)
      expect((await banned).peer).toBe(liar.key)
      expect(node.bans.isBanned(liar.key)).toBe(true)

      // B's only source is the liar: honest about B, but banned by the node.
      const sessionB = await node.get(formatLink(b.meta.infoHash), { outDir: join(fixture.dir.path, 'out-b') })
      const added: string[] = []
      sessionB.on('peer-add', ({ id }) => added.push(id))
      const lookup = await waitFor(node, 'lookup', 10_000)
      expect(lookup.banned).toBe(1)
      expect(added).toEqual([])
      expect(sessionB.peers.has(liar.key)).toBe(false)
      const downloader = [...liar.askedBy][0]!
      expect(liar.cameBack.has(downloader)).toBe(false)
    } finally {
      await liar.close()
    }
  })
})

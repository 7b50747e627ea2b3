// Churn: connections cut at random, over and over, while 12 downloaders fetch from one
// seeder and from each other. Everything must still end byte-identical, with one
// connection per pair of nodes, nothing left in flight, and every descriptor, socket and
// timer given back once the nodes close.

import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import type { BitswarmNode } from '../../src/node.js'
import type { SessionEvents } from '../../src/session/events.js'
import type { Session } from '../../src/session/session.js'
import { sha256File, tempDir, writeRandomFile } from '../helpers/files.js'
import { seeded } from '../helpers/random.js'
import { trackTimers } from '../helpers/live-timers.js'
import { createTestSwarm } from '../helpers/testnet.js'

const MiB = 1024 * 1024
const DOWNLOADERS = 12
/** How long connections are cut at random (the 60 s). */
const CHURN_MS = 60_000
/** A cut every 200–600 ms: ~150 cuts over the churn. */
const CUT_EVERY_MS = [200, 600] as const
/** Slow enough that the downloads last through most of the churn (~12 × 6 MiB at 13 × 160 KiB/s). */
const UPLOAD_LIMIT = 160 * 1024

async function openDescriptors (): Promise<number> {
  return (await readdir('/proc/self/fd')).length
}

/** Active libuv handles and requests by kind (sockets, pipes, file requests); timers are
 *  counted by trackTimers. */
function activeResources (): Map<string, number> {
  const counts = new Map<string, number>()
  for (const kind of process.getActiveResourcesInfo()) if (kind !== 'Timeout') counts.set(kind, (counts.get(kind) ?? 0) + 1)
  return counts
}

it('1 seeder and 12 downloaders under 60 s of random disconnects: byte-identical copies, one connection per pair, nothing leaked', async () => {
  const dir = await tempDir()
  const fdsBefore = await openDescriptors()
  const resourcesBefore = activeResources()
  const timers = trackTimers()
  const swarm = await createTestSwarm()
  const random = seeded(0xc4)
  try {
    const source = join(dir.path, 'source.bin')
    const digest = await writeRandomFile(source, 6 * MiB)
    const seeder = swarm.createNode({ uploadLimit: UPLOAD_LIMIT })
    const shared = await seeder.share(source, { pieceSize: 64 * 1024 })
    const nodes: BitswarmNode[] = [seeder]
    const sessions: Session[] = [shared]
    const done: Array<Promise<SessionEvents['done']>> = []
    for (let i = 0; i < DOWNLOADERS; i++) {
      const node = swarm.createNode({ uploadLimit: UPLOAD_LIMIT })
      const session = await node.get(shared.link, { outDir: join(dir.path, `d${i}`) })
      nodes.push(node)
      sessions.push(session)
      done.push(session.completed())
    }

    // Cut a random live connection of a random node, until the churn time is up.
    let cuts = 0
    const churnEnds = Date.now() + CHURN_MS
    await new Promise<void>((resolve) => {
      const cut = (): void => {
        if (Date.now() >= churnEnds) { resolve(); return }
        const node = nodes[Math.floor(random() * nodes.length)]!
        const conns = [...node.swarm.connections]
        if (conns.length > 0) {
          conns[Math.floor(random() * conns.length)]!.destroy()
          cuts++
        }
        setTimeout(cut, CUT_EVERY_MS[0] + random() * (CUT_EVERY_MS[1] - CUT_EVERY_MS[0]))
      }
      cut()
    })
    expect(cuts).toBeGreaterThan(100)

    const finished = await Promise.all(done)
    // The premise: the transfers ran under the cuts, not before them (measured: 47–49 s each).
    expect(Math.max(...finished.map((d) => d.seconds)) * 1000).toBeGreaterThan(CHURN_MS / 2)
    for (const d of finished) expect(await sha256File(d.path)).toBe(digest)

    // Settled: every node holds at most one connection to any other, and its session one peer
    // per connection; nothing is still asked of anyone.
    for (const [i, node] of nodes.entries()) {
      const keys = [...node.swarm.connections].map((c) => c.remotePublicKey.toString('hex'))
      expect(new Set(keys).size).toBe(keys.length)
      const session = sessions[i]!
      expect(session.peers.size).toBeLessThanOrEqual(keys.length)
      for (const peer of session.peers.values()) expect(peer.requests.size).toBe(0)
    }
  } finally {
    await swarm.destroy()
    await dir.remove()
  }
  // Everything the nodes and the testnet opened is closed again.
  expect(await openDescriptors()).toBe(fdsBefore)
  expect(activeResources()).toEqual(resourcesBefore)
  expect(timers.pendingRefed()).toBe(0)
  timers.stop()
}, 150_000)

// What a node finds out about the network on a loopback testnet: its reachability, tested by
// the DHT rather than assumed, and the mesh that peer exchange builds without more lookups.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BitswarmNode } from '../../src/node.js'
import type { Session } from '../../src/session/session.js'
import { waitFor } from '../helpers/events.js'
import { sha256File, writeRandomFile } from '../helpers/files.js'
import { useTestSwarm } from '../helpers/testnet.js'

const KiB = 1024

describe('network facts on a loopback testnet', () => {
  const fixture = useTestSwarm()

  it('finds a node on loopback reachable by asking the DHT, and honours an explicit --firewalled', async () => {
    // createNode passes firewalled: false unless told otherwise; undefined = find out.
    const probed = fixture.swarm.createNode({ firewalled: undefined })
    const ready = waitFor(probed, 'ready')
    await probed.ready()
    expect(await ready).toMatchObject({ nat: 'open', relay: true })
    expect(probed.swarm.dht.firewalled).toBe(false)

    const forced = fixture.swarm.createNode({ firewalled: true })
    await forced.ready()
    expect(forced.nat).not.toBe('open')
    expect(forced.swarm.dht.firewalled).toBe(true)
  })

  it('peers that joined together form a full mesh through peer exchange alone', async () => {
    const source = join(fixture.dir.path, 'source.bin')
    const digest = await writeRandomFile(source, 1024 * KiB)
    // The seeder is slow, so the downloaders are still trading when they meet.
    const seeder = fixture.swarm.createNode({ uploadLimit: 256 * KiB })
    const link = (await seeder.share(source, { pieceSize: 16 * KiB })).link

    // No repeated lookups: each downloader's one lookup runs as the others announce, so
    // whatever it misses only peer exchange can bring.
    const nodes: BitswarmNode[] = ['a', 'b', 'c', 'd'].map(() => fixture.swarm.createNode({ lookupAgain: false }))
    const ids = nodes.map((n) => n.publicKey.toString('hex'))
    const meshed = nodes.map(async (node, i) => {
      const session = await node.get(link, { outDir: join(fixture.dir.path, `d${i}`) })
      await untilPeers(session, ids.filter((_, j) => j !== i))
      return session
    })
    const sessions = await Promise.all(meshed)
    for (const session of sessions) {
      const done = await session.completed()
      expect(await sha256File(done.path)).toBe(digest)
    }
    const dialled = nodes.reduce((sum, n) => sum + n.exchangeDials, 0)
    expect(dialled).toBeGreaterThan(0)
  })

  it('says so when the connected peers hold none of the missing pieces (the seeder left early)', async () => {
    const source = join(fixture.dir.path, 'source.bin')
    await writeRandomFile(source, 2048 * KiB)
    const seeder = fixture.swarm.createNode({ uploadLimit: 256 * KiB })
    const link = (await seeder.share(source, { pieceSize: 16 * KiB })).link
    const first = await fixture.swarm.createNode().get(link, { outDir: join(fixture.dir.path, 'first') })
    await new Promise<void>((resolve) => {
      let held = 0
      first.on('piece-verified', () => { if (++held === 10) resolve() })
    })
    await seeder.close()

    const late = await fixture.swarm.createNode().get(link, { outDir: join(fixture.dir.path, 'late') })
    const warning = await new Promise<{ code: string, message: string }>((resolve) => {
      late.on('warning', (w) => { if (w.code === 'ERR_NO_SOURCE') resolve(w) })
    })
    const missing = late.meta!.pieceCount - late.stats().have
    expect(late.sources.starved).toBe(true)
    expect(late.stats().have).toBe(first.stats().have)
    expect(warning.message).toBe(`1 peer is connected but none holds any of the ${missing} missing pieces (the sharer may be gone); still looking for one that does`)
  })

  it('fetchMetadata asks peers for the file list without downloading or announcing; remove() stops a share', async () => {
    const source = join(fixture.dir.path, 'listed.bin')
    await writeRandomFile(source, 300 * KiB)
    const seeder = fixture.swarm.createNode()
    const shared = await seeder.share(source)

    const asker = fixture.swarm.createNode()
    const meta = await asker.fetchMetadata(shared.link, { timeoutMs: 20_000 })
    expect(meta.bytes.equals(shared.meta!.bytes)).toBe(true)
    expect(meta.info.files).toEqual([{ path: [], length: 300 * KiB }])
    // Nothing stays behind: no session, no topic, and the seeder never sent a block.
    expect(asker.swarm.status(shared.discoveryKey)).toBe(null)
    expect(shared.stats().uploaded).toBe(0)

    expect(await seeder.remove(shared.infoHash)).toBe(true)
    expect(shared.status).toBe('closed')
    expect(seeder.swarm.status(shared.discoveryKey)).toBe(null)
    expect(await seeder.remove(shared.infoHash)).toBe(false)
  })

  it('one node seeds several shares; a share closed by its owner leaves the node, and sharing it again starts afresh', async () => {
    const node = fixture.swarm.createNode()
    const paths = ['one.bin', 'two.bin'].map((name) => join(fixture.dir.path, name))
    for (const [i, path] of paths.entries()) await writeRandomFile(path, (i + 1) * 64 * KiB)
    const one = await node.share(paths[0]!)
    const two = await node.share(paths[1]!)
    expect(await node.share(paths[0]!)).toBe(one) // the same content twice: the same share
    expect(node.sessions()).toEqual([one, two])

    await one.close()
    expect(node.sessions()).toEqual([two])
    await waitUntil(() => node.swarm.status(one.discoveryKey) === null) // its topic is left

    const again = await node.share(paths[0]!)
    expect(again).not.toBe(one)
    await waitUntil(() => again.status === 'seeding') // its storage opens right after share() returns
    expect(node.sessions()).toEqual([two, again])
  })

  it('a node seeding three shares serves all three to one peer over one connection', async () => {
    const seeder = fixture.swarm.createNode()
    const paths = ['a.bin', 'b.bin', 'c.bin'].map((name) => join(fixture.dir.path, name))
    const digests = await Promise.all(paths.map(async (path, i) => await writeRandomFile(path, (i + 1) * 200 * KiB)))
    const shares: Session[] = []
    for (const path of paths) shares.push(await seeder.share(path))

    const fetcher = fixture.swarm.createNode()
    const sessions = await Promise.all(shares.map(async (s, i) => await fetcher.get(s.link, { outDir: join(fixture.dir.path, `out${i}`) })))
    const done = await Promise.all(sessions.map(async (s) => await s.completed()))
    for (const [i, d] of done.entries()) expect(await sha256File(d.path)).toBe(digests[i])
    expect(seeder.swarm.connections.size).toBe(1)
    expect(fetcher.swarm.connections.size).toBe(1)
    // Each share's channel carried its own content: every byte came from the one seeder.
    for (const [i, s] of shares.entries()) expect(s.stats().uploaded).toBe((i + 1) * 200 * KiB)
  })

  it('remove() stops the announcement: a downloader that comes after is told nobody announces it', async () => {
    const source = join(fixture.dir.path, 'gone.bin')
    await writeRandomFile(source, 64 * KiB)
    const seeder = fixture.swarm.createNode()
    const shared = await seeder.share(source)
    expect(await seeder.remove(shared.infoHash)).toBe(true)

    const late = fixture.swarm.createNode()
    const report = waitFor(late, 'lookup', 20_000)
    await late.get(shared.link, { outDir: join(fixture.dir.path, 'late') })
    expect((await report).found).toBe(0)
  })
})

/** Polls a condition the node reaches on its own (leaving a topic) for at most 5 s. */
async function waitUntil (check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  expect(check()).toBe(true)
}

/** Resolves once the session has had a channel with every one of `ids`. */
async function untilPeers (session: Session, ids: string[]): Promise<void> {
  const seen = new Set([...session.peers.keys()])
  if (ids.every((id) => seen.has(id))) return
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`met ${[...seen].length} peers, not all of ${ids.length}`)), 30_000)
    session.on('peer-add', ({ id }) => {
      seen.add(id)
      if (ids.every((x) => seen.has(x))) {
        clearTimeout(timer)
        resolve()
      }
    })
  })
}

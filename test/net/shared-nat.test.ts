// Scenario d: three downloaders behind one shared NAT (one LAN), the seeder public. All three
// finish, and each had a connection to each of the other two, across the LAN.

import { describe, expect, it } from 'vitest'
import { allRows, awaitDone, awaitPeersSeen, describeAll, peersSeen, startBootstrap, startGet, startShare } from './bitswarm.js'
import { expectIdentical, MiB, useScenario, WAN } from './scenario.js'

describe('several hosts behind one NAT', () => {
  const s = useScenario()

  it('d: three downloaders on one LAN behind a consistent NAT with a firewall, seeder public: all finish, full mesh', async () => {
    const net = await s.network({ link: WAN })
    const boot = await net.publicHost('boot')
    const seeder = await net.publicHost('seeder')
    const router = await net.natRouter('home', { mode: 'consistent', firewall: true })
    const lan = [await router.host('d1'), await router.host('d2'), await router.host('d3')]
    const { path, digest } = await s.content(8 * MiB)
    const bootstrap = await startBootstrap(s.procs, boot)
    const share = await startShare(s.procs, seeder, path, bootstrap)
    // --seed: a downloader that finishes first stays in the swarm, so the others can still meet it.
    const gets = lan.map((h) => startGet(s.procs, h, share.link, s.outDir(h.name), bootstrap, ['--seed']))
    const done = await Promise.all(gets.map(async (g) => await awaitDone(g)))
    await expectIdentical(done.map((d) => d.path), digest)

    // Ids: the seeder saw the three downloaders; a downloader never sees itself.
    const downloaders = await awaitPeersSeen(share.proc, 3, 30_000)
    expect(downloaders.size).toBe(3)
    const seen = await Promise.all(gets.map(async (g) => await awaitPeersSeen(g, 3, 60_000).catch(() => peersSeen(g))))
    const own = seen.map((ids) => [...downloaders].filter((id) => !ids.has(id)))
    const short = (ids: Iterable<string>): string => [...ids].map((id) => id.slice(0, 8)).join(', ')
    const mesh = `the seeder saw ${short(downloaders)}; ${seen.map((ids, i) => `d${i + 1} saw ${short(ids)}`).join('; ')}\n${describeAll([share.proc, ...gets])}`
    for (const [i] of seen.entries()) {
      expect(own[i], `d${i + 1} did not meet every other downloader: ${mesh}`).toHaveLength(1)
      for (const other of downloaders) if (other !== own[i]![0]) expect(seen[i]!.has(other), mesh).toBe(true)
    }
    expect(new Set(own.map((o) => o[0])).size).toBe(3)
    // Between LAN hosts, never through a relay (checked when the rows carry `connection`).
    for (const [i, g] of gets.entries()) {
      for (const row of allRows(g)) if (downloaders.has(row.id) && row.connection !== undefined) expect(row.connection, `d${i + 1} → ${row.id.slice(0, 8)}`).not.toBe('relayed')
    }
    for (const g of gets) expect((await g.stop()).code).toBe(0)
    expect((await share.proc.stop()).code).toBe(0)
  })
})

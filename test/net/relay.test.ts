// Scenario e: seeder and downloader each behind a fully-random NAT with an inbound firewall
// (they cannot hole-punch each other), and a public bitswarm node in the same swarm that
// serves nobody (--upload-slots 0) but can relay. The downloader's bytes therefore come from
// the seeder, through the relay; the `peers` row for the seeder says "connection":"relayed".

import { describe, expect, it } from 'vitest'
import { allRows, awaitDone, awaitPeersSeen, describeAll, peersSeen, startBootstrap, startGet, startShare } from './bitswarm.js'
import { expectIdentical, MiB, useScenario, WAN } from './scenario.js'

describe('relaying through a public swarm peer', () => {
  const s = useScenario()

  it('e: two hosts behind fully-random NATs exchange through a public peer: byte-identical, "relayed"', async () => {
    const net = await s.network({ link: WAN })
    const boot = await net.publicHost('boot')
    const relay = await net.publicHost('relay')
    const a = await (await net.natRouter('nat-a', { mode: 'random', firewall: true })).host('a')
    const b = await (await net.natRouter('nat-b', { mode: 'random', firewall: true })).host('b')
    const { path, digest } = await s.content(8 * MiB)
    const bootstrap = await startBootstrap(s.procs, boot)
    const share = await startShare(s.procs, a, path, bootstrap)
    const middle = startGet(s.procs, relay, share.link, s.outDir('relay'), bootstrap, ['--seed', '--upload-slots', '0'])
    const get = startGet(s.procs, b, share.link, s.outDir('b'), bootstrap)
    const all = [share.proc, middle, get]
    const done = await awaitDone(get).catch((err: Error) => { throw new Error(`${err.message}\n${describeAll(all)}`) })
    const middleDone = await awaitDone(middle)
    await expectIdentical([done.path, middleDone.path], digest)

    // The seeder's id: seen by the relay and by b, never by the seeder itself.
    const [fromA, fromRelay] = [await awaitPeersSeen(share.proc, 2, 30_000).catch(() => peersSeen(share.proc)), peersSeen(middle)]
    const fromB = peersSeen(get)
    const seederIds = [...fromRelay].filter((id) => fromB.has(id) && !fromA.has(id))
    expect(seederIds, `b saw ${[...fromB].map((id) => id.slice(0, 8)).join(', ')}; the relay saw ${[...fromRelay].map((id) => id.slice(0, 8)).join(', ')}`).toHaveLength(1)
    const rows = allRows(get).filter((r) => r.id === seederIds[0])
    expect(rows.some((r) => r.connection === 'relayed'), `b's rows for the seeder: ${JSON.stringify(rows.at(-1))}`).toBe(true)
    expect(Math.max(...rows.map((r) => Number(r.downloaded ?? 0)))).toBeGreaterThan(0)
    expect((await get.exited).code).toBe(0)
    expect((await middle.stop()).code).toBe(0)
    expect((await share.proc.stop()).code).toBe(0)
  })

  it('f: the same two hosts with no public peer in the swarm relay through the bootstrap host\'s relay', async () => {
    const net = await s.network({ link: WAN })
    const boot = await net.publicHost('boot')
    const a = await (await net.natRouter('nat-a', { mode: 'random', firewall: true })).host('a')
    const b = await (await net.natRouter('nat-b', { mode: 'random', firewall: true })).host('b')
    const { path, digest } = await s.content(4 * MiB)
    const bootstrap = await startBootstrap(s.procs, boot)
    const share = await startShare(s.procs, a, path, bootstrap)
    const get = startGet(s.procs, b, share.link, s.outDir('b'), bootstrap)
    const done = await awaitDone(get).catch((err: Error) => { throw new Error(`${err.message}\n${describeAll([share.proc, get])}`) })
    await expectIdentical([done.path], digest)
    const rows = allRows(get)
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => r.connection === 'relayed'), JSON.stringify(rows.at(-1))).toBe(true)
    expect((await get.exited).code).toBe(0)
    expect((await share.proc.stop()).code).toBe(0)
  })
})

// The harness itself: delay, loss and bandwidth caps come out as configured, and the NAT
// routers rewrite ports as their mode says (checked with probe.mjs, not with bitswarm).

import { afterEach, describe, expect, it } from 'vitest'
import { median, tcpThroughput, udpEcho, udpPing } from './probes.js'
import { ProcessSet } from './processes.js'
import { Network } from './topology.js'

describe('network harness', () => {
  let net: Network | null = null
  const procs = new ProcessSet()
  afterEach(async () => {
    await procs.stopAll()
    await net?.destroy()
    net = null
  })

  it('delays each backbone traversal by D±J ms and drops P% of packets', async () => {
    net = await Network.create({ link: { delayMs: 30, jitterMs: 5, lossPct: 10 } })
    const a = await net.publicHost('a')
    const b = await net.publicHost('b')
    procs.add(await udpEcho(b, 7000))
    const { targets: [result] } = await udpPing(a, [`${b.ip}:7000`], 300, 5)
    // Two traversals per round trip: 60 ms ± 10; received ≈ 0.9² = 81 %.
    console.info(`rtt median ${median(result!.rtts).toFixed(1)} ms (min ${Math.min(...result!.rtts).toFixed(1)}, max ${Math.max(...result!.rtts).toFixed(1)}), received ${result!.received}/${result!.sent}`)
    expect(median(result!.rtts)).toBeGreaterThan(55)
    expect(median(result!.rtts)).toBeLessThan(68)
    expect(Math.min(...result!.rtts)).toBeGreaterThan(49)
    expect(result!.received / result!.sent).toBeGreaterThan(0.70)
    expect(result!.received / result!.sent).toBeLessThan(0.90)
  })

  it('caps a downlink with tbf', async () => {
    net = await Network.create()
    const a = await net.publicHost('a')
    const b = await net.publicHost('b')
    await net.capDownlink(b, 20)
    const mbit = await tcpThroughput(a, b, 7001, 2)
    console.info(`tbf 20 Mbit/s: measured ${mbit.toFixed(2)} Mbit/s`)
    expect(mbit).toBeGreaterThan(16)
    expect(mbit).toBeLessThan(23)
  })

  it('NATs: consistent keeps one port for every destination, fully-random does not; hosts are reachable only through their router', async () => {
    net = await Network.create()
    const s1 = await net.publicHost('s1')
    const s2 = await net.publicHost('s2')
    const consistent = await net.natRouter('natc', { mode: 'consistent', firewall: true })
    const random = await net.natRouter('natr', { mode: 'random' })
    const c = await consistent.host('c')
    const r = await random.host('r')
    procs.add(await udpEcho(s1, 7000))
    procs.add(await udpEcho(s2, 7000))
    const targets = [`${s1.ip}:7000`, `${s2.ip}:7000`]

    const viaConsistent = await udpPing(c, targets, 5, 20)
    const seenC = viaConsistent.targets.flatMap((t) => t.observed)
    expect(new Set(seenC)).toEqual(new Set([`${consistent.wanIp}:${viaConsistent.localPort}`]))

    const viaRandom = await udpPing(r, targets, 5, 20)
    const [toS1, toS2] = viaRandom.targets.map((t) => t.observed)
    console.info(`consistent NAT: local port ${viaConsistent.localPort} seen as ${seenC.join(', ')}; random NAT: local port ${viaRandom.localPort} seen as ${toS1!.join()} and ${toS2!.join()}`)
    expect(toS1).toHaveLength(1)
    expect(toS2).toHaveLength(1)
    expect(toS1![0]!.startsWith(`${random.wanIp}:`)).toBe(true)
    expect(toS1![0]).not.toBe(toS2![0])

    // The firewalled router dropped nothing it should have let in, and counted its NAT.
    const rules = await consistent.ruleset()
    expect(rules).toMatch(/masquerade/)
    expect(rules).toMatch(/ct state established,related counter packets [1-9]/)

    // Unsolicited traffic to a LAN address goes nowhere: the backbone has no route to it.
    procs.add(await udpEcho(c, 7002))
    const unsolicited = await udpPing(s1, [`${c.ip}:7002`, `${consistent.wanIp}:7002`], 3, 20)
    expect(unsolicited.targets.map((t) => t.received)).toEqual([0, 0])
  })

  // A Linux NAT without an inbound firewall delivers an unsolicited packet to the router itself
  // (ICMP port unreachable) and keeps that conntrack entry (30 s for unreplied UDP). A LAN host
  // then sending from the same port to the same remote gets ANOTHER public port: the tuple is
  // taken. With the firewall, the unsolicited packet is dropped before conntrack confirms it,
  // and the port is kept. This is why simultaneous hole-punching behaves differently on the two.
  it.each([false, true])('an unsolicited packet first: the NAT keeps the port only with the inbound firewall (firewall %s)', async (firewall) => {
    net = await Network.create()
    const remote = await net.publicHost('remote')
    const router = await net.natRouter('nat', { mode: 'consistent', firewall })
    const lan = await router.host('lan')
    const early = await udpPing(remote, [`${router.wanIp}:7100`], 3, 20, 7001)
    expect(early.targets[0]!.received).toBe(0)
    procs.add(await udpEcho(remote, 7001))
    const later = await udpPing(lan, [`${remote.ip}:7001`], 3, 20, 7100)
    const seen = later.targets[0]!.observed
    console.info(`firewall ${firewall}: LAN port 7100 seen as ${seen.join(', ')}`)
    expect(seen).toHaveLength(1)
    if (firewall) expect(seen[0]).toBe(`${router.wanIp}:7100`)
    else expect(seen[0]).not.toBe(`${router.wanIp}:7100`)
  })
})

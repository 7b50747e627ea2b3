import { describe, expect, it } from 'vitest'
import { describeReachability, explainNoPeers, type NoPeersReport } from '../../../src/cli/no-peers.js'

const base = { attempt: 2, found: 1, bootstrapReachable: true, dhtNodes: 3, relays: 0, inbound: 0, firewalledFlag: null } as const

describe('explainNoPeers', () => {
  it.each([
    [{ attempt: 3, found: 0, bootstrapReachable: false }, /bootstrap node does not answer \(3 lookups\)/],
    [{ attempt: 1, found: 2, bootstrapReachable: true }, /2 found on the DHT but none reachable \(1 lookup\).*firewall or NAT/],
    [{ attempt: 10, found: 0, bootstrapReachable: true }, /nobody announces this link \(10 lookups\); check the link/],
    [{ attempt: 4, found: 0, bootstrapReachable: null }, /nobody announces this link/]
  ])('%o', (report, expected) => {
    expect(explainNoPeers(report)).toMatch(expected)
  })

  it('never suggests --no-firewalled, and names the flag when the node already runs with it', () => {
    for (const nat of ['open', 'consistent', 'random', 'unknown'] as const) {
      for (const firewalledFlag of [null, true, false]) {
        expect(explainNoPeers({ ...base, nat, firewalledFlag })).not.toMatch(/try --no-firewalled/)
      }
    }
    expect(explainNoPeers({ ...base, nat: 'open', firewalledFlag: false })).toMatch(/runs with --no-firewalled: if it is in fact behind a NAT, drop the flag/)
  })

  it('names the bootstrap node count when a NATed node cannot classify its NAT', () => {
    expect(explainNoPeers({ ...base, nat: 'unknown', dhtNodes: 1 })).toMatch(/knows only 1 DHT nodes, fewer than the 3 it needs to hole-punch: run `bitswarm bootstrap` \(it starts three\)/)
  })

  it('points at a relay behind a random-port NAT, and says when one is already there', () => {
    expect(explainNoPeers({ ...base, nat: 'random' })).toMatch(/changes ports per destination.*reachable peer in the swarm .* would relay/)
    expect(explainNoPeers({ ...base, nat: 'random', relays: 1 })).toMatch(/a relay is known, so retries go through it/)
  })

  it('tells a sharer whether anybody tried to reach it', () => {
    const share = (r: Partial<NoPeersReport>): string => explainNoPeers({ ...base, found: 0, ...r }, 'share')
    expect(share({ nat: 'consistent', inbound: 0 })).toBe('no peers yet: announced, and nobody has tried to reach this node; it is behind a NAT: peers reach it by hole-punching')
    expect(share({ nat: 'random', inbound: 3 })).toMatch(/^no peers yet: 3 attempts to reach this node, none connected; .*relay/)
  })

  it('describes a sharer on the DHT', () => {
    expect(describeReachability('open', true)).toBe('it is reachable directly (and relays for peers that cannot reach each other)')
  })
})

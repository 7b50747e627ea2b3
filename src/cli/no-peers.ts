// "0 peers", explained: what a lookup that found nobody tells a person, told apart by the
// likely cause (the bootstrap node, the network between the peers, or the link itself),
// with advice that fits this node's own situation: never a flag it already runs with.

import type { LookupReport } from '../node.js'
import type { NatKind } from '../network/reachability.js'

export type NoPeersReport = Pick<LookupReport, 'attempt' | 'found' | 'bootstrapReachable'> & Partial<Pick<LookupReport, 'nat' | 'firewalledFlag' | 'dhtNodes' | 'relays' | 'inbound' | 'banned'>>

/** DHT nodes a NATed node needs to hear its address from before it can hole-punch. */
const NAT_SAMPLES = 3

export function explainNoPeers (report: NoPeersReport, role: 'get' | 'share' = 'get'): string {
  const lookups = `${report.attempt} ${report.attempt === 1 ? 'lookup' : 'lookups'}`
  if (report.bootstrapReachable === false) {
    return `no peers yet: the bootstrap node does not answer (${lookups}); is \`bitswarm bootstrap\` running at that address, with UDP open?`
  }
  if (role === 'share') return explainForSharer(report)
  const banned = report.banned ?? 0
  if (banned > 0 && banned >= report.found) {
    return `no peers yet: the ${banned === 1 ? 'one peer' : `${banned} peers`} found on the DHT ${banned === 1 ? 'was' : 'were'} banned for sending corrupt data (${lookups}); waiting for an honest one`
  }
  if (report.found > 0) {
    return `no peers yet: ${report.found} found on the DHT but none reachable (${lookups}); ${networkAdvice(report)}`
  }
  return `no peers yet: nobody announces this link (${lookups}); check the link, that the sharer is running, and that both use the same --bootstrap`
}

/** A sharer alone: whether anybody tried to reach it, and what stands in their way. */
function explainForSharer (report: NoPeersReport): string {
  const inbound = report.inbound ?? 0
  if (inbound === 0) return `no peers yet: announced, and nobody has tried to reach this node; ${whereThisNodeStands(report.nat)}`
  return `no peers yet: ${inbound} ${inbound === 1 ? 'attempt' : 'attempts'} to reach this node, none connected; ${networkAdvice(report)}`
}

/** One line for a sharer once it is on the DHT. */
export function describeReachability (nat: NatKind, relay: boolean): string {
  return whereThisNodeStands(nat) + (relay ? ' (and relays for peers that cannot reach each other)' : '')
}

function whereThisNodeStands (nat: NatKind | undefined): string {
  switch (nat) {
    case 'open': return 'it is reachable directly'
    case 'consistent': return 'it is behind a NAT: peers reach it by hole-punching'
    case 'random': return 'it is behind a NAT that changes ports: peers behind NATs reach it only through a relay'
    case 'unknown': return 'it is behind a NAT or firewall the DHT could not classify yet'
    default: return 'check that the others use the same --bootstrap'
  }
}

/** Peers exist but cannot be reached: what to change, given how this node runs. */
function networkAdvice (report: NoPeersReport): string {
  const relay = (report.relays ?? 0) > 0
    ? 'a relay is known, so retries go through it'
    : 'a reachable peer in the swarm (one not behind a NAT) or the relay `bitswarm bootstrap` runs would relay'
  switch (report.nat) {
    case 'open':
      return report.firewalledFlag === false
        ? 'this node runs with --no-firewalled: if it is in fact behind a NAT, drop the flag so it hole-punches; else the peers sit behind NATs or firewalls that drop UDP'
        : 'this node is reachable, so the peers sit behind NATs or firewalls that drop incoming UDP; allow UDP there, or ' + relay
    case 'unknown':
      return (report.dhtNodes ?? 0) < NAT_SAMPLES
        ? `this node is behind a NAT but knows only ${report.dhtNodes ?? 0} DHT nodes, fewer than the ${NAT_SAMPLES} it needs to hole-punch: run \`bitswarm bootstrap\` (it starts three) or list three bootstrap nodes`
        : 'this node is behind a NAT or firewall the DHT could not classify; allow UDP, or ' + relay
    case 'random':
      return 'this node is behind a NAT that changes ports per destination, which cannot punch through to another such NAT; ' + relay
    case 'consistent':
      return 'both sides are behind NATs and the punch did not get through (a router that drops it, or hands out a new port when the other side\'s packet comes first); ' + relay
    default:
      return 'a firewall or NAT in the way? allow UDP'
  }
}

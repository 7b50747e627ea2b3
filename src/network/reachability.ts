// Whether this node can be reached from outside, as the DHT observes it, never assumed.
// A node that wrongly claims to be reachable makes peers dial its NAT's address instead of
// hole-punching, and peers behind the same NAT cannot reach it at all (no hairpin).

import type DHT from 'hyperdht'
import { networkInterfaces } from 'node:os'
import { BlockList, isIPv4 } from 'node:net'
import { REACHABILITY_PROBE_MS } from '../constants.js'

/** What the DHT learnt of this node's address: reachable as it is (`open`), behind a NAT that
 *  keeps its port per socket (`consistent`: hole-punchable), behind one that picks a new port
 *  per destination (`random`: punchable only from a consistent NAT; else relay), or not yet
 *  known. */
export type NatKind = 'open' | 'consistent' | 'random' | 'unknown'

export function natKind (dht: DHT): NatKind {
  if (!dht.firewalled) return 'open'
  if (dht.host === null) return 'unknown'
  return dht.randomized ? 'random' : 'consistent'
}

/** Asks the DHT nodes it knows to send to this node's server socket from another address
 *  (dht-rpc's NAT check): replies mean nothing in between filters unsolicited packets, so the
 *  node is reachable, and the DHT switches to firewalled = false. dht-rpc runs this check
 *  itself only when a quick probe wins a race with its bootstrap query, or after minutes of
 *  uptime; run here right after bootstrapping, the answer is the same on every start.
 *  A private method of dht-rpc (pinned in the lock file); when it is missing the DHT keeps
 *  its own verdict. Waits at most `timeoutMs`. */
export async function probeReachability (dht: DHT, timeoutMs = REACHABILITY_PROBE_MS): Promise<void> {
  const check = (dht as unknown as { _updateNetworkState?: (onlyFirewall: boolean) => Promise<boolean> })._updateNetworkState
  if (typeof check !== 'function' || !dht.firewalled) return
  // Behind a NAT no answer comes and the check waits out every retry (~4 s measured): the
  // node goes on as firewalled, and a late answer still flips the DHT to reachable.
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs) })
  await Promise.race([check.call(dht, true).catch(() => false), late])
  clearTimeout(timer)
}

/** Whether `host` lies in a subnet one of this machine's interfaces is on: a connection to
 *  it crosses no router, so no NAT (peers behind one shared NAT reach each other this way). */
export function onLocalSubnet (host: string | null | undefined, now = Date.now()): boolean {
  if (host === null || host === undefined || !isIPv4(host)) return false
  return localSubnets(now).check(host, 'ipv4')
}

/** Asked for every peer row once a second: the interfaces are read again at most every
 *  SUBNETS_TTL_MS (a laptop that changes networks is seen within that). */
const SUBNETS_TTL_MS = 10_000
let subnets: { list: BlockList, readAt: number } | null = null

function localSubnets (now: number): BlockList {
  if (subnets !== null && now - subnets.readAt < SUBNETS_TTL_MS) return subnets.list
  const list = new BlockList()
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family !== 'IPv4' || a.internal || a.cidr === null) continue
      const [network, bits] = a.cidr.split('/')
      list.addSubnet(network!, Number(bits), 'ipv4')
    }
  }
  subnets = { list, readAt: now }
  return list
}

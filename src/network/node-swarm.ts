// The node's one HyperDHT and the Hyperswarm on it, configured from the node's options; the
// node keeps the say on which connections to refuse and which relay to use (the hooks).

import DHT from 'hyperdht'
import Hyperswarm from 'hyperswarm'
import { MAX_PARALLEL_DIALS, MAX_PEERS } from '../constants.js'
import type { NodeOptions } from '../node-options.js'
import { formatAddress } from './bootstrap-address.js'

export interface SwarmHooks {
  /** True refuses the connection (hyperswarm then bans the key from its own dials too);
   *  `payload` is null for one of our own dials. */
  firewall: (key: Buffer, payload: unknown) => boolean
  /** The relay for a connection attempt, or null to connect directly. */
  relayThrough: (force: boolean) => Buffer | null
}

export function createNodeSwarm (opts: NodeOptions, hooks: SwarmHooks): Hyperswarm {
  const dht = new DHT({
    ...(opts.bootstrap !== undefined ? { bootstrap: opts.bootstrap.map(formatAddress) } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...firewallOverride(opts.firewalled)
  })
  return new Hyperswarm({
    dht,
    maxPeers: opts.maxPeers ?? MAX_PEERS,
    maxParallel: MAX_PARALLEL_DIALS,
    firewall: hooks.firewall,
    relayThrough: hooks.relayThrough,
    ...(opts.backoffs !== undefined ? { backoffs: opts.backoffs, jitter: 0 } : {})
  })
}

/** DHT options for an explicit --firewalled / --no-firewalled; none when the DHT is to find
 *  out itself. Forced firewalled also stops dht-rpc from probing and changing its mind. */
export function firewallOverride (firewalled: boolean | undefined): { firewalled?: boolean, quickFirewall?: boolean, ephemeral?: boolean } {
  if (firewalled === undefined) return {}
  return firewalled ? { firewalled: true, quickFirewall: false, ephemeral: true } : { firewalled: false }
}

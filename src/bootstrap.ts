// A private network's meeting point: a HyperDHT bootstrap node, and the `host:port` lists
// that point the other nodes at it.

import DHT from 'hyperdht'
import Hyperswarm from 'hyperswarm'
import type { SecretStream } from 'hyperswarm'
import { createSocket } from 'node:dgram'
import { isIPv4 } from 'node:net'
import { BOOTSTRAP_NODE_COUNT, DEFAULT_BOOTSTRAP_HOST, DEFAULT_BOOTSTRAP_PORT } from './constants.js'
import { type BitswarmError, invalidOption } from './errors.js'
import { type BootstrapAddress, formatAddress } from './network/bootstrap-address.js'
import { RELAY_TOPIC, RelayService } from './network/relay.js'

export { type BootstrapAddress, formatAddress, parseBootstrapList, parsePort } from './network/bootstrap-address.js'

export interface BootstrapNode {
  /** The address the other nodes are given: the first of the nodes. */
  readonly address: BootstrapAddress
  /** Every DHT node this runs; the others learn them all from `address`. */
  readonly nodes: BootstrapAddress[]
  /** Public key of the relay it runs for nodes that cannot reach each other, announced on
   *  the DHT under RELAY_TOPIC. */
  readonly relay: Buffer
  destroy (): Promise<void>
}

/** Starts a private network's meeting point on `host`: a bootstrap node and
 *  BOOTSTRAP_NODE_COUNT − 1 persistent DHT nodes beside it (on the next ports when free).
 *  One node would do for discovery, but a node behind a NAT classifies its NAT only once
 *  three distinct DHT nodes have reported its address (hyperdht lib/nat.js): with fewer,
 *  hole-punching gives up. The others find the extra nodes through the first one, so users
 *  still pass one address. Beside them runs a relay (blind: it forwards end-to-end encrypted
 *  packets it cannot read) for two NATed nodes that cannot punch through and have no
 *  reachable peer in their swarm to relay for them; it is found on the DHT (RELAY_TOPIC).
 *  The host is also the address other nodes must dial (it is part of each node's DHT id), so
 *  it must be a concrete IPv4 address. Port 0 picks free ports. */
export async function startBootstrapNode (opts: Partial<BootstrapAddress> = {}): Promise<BootstrapNode> {
  const host = opts.host ?? DEFAULT_BOOTSTRAP_HOST
  const port = opts.port ?? DEFAULT_BOOTSTRAP_PORT
  if (!isIPv4(host) || host === '0.0.0.0') throw invalidOption(`bootstrap host must be the IPv4 address other nodes dial, not "${host}"`)
  // The bootstrapper's DHT id is derived from host:port, so the port must be known first.
  // Probing it with a plain socket also turns a busy port into a clean error: a DHT that
  // failed to bind cannot be destroyed cleanly and keeps the process alive.
  const chosen = await bindableUdpPort(host, port)
  const first = DHT.bootstrapper(chosen, host, { host })
  const dhts: DHT[] = [first]
  let relaySwarm: Hyperswarm | null = null
  let relay: RelayService | null = null
  const destroyAll = async (): Promise<void> => {
    await relay?.close()
    await relaySwarm?.destroy().catch(() => {})
    await Promise.all(dhts.map(async (d) => await d.destroy().catch(() => {})))
  }
  try {
    await first.fullyBootstrapped()
    const nodes: BootstrapAddress[] = [{ host, port: chosen }]
    for (let i = 1; i < BOOTSTRAP_NODE_COUNT; i++) {
      const next = await freePortNear(host, chosen === 0 ? 0 : chosen + i)
      const dht = new DHT({ bootstrap: [formatAddress(nodes[0]!)], host, port: next, ephemeral: false, firewalled: false })
      dhts.push(dht)
      await dht.fullyBootstrapped()
      nodes.push({ host, port: next })
    }
    // The relay lives on the last node: a swarm needs a DHT that is not the bootstrapper.
    const relayDht = dhts.at(-1)!
    relay = new RelayService(relayDht)
    relaySwarm = new Hyperswarm({ dht: relayDht })
    const service = relay
    relaySwarm.on('connection', (conn: SecretStream) => {
      conn.on('error', () => {})
      service.accept(conn)
    })
    await relaySwarm.join(RELAY_TOPIC, { server: true, client: false }).flushed()
    return { address: nodes[0]!, nodes, relay: relaySwarm.keyPair.publicKey, destroy: destroyAll }
  } catch (err) {
    await destroyAll()
    throw cannotListen(host, chosen, err)
  }
}

/** `port` when it is free, else any free port (the extra nodes need not be consecutive:
 *  the others learn them through the DHT). */
async function freePortNear (host: string, port: number): Promise<number> {
  if (port > 0 && port <= 65535) {
    try {
      return await bindableUdpPort(host, port)
    } catch {}
  }
  return await bindableUdpPort(host, 0)
}

/** Binds a plain UDP socket to host:port (port 0: the OS picks one) and releases it,
 *  returning the port that is free right now. */
async function bindableUdpPort (host: string, port: number): Promise<number> {
  const socket = createSocket('udp4')
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(port, host, () => resolve())
    })
  } catch (err) {
    socket.close()
    throw cannotListen(host, port, err)
  }
  const bound = socket.address().port
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  return bound
}

const cannotListen = (host: string, port: number, err: unknown): BitswarmError => {
  const code = (err as NodeJS.ErrnoException | null)?.code
  const why = code === 'EADDRINUSE' ? 'the port is in use' : code === 'EADDRNOTAVAIL' ? 'no interface has this address' : code ?? String(err)
  return invalidOption(`cannot listen on ${host}:${port}: ${why}`)
}

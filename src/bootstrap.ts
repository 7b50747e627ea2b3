// A private network's meeting point: a HyperDHT bootstrap node, and the `host:port` lists
// that point the other nodes at it.

import DHT from 'hyperdht'
import { createSocket } from 'node:dgram'
import { isIPv4 } from 'node:net'
import { DEFAULT_BOOTSTRAP_HOST, DEFAULT_BOOTSTRAP_PORT } from './constants.js'
import { type BitswarmError, invalidOption } from './errors.js'

export interface BootstrapAddress {
  host: string
  port: number
}

export const formatAddress = ({ host, port }: BootstrapAddress): string => `${host}:${port}`

/** Parses `host:port[,host:port…]`; hosts may be names or IPv4 addresses. */
export function parseBootstrapList (text: string): BootstrapAddress[] {
  const entries = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0)
  if (entries.length === 0) throw invalidOption('--bootstrap needs at least one host:port')
  return entries.map((entry) => {
    const colon = entry.lastIndexOf(':')
    const host = entry.slice(0, colon)
    const port = parsePort(entry.slice(colon + 1))
    if (colon <= 0 || port === null || port === 0) throw invalidOption(`invalid bootstrap address "${entry}" (expected host:port)`)
    return { host, port }
  })
}

export function parsePort (text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null
  const port = Number(text)
  return port <= 65535 ? port : null
}

export interface BootstrapNode {
  readonly address: BootstrapAddress
  destroy (): Promise<void>
}

/** Starts a bootstrap node bound to `host`. The host is also the address other nodes must
 *  dial (it is part of the node's DHT id), so it must be a concrete IPv4 address. Port 0
 *  picks a free port. */
export async function startBootstrapNode (opts: Partial<BootstrapAddress> = {}): Promise<BootstrapNode> {
  const host = opts.host ?? DEFAULT_BOOTSTRAP_HOST
  const port = opts.port ?? DEFAULT_BOOTSTRAP_PORT
  if (!isIPv4(host) || host === '0.0.0.0') throw invalidOption(`bootstrap host must be the IPv4 address other nodes dial, not "${host}"`)
  // The bootstrapper's DHT id is derived from host:port, so the port must be known first.
  // Probing it with a plain socket also turns a busy port into a clean error: a DHT that
  // failed to bind cannot be destroyed cleanly and keeps the process alive.
  const chosen = await bindableUdpPort(host, port)
  const dht = DHT.bootstrapper(chosen, host, { host })
  try {
    await dht.fullyBootstrapped()
  } catch (err) {
    await dht.destroy().catch(() => {})
    throw cannotListen(host, chosen, err)
  }
  return {
    address: { host, port: chosen },
    destroy: async () => { await dht.destroy() }
  }
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

import type { SecretStream } from 'hyperswarm'
import { networkInterfaces } from 'node:os'
import { describe, expect, it } from 'vitest'
import { chooseRelay } from '../../../src/network/relay.js'
import { onLocalSubnet } from '../../../src/network/reachability.js'
import { connectionRoute } from '../../../src/network/route.js'

interface FakeStream { rtt: number, remoteHost: string | null, remotePort: number, socket: { streams: Set<FakeStream> } }

/** Connections whose UDX streams share one socket, as hyperdht's do. */
function socketWith (...addresses: Array<[string | null, number]>): SecretStream[] {
  const socket = { streams: new Set<FakeStream>() }
  return addresses.map(([host, port], i) => {
    const raw: FakeStream = { rtt: 1, remoteHost: host, remotePort: port, socket }
    socket.streams.add(raw)
    return { remotePublicKey: Buffer.alloc(32, i + 1), rawStream: raw } as unknown as SecretStream
  })
}

describe('chooseRelay', () => {
  const relays = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)]

  it('relays nothing while hole-punching can still work', () => {
    expect(chooseRelay(false, 'consistent', relays)).toBeNull()
    expect(chooseRelay(false, 'open', relays)).toBeNull()
  })

  it('relays after a failed punch, or from behind a random-port NAT, through a peer that offers it', () => {
    expect(relays).toContainEqual(chooseRelay(true, 'consistent', relays))
    expect(relays).toContainEqual(chooseRelay(false, 'random', relays))
    expect(chooseRelay(true, 'random', [])).toBeNull()
  })
})

describe('connectionRoute', () => {
  const closed = { localOpen: false, remoteOpen: false, remoteRelays: false }

  it('calls a connection relayed when another stream on its socket goes to the same address (the relay)', () => {
    const [relayClient, relayed] = socketWith(['203.0.113.9', 49737], ['203.0.113.9', 49737])
    expect(connectionRoute(relayed!, closed)).toBe('relayed')
    void relayClient
  })

  it('calls the connection to a relay peer itself direct, though relayed streams share its address', () => {
    const [toRelay] = socketWith(['203.0.113.9', 49737], ['203.0.113.9', 49737])
    expect(connectionRoute(toRelay!, { localOpen: false, remoteOpen: true, remoteRelays: true })).toBe('direct')
  })

  it('calls it direct when either side is reachable, hole-punched when neither is', () => {
    const [a] = socketWith(['198.51.100.7', 40000], ['198.51.100.8', 40000])
    expect(connectionRoute(a!, { ...closed, localOpen: true })).toBe('direct')
    expect(connectionRoute(a!, { ...closed, remoteOpen: true })).toBe('direct')
    expect(connectionRoute(a!, closed)).toBe('holepunched')
  })

  it('treats an in-memory stream (no address) as direct', () => {
    const memory = { remotePublicKey: Buffer.alloc(32, 3), rawStream: null } as unknown as SecretStream
    expect(connectionRoute(memory, { ...closed, localOpen: true })).toBe('direct')
  })
})

describe('onLocalSubnet', () => {
  it('knows the subnets of this machine\'s interfaces, and nothing else', () => {
    const own = Object.values(networkInterfaces()).flat().find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    if (own !== undefined) expect(onLocalSubnet(own.address)).toBe(true)
    expect(onLocalSubnet('127.0.0.1')).toBe(false) // internal interfaces do not count
    expect(onLocalSubnet('not an address')).toBe(false)
    expect(onLocalSubnet(null)).toBe(false)
  })
})

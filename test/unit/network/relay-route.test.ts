import type { SecretStream } from 'hyperswarm'
import { networkInterfaces } from 'node:os'
import { describe, expect, it } from 'vitest'
import { chooseRelay, relayCandidates } from '../../../src/network/relay.js'
import { onLocalSubnet } from '../../../src/network/reachability.js'
import { connectionRoute, routeFacts } from '../../../src/network/route.js'
import { HANDSHAKE_FLAGS } from '../../../src/wire/handshake.js'

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

describe('relayCandidates', () => {
  const key = (n: number): Buffer => Buffer.alloc(32, n)
  const peer = (n: number, flags: number, route: 'direct' | 'holepunched' | 'relayed' = 'direct'): { id: string, key: Buffer, flags: number, route: typeof route } =>
    ({ id: key(n).toString('hex'), key: key(n), flags, route })
  const network = [key(9)]

  it('offers the peers that relay and that we reach without a relay, each once (a peer of two shares)', () => {
    const peers = [
      peer(1, HANDSHAKE_FLAGS.relay | HANDSHAKE_FLAGS.reachable),
      peer(2, HANDSHAKE_FLAGS.reachable), // reachable, but relays for nobody
      peer(3, HANDSHAKE_FLAGS.relay, 'relayed'), // reached through a relay itself
      peer(4, HANDSHAKE_FLAGS.relay, 'holepunched'),
      peer(1, HANDSHAKE_FLAGS.relay | HANDSHAKE_FLAGS.reachable)
    ]
    expect(relayCandidates(peers, network)).toEqual([key(1), key(4)])
  })

  it('falls back on the private network\'s relays when no peer relays', () => {
    expect(relayCandidates([peer(2, HANDSHAKE_FLAGS.reachable)], network)).toBe(network)
    expect(relayCandidates([], [])).toEqual([])
  })
})

describe('routeFacts', () => {
  it('reads the remote\'s reachability and relaying from its handshake flags', () => {
    expect(routeFacts(true, 0)).toEqual({ localOpen: true, remoteOpen: false, remoteRelays: false })
    expect(routeFacts(false, HANDSHAKE_FLAGS.reachable)).toEqual({ localOpen: false, remoteOpen: true, remoteRelays: false })
    expect(routeFacts(false, HANDSHAKE_FLAGS.relay | HANDSHAKE_FLAGS.metadata)).toEqual({ localOpen: false, remoteOpen: false, remoteRelays: true })
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

import type { SecretStream } from 'hyperswarm'
import { describe, expect, it } from 'vitest'
import { chooseRelay } from '../../../src/network/relay.js'
import { connectionRoute } from '../../../src/network/route.js'

function conn (key: number, host: string | null, port: number): SecretStream {
  return { remotePublicKey: Buffer.alloc(32, key), rawStream: { rtt: 1, remoteHost: host, remotePort: port } } as unknown as SecretStream
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
  const closed = { localOpen: false, remoteOpen: false }

  it('calls a connection relayed when another key speaks from the same address (the relay)', () => {
    const relay = conn(1, '203.0.113.9', 49737)
    const relayed = conn(2, '203.0.113.9', 49737)
    expect(connectionRoute(relayed, [relay, relayed], closed)).toBe('relayed')
    expect(connectionRoute(relay, [relay, relayed], { localOpen: false, remoteOpen: true })).toBe('relayed')
  })

  it('calls it direct when either side is reachable, hole-punched when neither is', () => {
    const a = conn(1, '198.51.100.7', 40000)
    const b = conn(2, '198.51.100.8', 40000)
    expect(connectionRoute(a, [a, b], { localOpen: true, remoteOpen: false })).toBe('direct')
    expect(connectionRoute(a, [a, b], { localOpen: false, remoteOpen: true })).toBe('direct')
    expect(connectionRoute(a, [a, b], closed)).toBe('holepunched')
  })

  it('treats an in-memory stream (no address) as direct', () => {
    const memory = { remotePublicKey: Buffer.alloc(32, 3), rawStream: null } as unknown as SecretStream
    expect(connectionRoute(memory, [memory], { localOpen: true, remoteOpen: false })).toBe('direct')
  })
})

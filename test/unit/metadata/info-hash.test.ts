import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { capabilityOf, discoveryKeyOf, infoHashOf, pieceHashOf } from '../../../src/metadata/info-hash.js'

// Fixed inputs; the expected values were computed independently with Python's hmac module.
const infoHash = Buffer.from(Array.from({ length: 32 }, (_, i) => i + 1))
const handshakeHash = Buffer.from(Array.from({ length: 64 }, (_, i) => i + 100))
const otherInfoHash = Buffer.alloc(32, 0x42)

describe('infoHashOf and pieceHashOf', () => {
  it('are SHA-256', () => {
    const data = Buffer.from('bitswarm')
    const expected = createHash('sha256').update(data).digest()
    expect(infoHashOf(data)).toEqual(expected)
    expect(pieceHashOf(data)).toEqual(expected)
  })
})

describe('discoveryKeyOf', () => {
  it('is a fixed keyed hash of the info hash', () => {
    expect(discoveryKeyOf(infoHash).toString('hex')).toBe('7460d825c7a7e3c8e136a90b1f9ec62e8ef483d307198dfe813c52480ffe9ee6')
  })

  it('is deterministic, 32 bytes, and differs from the info hash', () => {
    const key = discoveryKeyOf(infoHash)
    expect(key).toHaveLength(32)
    expect(discoveryKeyOf(Buffer.from(infoHash))).toEqual(key)
    expect(key).not.toEqual(infoHash)
    expect(key).not.toEqual(createHash('sha256').update(infoHash).digest())
    expect(discoveryKeyOf(otherInfoHash)).not.toEqual(key)
  })
})

describe('capabilityOf', () => {
  it('is a fixed keyed hash of the session and direction', () => {
    expect(capabilityOf(infoHash, handshakeHash, true).toString('hex')).toBe('626a89d435b1839704f569fd1c3b7fad1cf9a4912ed84dc8734efb5610f80def')
    expect(capabilityOf(infoHash, handshakeHash, false).toString('hex')).toBe('9774fdd58594a77f288997e8352097c345eae058be8babe1808bd209562b9d50')
  })

  it('differs per direction, per info hash and per session', () => {
    const mine = capabilityOf(infoHash, handshakeHash, true)
    expect(capabilityOf(infoHash, handshakeHash, false)).not.toEqual(mine)
    expect(capabilityOf(otherInfoHash, handshakeHash, true)).not.toEqual(mine)
    const otherSession = Buffer.from(handshakeHash)
    otherSession[0]! ^= 1
    expect(capabilityOf(infoHash, otherSession, true)).not.toEqual(mine)
  })

  it('lets each side check the other: what one sends is what the other expects', () => {
    // Both ends of one Noise session share the handshake hash; their initiator flags differ.
    const initiatorSends = capabilityOf(infoHash, handshakeHash, true)
    const responderSends = capabilityOf(infoHash, handshakeHash, false)
    const responderExpects = capabilityOf(infoHash, handshakeHash, !false)
    const initiatorExpects = capabilityOf(infoHash, handshakeHash, !true)
    expect(responderExpects).toEqual(initiatorSends)
    expect(initiatorExpects).toEqual(responderSends)
  })
})

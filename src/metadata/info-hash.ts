// The hashes that name a share, find its peers and prove a peer knows it.

import { createHash, createHmac } from 'node:crypto'

/** Distinct labels keep each derived value from ever equalling another. */
const DISCOVERY_NAMESPACE = 'bitswarm/discovery'
const CAPABILITY_NAMESPACE = 'bitswarm/capability'

function sha256 (data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest()
}

/** The share's identity: SHA-256 of its encoded info. */
export function infoHashOf (encodedInfo: Uint8Array): Buffer {
  return sha256(encodedInfo)
}

/** What a piece's content must hash to. */
export function pieceHashOf (data: Uint8Array): Buffer {
  return sha256(data)
}

/** The DHT topic. One-way, so the DHT nodes that see it never learn the info hash (which
 *  is the capability to fetch the share). */
export function discoveryKeyOf (infoHash: Uint8Array): Buffer {
  return createHmac('sha256', infoHash).update(DISCOVERY_NAMESPACE).digest()
}

/** Proof that this side of one encrypted session knows the info hash (after hypercore's
 *  lib/caps.js). Bound to the Noise handshake hash, so it cannot be replayed on another
 *  connection, and to the direction, so a peer cannot echo the proof it was just sent. */
export function capabilityOf (infoHash: Uint8Array, handshakeHash: Uint8Array, isInitiator: boolean): Buffer {
  return createHmac('sha256', infoHash)
    .update(CAPABILITY_NAMESPACE)
    .update(handshakeHash)
    .update(Uint8Array.of(isInitiator ? 1 : 0))
    .digest()
}

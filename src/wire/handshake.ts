// The share channel's open handshake: proof that the remote knows the info hash, and what
// its node can do for the swarm. Pure.

import c from 'compact-encoding'
import { HASH_BYTES } from '../constants.js'
import { boundedUint, message, takeBytes, type MessageCodec } from './message-codec.js'

/** A capability is a keyed hash: as long as the hashes it is made with. */
const CAPABILITY_BYTES = HASH_BYTES

/** What a node tells its peers about itself, one bit each. */
export const HANDSHAKE_FLAGS = {
  /** The DHT found this node reachable from outside (not behind a NAT or firewall). */
  reachable: 1,
  /** It relays connections (blind-relay) between peers that cannot reach each other. */
  relay: 2,
  /** It holds the share's metadata and sends its first chunk, unasked, to a peer whose
   *  handshake lacks this bit: the downloader's request round trip is saved. */
  metadata: 4
} as const

const KNOWN_FLAGS = HANDSHAKE_FLAGS.reachable | HANDSHAKE_FLAGS.relay | HANDSHAKE_FLAGS.metadata

/** Sent in the protomux channel-open handshake. */
export interface Handshake {
  /** Proves knowledge of the info hash, bound to this connection (32 bytes). */
  capability: Buffer
  /** HANDSHAKE_FLAGS; 0 from a peer that sends none. */
  flags: number
}

/** The capability (fixed size, no length prefix), then the flags. A peer of the first
 *  version sent the capability alone, so absent flags read as 0; unknown bits are dropped,
 *  and protomux ignores anything a later version appends after them. */
export const handshakeCodec: MessageCodec<Handshake> = message('handshake', {
  preencode (state, h) {
    if (h.capability.byteLength !== CAPABILITY_BYTES) {
      throw new RangeError(`capability of ${h.capability.byteLength} bytes, expected ${CAPABILITY_BYTES}`)
    }
    state.end += CAPABILITY_BYTES
    c.uint.preencode(state, h.flags)
  },
  encode (state, h) {
    state.buffer!.set(h.capability, state.start)
    state.start += CAPABILITY_BYTES
    c.uint.encode(state, h.flags)
  },
  decode (state) {
    const capability = takeBytes(state, CAPABILITY_BYTES, 'capability')
    const flags = state.start < state.end ? boundedUint(state, Number.MAX_SAFE_INTEGER, 'flags') & KNOWN_FLAGS : 0
    return { capability, flags }
  }
})

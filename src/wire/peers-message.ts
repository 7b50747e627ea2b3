// Peer exchange: the public keys of other peers a node holds for the same share, so a swarm
// forms its mesh without waiting for DHT lookups. Pure.

import c from 'compact-encoding'
import { MAX_PEX_PEERS, PEER_KEY_BYTES } from '../constants.js'
import { boundedUint, message, takeBytes, type MessageCodec } from './message-codec.js'

export interface PeersMessage {
  /** Public keys (PEER_KEY_BYTES each), at most MAX_PEX_PEERS. */
  keys: Buffer[]
}

export const peersCodec: MessageCodec<PeersMessage> = message('peers', {
  preencode (state, m) {
    if (m.keys.length > MAX_PEX_PEERS) throw new RangeError(`${m.keys.length} peers in one message, at most ${MAX_PEX_PEERS}`)
    c.uint.preencode(state, m.keys.length)
    for (const key of m.keys) {
      if (key.byteLength !== PEER_KEY_BYTES) throw new RangeError(`peer key of ${key.byteLength} bytes, expected ${PEER_KEY_BYTES}`)
      state.end += PEER_KEY_BYTES
    }
  },
  encode (state, m) {
    c.uint.encode(state, m.keys.length)
    for (const key of m.keys) {
      state.buffer!.set(key, state.start)
      state.start += PEER_KEY_BYTES
    }
  },
  decode (state) {
    const count = boundedUint(state, MAX_PEX_PEERS, 'peer count')
    const keys: Buffer[] = []
    for (let i = 0; i < count; i++) keys.push(takeBytes(state, PEER_KEY_BYTES, 'peer key'))
    return { keys }
  }
})

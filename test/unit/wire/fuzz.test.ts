// Decoder fuzzing: every message codec, the handshake, the metadata decoder and the
// dispatcher meet random and mutated input (truncations, lengths 0 / 2^32 − 1 / 2^53,
// unknown ids, messages before the bitfield) from a seeded generator. A decoder may refuse
// (a coded BitswarmError); nothing else may escape, and the dispatcher never throws.

import c from 'compact-encoding'
import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../../src/bitfield.js'
import { encode } from '../../../src/codec.js'
import { BLOCK_BYTES, METADATA_CHUNK_BYTES } from '../../../src/constants.js'
import { BitswarmError } from '../../../src/errors.js'
import { Metadata } from '../../../src/metadata/metadata.js'
import { Peer } from '../../../src/session/peer.js'
import type { Session } from '../../../src/session/session.js'
import type { MessageHandlers, WireChannel } from '../../../src/wire/channel.js'
import {
  decodeMessage, handshakeCodec, MESSAGE_CODECS, MESSAGE_ORDER, type MessageCodec, type MessageName
} from '../../../src/wire/messages.js'
import { fuzzInput, randomBytes, randomInt, type Random } from '../../helpers/fuzz.js'
import { memoryShare } from '../../helpers/memory-share.js'
import { seeded } from '../../helpers/random.js'
import { useSeam } from '../../helpers/seam.js'

const KiB = 1024
/** Inputs per run over all message codecs together (each decoded two ways); with the
 *  metadata decoder's and the dispatcher's, over 100,000 in all. */
const DECODES = 100_000
const METADATA_DECODES = 15_000

/** A few valid encodings of each message. */
function samples (): Map<string, Buffer[]> {
  const block = { piece: 3, offset: BLOCK_BYTES, length: BLOCK_BYTES }
  const values: { [N in MessageName]: unknown[] } = {
    'metadata-request': [{ index: 0 }, { index: 700 }],
    'metadata-data': [{ index: 0, totalBytes: 10, data: Buffer.alloc(10, 1) }, { index: 1, totalBytes: METADATA_CHUNK_BYTES + 5, data: Buffer.alloc(5, 2) }],
    'metadata-reject': [{ index: 4 }],
    bitfield: [{ bytes: Buffer.alloc(3, 0xf0) }, { bytes: Buffer.alloc(0) }],
    have: [{ piece: 0 }, { piece: 90_000 }],
    request: [block, { piece: 0, offset: 0, length: 1 }],
    block: [{ piece: 1, offset: 0, data: Buffer.alloc(40, 9) }],
    cancel: [block],
    reject: [block],
    choke: [null],
    unchoke: [null],
    interested: [null],
    'not-interested': [null],
    peers: [{ keys: [Buffer.alloc(32, 1), Buffer.alloc(32, 2)] }, { keys: [] }]
  }
  const out = new Map<string, Buffer[]>()
  for (const name of MESSAGE_ORDER) out.set(name, values[name].map((v) => encode(MESSAGE_CODECS[name] as MessageCodec<unknown>, v)))
  out.set('handshake', [encode(handshakeCodec, { capability: Buffer.alloc(32, 5), flags: 3 })])
  return out
}

/** Decodes as protomux does (state.end at the frame's end, trailing bytes allowed) and as
 *  decodeMessage does (exactly); returns how an attempt ended. */
function attempt (codec: MessageCodec<unknown>, bytes: Buffer): 'decoded' | 'refused' {
  let refused = false
  try {
    codec.decode(c.state(0, bytes.byteLength, bytes))
  } catch (err) {
    if (!(err instanceof BitswarmError) || err.code !== 'ERR_PROTOCOL') throw err
    refused = true
  }
  try {
    decodeMessage(codec, bytes)
  } catch (err) {
    if (!(err instanceof BitswarmError) || err.code !== 'ERR_PROTOCOL') throw err
    return 'refused'
  }
  return refused ? 'refused' : 'decoded'
}

describe('decoder fuzzing', () => {
  it(`${DECODES} random and mutated inputs across every codec: only coded refusals`, () => {
    const random = seeded(0xb175)
    const valid = samples()
    const codecs: Array<[string, MessageCodec<unknown>]> = [
      ...MESSAGE_ORDER.map((name) => [name, MESSAGE_CODECS[name] as MessageCodec<unknown>] as [string, MessageCodec<unknown>]),
      ['handshake', handshakeCodec as MessageCodec<unknown>]
    ]
    const outcomes = { decoded: 0, refused: 0 }
    for (let i = 0; i < DECODES; i++) {
      const [name, codec] = codecs[i % codecs.length]!
      outcomes[attempt(codec, fuzzInput(random, valid.get(name)!))]++
    }
    // Both outcomes occur: the inputs are near enough to valid to reach past the first field.
    expect(outcomes.decoded).toBeGreaterThan(DECODES / 20)
    expect(outcomes.refused).toBeGreaterThan(DECODES / 4)
  })

  it('the metadata decoder refuses mutated metadata with a coded error, never anything else', () => {
    const random = seeded(0x3e7a)
    const share = memoryShare(200 * KiB, 16 * KiB, 'fuzz.bin')
    const folder = Metadata.fromInfo({
      name: 'dir',
      pieceSize: 16 * KiB,
      files: [{ path: ['a', 'b.txt'], length: 10 }, { path: ['c'], length: 40_000 }],
      pieceHashes: Buffer.alloc(3 * 32, 1)
    })
    const valid = [share.meta.bytes, folder.bytes]
    const codes = new Set<string>()
    let accepted = 0
    for (let i = 0; i < METADATA_DECODES; i++) {
      const bytes = fuzzInput(random, valid)
      try {
        Metadata.fromBytes(bytes)
        accepted++
      } catch (err) {
        if (!(err instanceof BitswarmError)) throw err
        codes.add(err.code)
      }
    }
    expect([...codes].every((code) => ['ERR_INVALID_METADATA', 'ERR_TOO_MANY_PIECES'].includes(code))).toBe(true)
    expect(accepted).toBeGreaterThan(0) // flips inside the piece hashes still decode
  })

  describe('the dispatcher', () => {
    const seam = useSeam()

    it('never throws: random messages of every kind, before and after the bitfield, to a seeder and a downloader', async () => {
      const random = seeded(0xd15)
      const share = memoryShare(512 * KiB, 64 * KiB)
      const sessions = [seam.session(share, { role: 'seeder' }).session, seam.session(share, { role: 'downloader' }).session]
      let dispatched = 0
      let dropped = 0
      let escaped = 0
      let warnings = 0
      for (const session of sessions) session.on('warning', () => warnings++)
      for (const session of sessions) {
        for (let round = 0; round < 200; round++) {
          const { peer, handlers } = detachedPeer(session, `fuzz-${round}`)
          const messages = 1 + randomInt(random, 60)
          for (let m = 0; m < messages && !peer.dropped; m++) {
            const name = MESSAGE_ORDER[randomInt(random, MESSAGE_ORDER.length)]!
            const handle = handlers[name] as (message: unknown) => void
            try {
              handle(randomMessage(random, name, share.meta.pieceCount))
            } catch {
              escaped++
            }
            dispatched++
          }
          if (peer.dropped) dropped++
        }
      }
      expect(escaped).toBe(0)
      expect(dispatched).toBeGreaterThan(5_000)
      // Violations are noticed, not swallowed: each dropped peer was named once.
      expect(dropped).toBeGreaterThan(0)
      expect(warnings).toBeGreaterThanOrEqual(dropped)
    })
  })
})

/** A peer known to the session's dispatcher but with no connection: what it is sent is dropped. */
function detachedPeer (session: Session, id: string): { peer: Peer, handlers: MessageHandlers } {
  const wire = {
    send: () => true,
    batch: (send: () => void) => send(),
    destroy: () => {},
    close: () => {},
    closed: false,
    stream: { remotePublicKey: Buffer.alloc(32), rawStream: null }
  } as unknown as WireChannel
  const peer = new Peer(id, wire)
  const messages = (session as unknown as { messages: { handlersFor: (current: () => Peer | null) => MessageHandlers } }).messages
  return { peer, handlers: messages.handlersFor(() => peer) }
}

/** A message of the right shape with values anywhere in (and past) their ranges. */
function randomMessage (random: Random, name: MessageName, pieces: number): unknown {
  const piece = random() < 0.7 ? randomInt(random, pieces + 2) : randomInt(random, 2 ** 19)
  const offset = random() < 0.5 ? 0 : randomInt(random, 4) * 16 * KiB + randomInt(random, 3)
  switch (name) {
    case 'metadata-request': case 'metadata-reject': return { index: randomInt(random, 1100) }
    case 'metadata-data': return { index: randomInt(random, 3), totalBytes: randomInt(random, 40_000), data: randomBytes(random, 64) }
    case 'bitfield': return { bytes: random() < 0.5 ? new Bitfield(pieces).toBytes() : randomBytes(random, 4) }
    case 'have': return { piece }
    case 'request': case 'cancel': case 'reject': return { piece, offset, length: 1 + randomInt(random, BLOCK_BYTES) }
    case 'block': return { piece, offset, data: randomBytes(random, 64) }
    case 'peers': return { keys: Array.from({ length: randomInt(random, 4) }, () => randomBytes(random, 40).subarray(0, 32)) }
    default: return null
  }
}

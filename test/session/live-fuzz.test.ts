// Fuzzed messages over real (in-memory encrypted) connections while an honest transfer runs:
// fuzzers connect to both the seeder and the downloader, send random and mutated frames
// under every message id (and raw frames below protomux, before and after the channel
// opens), are cut off for it and come back; the honest transfer completes byte-identical.

import { describe, expect, it } from 'vitest'
import { encode } from '../../src/codec.js'
import { MESSAGE_CODECS, MESSAGE_ORDER, type MessageCodec } from '../../src/wire/messages.js'
import { waitFor } from '../helpers/events.js'
import { fuzzInput, randomBytes, randomInt } from '../helpers/fuzz.js'
import { memoryShare } from '../helpers/memory-share.js'
import { seeded } from '../helpers/random.js'
import { useSeam } from '../helpers/seam.js'
import { UNKNOWN_IDS } from '../helpers/scripted-peer.js'
import type { Session } from '../../src/session/session.js'

const KiB = 1024
const MiB = 1024 * KiB
const FUZZERS = 60
const MESSAGES_PER_FUZZER = 200

describe('live fuzzing over the seam', () => {
  const seam = useSeam()

  it(`${FUZZERS} fuzzing connections during an honest transfer: it completes byte-identical`, async () => {
    const random = seeded(0x11fe)
    const share = memoryShare(8 * MiB, 256 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    const downloader = seam.session(share, { role: 'downloader' })
    const done = waitFor(downloader.session, 'done', 30_000)
    await seam.connect(downloader.session, seeder.session)

    const valid = MESSAGE_ORDER.map((name) => sampleOf(name, share.meta.pieceCount))
    let sent = 0
    let cutOff = 0
    for (let i = 0; i < FUZZERS; i++) {
      const target: Session = i % 2 === 0 ? seeder.session : downloader.session
      // Not waiting for the channel to open: the first messages arrive before the handshake.
      const fuzzer = await seam.scripted(target, { infoHash: share.meta.infoHash })
      for (let m = 0; m < MESSAGES_PER_FUZZER && !fuzzer.stream.destroyed; m++) {
        if (random() < 0.05) {
          fuzzer.stream.write(randomBytes(random, 64)) // a raw frame below protomux
        } else {
          const id = randomInt(random, MESSAGE_ORDER.length + UNKNOWN_IDS)
          fuzzer.sendRaw(id, id < valid.length ? fuzzInput(random, [valid[id]!]) : randomBytes(random, 32))
        }
        sent++
        if (m % 20 === 19) await new Promise((resolve) => setImmediate(resolve))
      }
      await new Promise((resolve) => setImmediate(resolve))
      if (fuzzer.stream.destroyed) cutOff++
      fuzzer.destroy()
    }
    await done
    expect(downloader.storage()!.contents()!.equals(share.content)).toBe(true)
    expect(sent).toBeGreaterThan(FUZZERS * 5)
    expect(cutOff).toBeGreaterThan(FUZZERS / 2)
    // The honest pair is still connected: no fuzzer cost it its connection.
    expect(downloader.session.peers.size + seeder.session.peers.size).toBeGreaterThanOrEqual(2)
  })
})

/** One valid encoding of each message, for mutation. */
function sampleOf (name: (typeof MESSAGE_ORDER)[number], pieces: number): Buffer {
  const codec = MESSAGE_CODECS[name] as MessageCodec<unknown>
  const range = { piece: pieces - 1, offset: 0, length: 16 * KiB }
  const values: Record<string, unknown> = {
    'metadata-request': { index: 0 },
    'metadata-data': { index: 0, totalBytes: 4, data: Buffer.alloc(4) },
    'metadata-reject': { index: 0 },
    bitfield: { bytes: Buffer.alloc(Math.ceil(pieces / 8)) },
    have: { piece: 1 },
    request: range,
    block: { piece: 0, offset: 0, data: Buffer.alloc(16) },
    cancel: range,
    reject: range,
    peers: { keys: [Buffer.alloc(32, 7)] }
  }
  return encode(codec, values[name] ?? null)
}

import { describe, it, expect } from 'vitest'
import c from 'compact-encoding'
import {
  BLOCK_BYTES,
  MAX_METADATA_BYTES,
  MAX_PIECE_BYTES,
  MAX_PIECES,
  MAX_PEX_PEERS,
  METADATA_CHUNK_BYTES
} from '../../../src/constants.js'
import { BitswarmError } from '../../../src/errors.js'
import { encode } from '../../../src/codec.js'
import {
  bitfieldCodec,
  blockCodec,
  cancelCodec,
  chokeCodec,
  decodeMessage,
  HANDSHAKE_FLAGS,
  handshakeCodec,
  haveCodec,
  interestedCodec,
  MESSAGE_CODECS,
  MESSAGE_ORDER,
  metadataDataCodec,
  metadataRejectCodec,
  metadataRequestCodec,
  notInterestedCodec,
  peersCodec,
  rejectCodec,
  requestCodec,
  unchokeCodec,
  type MessageCodec
} from '../../../src/wire/messages.js'

// ---- helpers ----

/** A frame built field by field: a number is a compact uint, bytes are copied as they are. */
function frame (...fields: Array<number | Uint8Array>): Buffer {
  const state = c.state()
  for (const f of fields) {
    if (typeof f === 'number') c.uint.preencode(state, f)
    else state.end += f.byteLength
  }
  state.buffer = Buffer.alloc(state.end)
  for (const f of fields) {
    if (typeof f === 'number') c.uint.encode(state, f)
    else { state.buffer.set(f, state.start); state.start += f.byteLength }
  }
  return state.buffer as Buffer
}

/** `n` bytes of a recognisable pattern. */
function filled (n: number): Buffer {
  const b = Buffer.alloc(n)
  for (let i = 0; i < n; i++) b[i] = (i * 7 + 3) & 0xff
  return b
}

function caught (fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  return undefined
}

function expectProtocolError (fn: () => unknown): void {
  const err = caught(fn)
  expect(err).toBeInstanceOf(BitswarmError)
  expect((err as BitswarmError).code).toBe('ERR_PROTOCOL')
}

// Codecs are typed per message; the tables hold them as codecs of unknown.
type AnyCodec = MessageCodec<unknown>
const anyCodec = <T>(codec: MessageCodec<T>): AnyCodec => codec as AnyCodec

const hex = (s: string): string => s.replace(/\s+/g, '')

// Buffers compare by content with one memcmp: element-wise deep equality of 64 KiB is slow.
expect.addEqualityTesters([
  (a: unknown, b: unknown) => (Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : undefined)
])

const LAST_METADATA_CHUNK = MAX_METADATA_BYTES / METADATA_CHUNK_BYTES - 1
const LAST_BLOCK_OFFSET = MAX_PIECE_BYTES - BLOCK_BYTES

// ---- round trips, with the exact bytes on the wire ----

interface RoundTrip { name: string, codec: AnyCodec, value: unknown, header: string, payload?: Buffer }

// `header` is the encoding before `payload` (the bulk bytes, appended verbatim).
const roundTrips: RoundTrip[] = [
  { name: 'peers, one key', codec: anyCodec(peersCodec), value: { keys: [filled(32)] }, header: '01', payload: filled(32) },
  { name: 'peers, none', codec: anyCodec(peersCodec), value: { keys: [] }, header: '00' },

  { name: 'metadata-request 0', codec: anyCodec(metadataRequestCodec), value: { index: 0 }, header: '00' },
  { name: 'metadata-request last chunk', codec: anyCodec(metadataRequestCodec), value: { index: LAST_METADATA_CHUNK }, header: 'fd ff03' },

  {
    name: 'metadata-data single byte',
    codec: anyCodec(metadataDataCodec),
    value: { index: 0, totalBytes: 1, data: Buffer.from([0x42]) },
    header: '00 01 01 42'
  },
  {
    name: 'metadata-data short last chunk',
    codec: anyCodec(metadataDataCodec),
    value: { index: 1, totalBytes: METADATA_CHUNK_BYTES + 1, data: Buffer.from([0x99]) },
    header: '01 fd0140 01 99'
  },
  {
    name: 'metadata-data full chunk of the largest metadata',
    codec: anyCodec(metadataDataCodec),
    value: { index: LAST_METADATA_CHUNK, totalBytes: MAX_METADATA_BYTES, data: filled(METADATA_CHUNK_BYTES) },
    header: 'fd ff03  fe 00000001  fd 0040',
    payload: filled(METADATA_CHUNK_BYTES)
  },

  { name: 'metadata-reject 0', codec: anyCodec(metadataRejectCodec), value: { index: 0 }, header: '00' },
  { name: 'metadata-reject last chunk', codec: anyCodec(metadataRejectCodec), value: { index: LAST_METADATA_CHUNK }, header: 'fd ff03' },

  { name: 'bitfield empty', codec: anyCodec(bitfieldCodec), value: { bytes: Buffer.alloc(0) }, header: '00' },
  { name: 'bitfield one byte', codec: anyCodec(bitfieldCodec), value: { bytes: Buffer.from([0b1010_0000]) }, header: '01 a0' },
  {
    name: 'bitfield for MAX_PIECES',
    codec: anyCodec(bitfieldCodec),
    value: { bytes: filled(MAX_PIECES / 8) },
    header: 'fe 00000100',
    payload: filled(MAX_PIECES / 8)
  },

  { name: 'have 0', codec: anyCodec(haveCodec), value: { piece: 0 }, header: '00' },
  { name: 'have 252 (largest 1-byte uint)', codec: anyCodec(haveCodec), value: { piece: 252 }, header: 'fc' },
  { name: 'have 253', codec: anyCodec(haveCodec), value: { piece: 253 }, header: 'fd fd00' },
  { name: 'have last piece', codec: anyCodec(haveCodec), value: { piece: MAX_PIECES - 1 }, header: 'fe ffff0700' },

  ...(['request', 'cancel', 'reject'] as const).flatMap((name) => [
    { name: `${name} smallest`, codec: anyCodec(MESSAGE_CODECS[name]), value: { piece: 0, offset: 0, length: 1 }, header: '00 00 01' },
    {
      name: `${name} largest`,
      codec: anyCodec(MESSAGE_CODECS[name]),
      value: { piece: MAX_PIECES - 1, offset: LAST_BLOCK_OFFSET, length: BLOCK_BYTES },
      header: 'fe ffff0700  fe 00003000  fe 00001000'
    },
    {
      name: `${name} last byte of the largest piece`,
      codec: anyCodec(MESSAGE_CODECS[name]),
      value: { piece: 1, offset: MAX_PIECE_BYTES - 1, length: 1 },
      header: '01 fe ffff3f00 01'
    }
  ]),

  { name: 'block one byte', codec: anyCodec(blockCodec), value: { piece: 0, offset: 0, data: Buffer.from([0x7f]) }, header: '00 00 01 7f' },
  {
    name: 'block largest',
    codec: anyCodec(blockCodec),
    value: { piece: MAX_PIECES - 1, offset: LAST_BLOCK_OFFSET, data: filled(BLOCK_BYTES) },
    header: 'fe ffff0700  fe 00003000  fe 00001000',
    payload: filled(BLOCK_BYTES)
  },

  { name: 'choke', codec: anyCodec(chokeCodec), value: null, header: '' },
  { name: 'unchoke', codec: anyCodec(unchokeCodec), value: null, header: '' },
  { name: 'interested', codec: anyCodec(interestedCodec), value: null, header: '' },
  { name: 'not-interested', codec: anyCodec(notInterestedCodec), value: null, header: '' }
]

describe('wire messages: round trips', () => {
  it.each(roundTrips)('$name encodes to the expected bytes and decodes back', (t) => {
    const bytes = encode(t.codec, t.value)
    const headerBytes = hex(t.header).length / 2
    expect(bytes.subarray(0, headerBytes).toString('hex')).toBe(hex(t.header))
    expect(bytes.subarray(headerBytes)).toEqual(t.payload ?? Buffer.alloc(0))
    expect(decodeMessage(t.codec, bytes)).toEqual(t.value)
  })

  it.each(roundTrips.filter((t) => t.value !== null))('$name is rejected with a trailing byte', (t) => {
    expectProtocolError(() => decodeMessage(t.codec, Buffer.concat([encode(t.codec, t.value), Buffer.from([0])])))
  })

  it.each(['choke', 'unchoke', 'interested', 'not-interested'] as const)('%s is rejected with a payload', (name) => {
    expectProtocolError(() => decodeMessage(MESSAGE_CODECS[name], Buffer.from([0])))
  })

  it.each(roundTrips.filter((t) => t.header !== '' || t.payload !== undefined))('$name: every truncated prefix is rejected', (t) => {
    const bytes = encode(t.codec, t.value)
    const accepted: number[] = []
    const uncoded: number[] = []
    for (let n = 0; n < bytes.byteLength; n++) {
      const err = caught(() => decodeMessage(t.codec, bytes.subarray(0, n)))
      if (err === undefined) accepted.push(n)
      else if (!(err instanceof BitswarmError) || err.code !== 'ERR_PROTOCOL') uncoded.push(n)
    }
    expect(accepted).toEqual([])
    expect(uncoded).toEqual([])
  })
})

// ---- limits: the first value past each one is refused ----

interface Violation { name: string, codec: AnyCodec, bytes: Buffer }

const rangeViolations = (name: 'request' | 'cancel' | 'reject'): Violation[] => [
  { name: `${name} of length 0`, codec: anyCodec(MESSAGE_CODECS[name]), bytes: frame(0, 0, 0) },
  { name: `${name} of BLOCK_BYTES + 1`, codec: anyCodec(MESSAGE_CODECS[name]), bytes: frame(0, 0, BLOCK_BYTES + 1) },
  { name: `${name} of piece MAX_PIECES`, codec: anyCodec(MESSAGE_CODECS[name]), bytes: frame(MAX_PIECES, 0, 1) },
  { name: `${name} at offset MAX_PIECE_BYTES`, codec: anyCodec(MESSAGE_CODECS[name]), bytes: frame(0, MAX_PIECE_BYTES, 1) },
  { name: `${name} ending one past MAX_PIECE_BYTES`, codec: anyCodec(MESSAGE_CODECS[name]), bytes: frame(0, MAX_PIECE_BYTES - 1, 2) },
  { name: `${name} ending a block past MAX_PIECE_BYTES`, codec: anyCodec(MESSAGE_CODECS[name]), bytes: frame(0, LAST_BLOCK_OFFSET + 1, BLOCK_BYTES) }
]

const violations: Violation[] = [
  { name: 'metadata-request past the last chunk of MAX_METADATA_BYTES', codec: anyCodec(metadataRequestCodec), bytes: frame(LAST_METADATA_CHUNK + 1) },
  { name: 'metadata-reject past the last chunk of MAX_METADATA_BYTES', codec: anyCodec(metadataRejectCodec), bytes: frame(LAST_METADATA_CHUNK + 1) },

  {
    name: 'metadata-data of MAX_METADATA_BYTES + 1',
    codec: anyCodec(metadataDataCodec),
    bytes: frame(0, MAX_METADATA_BYTES + 1, METADATA_CHUNK_BYTES, filled(METADATA_CHUNK_BYTES))
  },
  {
    name: 'metadata-data chunk of METADATA_CHUNK_BYTES + 1',
    codec: anyCodec(metadataDataCodec),
    bytes: frame(0, MAX_METADATA_BYTES, METADATA_CHUNK_BYTES + 1, filled(METADATA_CHUNK_BYTES + 1))
  },
  {
    name: 'metadata-data index just past totalBytes',
    codec: anyCodec(metadataDataCodec),
    bytes: frame(1, METADATA_CHUNK_BYTES, 1, Buffer.from([1]))
  },
  {
    name: 'metadata-data of empty metadata',
    codec: anyCodec(metadataDataCodec),
    bytes: frame(0, 0, 0)
  },
  {
    name: 'metadata-data index past the largest metadata',
    codec: anyCodec(metadataDataCodec),
    bytes: frame(LAST_METADATA_CHUNK + 1, MAX_METADATA_BYTES, 1, Buffer.from([1]))
  },
  {
    name: 'metadata-data short chunk that is not the last',
    codec: anyCodec(metadataDataCodec),
    bytes: frame(0, METADATA_CHUNK_BYTES + 1, 1, Buffer.from([1]))
  },
  {
    name: 'metadata-data last chunk longer than the rest',
    codec: anyCodec(metadataDataCodec),
    bytes: frame(1, METADATA_CHUNK_BYTES + 1, 2, Buffer.from([1, 2]))
  },
  {
    name: 'metadata-data empty chunk',
    codec: anyCodec(metadataDataCodec),
    bytes: frame(0, 1, 0)
  },

  { name: 'bitfield of MAX_PIECES / 8 + 1 bytes', codec: anyCodec(bitfieldCodec), bytes: frame(MAX_PIECES / 8 + 1, filled(MAX_PIECES / 8 + 1)) },

  { name: 'have of piece MAX_PIECES', codec: anyCodec(haveCodec), bytes: frame(MAX_PIECES) },
  { name: 'have of a 64-bit piece number', codec: anyCodec(haveCodec), bytes: Buffer.from(hex('ff ffffffffffffffff'), 'hex') },

  ...rangeViolations('request'),
  ...rangeViolations('cancel'),
  ...rangeViolations('reject'),

  { name: 'block with no data', codec: anyCodec(blockCodec), bytes: frame(0, 0, 0) },
  { name: 'block of BLOCK_BYTES + 1', codec: anyCodec(blockCodec), bytes: frame(0, 0, BLOCK_BYTES + 1, filled(BLOCK_BYTES + 1)) },
  { name: 'block of piece MAX_PIECES', codec: anyCodec(blockCodec), bytes: frame(MAX_PIECES, 0, 1, Buffer.from([1])) },
  { name: 'block at offset MAX_PIECE_BYTES', codec: anyCodec(blockCodec), bytes: frame(0, MAX_PIECE_BYTES, 1, Buffer.from([1])) },
  { name: 'block ending one past MAX_PIECE_BYTES', codec: anyCodec(blockCodec), bytes: frame(0, MAX_PIECE_BYTES - 1, 2, Buffer.from([1, 2])) }
]

describe('wire messages: limits', () => {
  it.each(violations)('$name is rejected with ERR_PROTOCOL', (v) => {
    expectProtocolError(() => decodeMessage(v.codec, v.bytes))
  })

  // On the live path protomux calls codec.decode(state) itself, with no wrapper around it.
  it.each(violations)('$name: codec.decode alone throws ERR_PROTOCOL', (v) => {
    expectProtocolError(() => v.codec.decode(c.state(0, v.bytes.byteLength, v.bytes)))
  })

  it.each([
    { name: 'bitfield', codec: anyCodec(bitfieldCodec), bytes: frame(2 ** 31, Buffer.alloc(5)) },
    { name: 'block', codec: anyCodec(blockCodec), bytes: frame(0, 0, 2 ** 31, Buffer.alloc(3)) },
    { name: 'metadata-data', codec: anyCodec(metadataDataCodec), bytes: frame(0, MAX_METADATA_BYTES, 2 ** 31) },
    { name: 'bitfield (2^53 via the 64-bit form)', codec: anyCodec(bitfieldCodec), bytes: Buffer.from(hex('ff 0000000000002000 00'), 'hex') }
  ])('a $name declaring a huge length in a tiny frame is refused before allocating', (t) => {
    expect(t.bytes.byteLength).toBeLessThanOrEqual(16)
    const started = performance.now()
    expectProtocolError(() => decodeMessage(t.codec, t.bytes))
    expect(performance.now() - started).toBeLessThan(100)
  })

  it('a declared length within the limit but past the end of the frame is refused', () => {
    expectProtocolError(() => decodeMessage(bitfieldCodec, frame(10, Buffer.alloc(9))))
    expectProtocolError(() => decodeMessage(blockCodec, frame(0, 0, BLOCK_BYTES, Buffer.alloc(BLOCK_BYTES - 1))))
  })

  it('truncation surfaces as ERR_PROTOCOL from codec.decode alone', () => {
    const bytes = encode(requestCodec, { piece: MAX_PIECES - 1, offset: 0, length: 1 })
    expectProtocolError(() => requestCodec.decode(c.state(0, 2, bytes)))
  })

  // Protomux batches messages: one message's state ends inside a larger buffer.
  it('never reads past state.end into the next message of a batch', () => {
    const block = encode(blockCodec, { piece: 3, offset: 0, data: filled(100) })
    const batch = Buffer.concat([block, Buffer.alloc(50)])
    expectProtocolError(() => blockCodec.decode(c.state(0, block.byteLength - 1, batch)))
    const decoded = blockCodec.decode(c.state(0, block.byteLength, batch))
    expect(decoded.data).toEqual(filled(100))
  })
})

// ---- handshake ----

describe('wire messages: handshake', () => {
  it.each([0, 31, 33, 64])('refuses to encode a %i-byte capability', (n) => {
    expect(() => encode(handshakeCodec, { capability: Buffer.alloc(n), flags: 0 })).toThrow(RangeError)
  })

  it.each([0, 1, 31])('rejects a %i-byte capability', (n) => {
    expectProtocolError(() => decodeMessage(handshakeCodec, Buffer.alloc(n)))
  })

  it('puts the flags after the capability', () => {
    const bytes = encode(handshakeCodec, { capability: filled(32), flags: HANDSHAKE_FLAGS.reachable | HANDSHAKE_FLAGS.relay })
    expect(bytes).toEqual(Buffer.concat([filled(32), Buffer.from([3])]))
    expect(decodeMessage(handshakeCodec, bytes)).toEqual({ capability: filled(32), flags: 3 })
  })

  it('reads a first-version handshake (the capability alone) as no flags', () => {
    expect(decodeMessage(handshakeCodec, filled(32))).toEqual({ capability: filled(32), flags: 0 })
  })

  it('drops flag bits it does not know', () => {
    expect(decodeMessage(handshakeCodec, Buffer.concat([filled(32), Buffer.from([0x7f])])).flags).toBe(7)
  })
})

// ---- peer exchange ----

describe('wire messages: peers', () => {
  it('refuses more than MAX_PEX_PEERS keys before reading any', () => {
    expectProtocolError(() => decodeMessage(peersCodec, Buffer.from([MAX_PEX_PEERS + 1])))
    expect(() => encode(peersCodec, { keys: Array.from({ length: MAX_PEX_PEERS + 1 }, () => filled(32)) })).toThrow(RangeError)
  })

  it('rejects a truncated key and a key of the wrong length', () => {
    expectProtocolError(() => decodeMessage(peersCodec, Buffer.concat([Buffer.from([2]), filled(32), filled(31)])))
    expect(() => encode(peersCodec, { keys: [filled(31)] })).toThrow(RangeError)
  })

  it('round trips the largest message', () => {
    const keys = Array.from({ length: MAX_PEX_PEERS }, (_, i) => Buffer.alloc(32, i))
    expect(decodeMessage(peersCodec, encode(peersCodec, { keys })).keys).toEqual(keys)
  })
})

// ---- views, not copies ----

describe('wire messages: decoded bytes are views of the frame', () => {
  it('block data is a Buffer over the received frame', () => {
    const bytes = encode(blockCodec, { piece: 1, offset: BLOCK_BYTES, data: filled(BLOCK_BYTES) })
    const headerBytes = bytes.byteLength - BLOCK_BYTES
    const { data } = decodeMessage(blockCodec, bytes)
    expect(Buffer.isBuffer(data)).toBe(true)
    expect(data.buffer).toBe(bytes.buffer)
    expect(data.byteOffset).toBe(bytes.byteOffset + headerBytes)
    expect(data.byteLength).toBe(BLOCK_BYTES)
  })

  it('is a Buffer even when the frame is a plain Uint8Array', () => {
    const bytes = new Uint8Array(encode(bitfieldCodec, { bytes: Buffer.from([1, 2, 3]) }))
    const { bytes: field } = decodeMessage(bitfieldCodec, bytes)
    expect(Buffer.isBuffer(field)).toBe(true)
    expect(field.buffer).toBe(bytes.buffer)
    expect([...field]).toEqual([1, 2, 3])
  })

  it('respects the frame offset inside a larger allocation', () => {
    const encoded = encode(haveCodec, { piece: 7 })
    const slab = Buffer.alloc(64, 0xee)
    encoded.copy(slab, 20)
    expect(decodeMessage(haveCodec, slab.subarray(20, 20 + encoded.byteLength))).toEqual({ piece: 7 })
    const block = encode(blockCodec, { piece: 0, offset: 0, data: Buffer.from([9, 8, 7]) })
    block.copy(slab, 30)
    expect([...decodeMessage(blockCodec, slab.subarray(30, 30 + block.byteLength)).data]).toEqual([9, 8, 7])
  })
})

// ---- the message table ----

describe('wire messages: table', () => {
  it('registers messages in the append-only order', () => {
    expect(MESSAGE_ORDER).toEqual([
      'metadata-request',
      'metadata-data',
      'metadata-reject',
      'bitfield',
      'have',
      'request',
      'block',
      'cancel',
      'reject',
      'choke',
      'unchoke',
      'interested',
      'not-interested',
      'peers'
    ])
  })

  it('has exactly one codec per message, named after it', () => {
    expect(Object.keys(MESSAGE_CODECS).sort()).toEqual([...MESSAGE_ORDER].sort())
    for (const name of MESSAGE_ORDER) expect(MESSAGE_CODECS[name].name).toBe(name)
    expect(new Set(Object.values(MESSAGE_CODECS)).size).toBe(MESSAGE_ORDER.length)
  })

  it('names the message in its errors', () => {
    const err = caught(() => decodeMessage(cancelCodec, Buffer.alloc(0)))
    expect((err as Error).message).toContain('cancel')
    expect((caught(() => decodeMessage(rejectCodec, frame(0, 0, 0))) as Error).message).toContain('0 bytes')
  })
})

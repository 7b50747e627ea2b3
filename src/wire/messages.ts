// The wire protocol's messages: one compact-encoding codec per message, pure (no sockets).
// Protomux frames each message and calls `codec.decode(state)` with `state.end` at the end of
// that message, so every decoder here enforces its limits itself, before allocating anything,
// and throws ERR_PROTOCOL on any violation; protomux then destroys the connection, which is
// the intended answer to a peer that breaks the protocol.
//
// Byte payloads are decoded as views of the received frame, never copies: whoever keeps one
// (the downloader's piece buffer, the metadata buffer, a Bitfield) copies it there anyway.
// Encoders trust their caller: they write what they are given.

import c from 'compact-encoding'
import {
  BLOCK_BYTES,
  HASH_BYTES,
  MAX_METADATA_BYTES,
  MAX_PIECE_BYTES,
  MAX_PIECES,
  METADATA_CHUNK_BYTES
} from '../constants.js'
import { BitswarmError, protocolError } from '../errors.js'
import { decode, decodeBoundedUint, type Codec, type State } from '../codec.js'
import type { BlockRange } from '../types.js'

/** A codec that names what it decodes, so every error says which message was malformed. */
export interface MessageCodec<T> extends Codec<T> {
  readonly name: string
}

/** Wraps a codec so that anything its decoder throws (our limits, or compact-encoding's
 *  "Out of bounds" on a truncated frame) surfaces as one ERR_PROTOCOL naming the message. */
function message<T> (name: string, codec: Codec<T>): MessageCodec<T> {
  return {
    name,
    preencode: codec.preencode,
    encode: codec.encode,
    decode (state) {
      try {
        return codec.decode(state)
      } catch (err) {
        if (err instanceof BitswarmError) throw err
        throw protocolError(`${name}: ${err instanceof Error ? err.message : String(err)}`, err)
      }
    }
  }
}

/** Decodes exactly `bytes` as one message: trailing bytes are a violation too. */
export function decodeMessage<T> (codec: MessageCodec<T>, bytes: Uint8Array): T {
  return decode(codec, bytes, 'ERR_PROTOCOL', codec.name)
}

// ---- building blocks ----

/** A uint no greater than `max`, refused as soon as it is read. */
function boundedUint (state: State, max: number, what: string): number {
  return decodeBoundedUint(state, max, 'ERR_PROTOCOL', what)
}

/** Length-prefixed bytes: the prefix is a compact uint, the payload is copied into the frame once. */
function preencodeBytes (state: State, bytes: Uint8Array): void {
  c.uint.preencode(state, bytes.byteLength)
  state.end += bytes.byteLength
}

function encodeBytes (state: State, bytes: Uint8Array): void {
  c.uint.encode(state, bytes.byteLength)
  state.buffer!.set(bytes, state.start)
  state.start += bytes.byteLength
}

/** Reads a length prefix no greater than `max`, then that many bytes as a view of the frame. */
function decodeBytes (state: State, max: number, what: string): Buffer {
  const length = boundedUint(state, max, `${what} length`)
  return takeBytes(state, length, what)
}

/** The next `length` bytes of the frame as a Buffer view (no copy), or ERR_PROTOCOL if the
 *  frame is shorter; nothing is allocated before the length is known to be present. */
function takeBytes (state: State, length: number, what: string): Buffer {
  const frame = state.buffer
  if (frame === null || state.end - state.start < length) throw protocolError(`${what} is truncated`)
  const view = Buffer.from(frame.buffer, frame.byteOffset + state.start, length)
  state.start += length
  return view
}

/** A block of 1..BLOCK_BYTES bytes that fits in the largest possible piece. Whether it fits
 *  in *this* share (piece count, piece size, alignment) is the session's question. */
function checkBlock (offset: number, length: number): void {
  if (length < 1) throw protocolError('block of 0 bytes')
  if (offset + length > MAX_PIECE_BYTES) {
    throw protocolError(`block ends at byte ${offset + length}, past the largest piece size ${MAX_PIECE_BYTES}`)
  }
}

// ---- handshake ----

/** A capability is a keyed hash: as long as the hashes it is made with. */
const CAPABILITY_BYTES = HASH_BYTES

/** Sent in the protomux channel-open handshake. */
export interface Handshake {
  /** Proves knowledge of the info hash, bound to this connection (32 bytes). */
  capability: Buffer
}

/** Fixed size, no length prefix. Protomux ignores bytes after the handshake, so a later
 *  version may append fields that this one will not read. */
export const handshakeCodec: MessageCodec<Handshake> = message('handshake', {
  preencode (state, h) {
    if (h.capability.byteLength !== CAPABILITY_BYTES) {
      throw new RangeError(`capability of ${h.capability.byteLength} bytes, expected ${CAPABILITY_BYTES}`)
    }
    state.end += CAPABILITY_BYTES
  },
  encode (state, h) {
    state.buffer!.set(h.capability, state.start)
    state.start += CAPABILITY_BYTES
  },
  decode (state) {
    return { capability: takeBytes(state, CAPABILITY_BYTES, 'capability') }
  }
})

// ---- metadata exchange (BEP 9 style: the info dictionary in fixed-size chunks) ----

/** The largest chunk index any metadata can have. */
const MAX_METADATA_CHUNK_INDEX = Math.ceil(MAX_METADATA_BYTES / METADATA_CHUNK_BYTES) - 1

/** Asks for chunk `index` (of METADATA_CHUNK_BYTES) of the metadata. */
export interface MetadataRequest { index: number }

export const metadataRequestCodec: MessageCodec<MetadataRequest> = message('metadata-request', {
  preencode (state, m) { c.uint.preencode(state, m.index) },
  encode (state, m) { c.uint.encode(state, m.index) },
  decode (state) {
    return { index: boundedUint(state, MAX_METADATA_CHUNK_INDEX, 'metadata chunk index') }
  }
})

/** Chunk `index` of metadata that is `totalBytes` long in all: `data` is exactly that chunk
 *  (METADATA_CHUNK_BYTES, or what remains for the last one). */
export interface MetadataData { index: number, totalBytes: number, data: Buffer }

export const metadataDataCodec: MessageCodec<MetadataData> = message('metadata-data', {
  preencode (state, m) {
    c.uint.preencode(state, m.index)
    c.uint.preencode(state, m.totalBytes)
    preencodeBytes(state, m.data)
  },
  encode (state, m) {
    c.uint.encode(state, m.index)
    c.uint.encode(state, m.totalBytes)
    encodeBytes(state, m.data)
  },
  decode (state) {
    const index = boundedUint(state, MAX_METADATA_CHUNK_INDEX, 'metadata chunk index')
    const totalBytes = boundedUint(state, MAX_METADATA_BYTES, 'metadata size')
    const chunks = Math.ceil(totalBytes / METADATA_CHUNK_BYTES)
    if (index >= chunks) throw protocolError(`metadata chunk ${index} of ${chunks}`)
    const data = decodeBytes(state, METADATA_CHUNK_BYTES, 'metadata chunk')
    // Every chunk is full but the last, which holds the rest.
    const expected = Math.min(METADATA_CHUNK_BYTES, totalBytes - index * METADATA_CHUNK_BYTES)
    if (data.byteLength !== expected) {
      throw protocolError(`metadata chunk ${index} of ${data.byteLength} bytes, expected ${expected}`)
    }
    return { index, totalBytes, data }
  }
})

/** "I do not have the metadata": the answer to a MetadataRequest. */
export interface MetadataReject { index: number }

export const metadataRejectCodec: MessageCodec<MetadataReject> = message('metadata-reject', {
  preencode (state, m) { c.uint.preencode(state, m.index) },
  encode (state, m) { c.uint.encode(state, m.index) },
  decode (state) {
    return { index: boundedUint(state, MAX_METADATA_CHUNK_INDEX, 'metadata chunk index') }
  }
})

// ---- piece availability ----

/** Every piece the sender has, packed most significant bit first (see src/bitfield.ts). */
export interface BitfieldMessage { bytes: Buffer }

export const bitfieldCodec: MessageCodec<BitfieldMessage> = message('bitfield', {
  preencode (state, m) { preencodeBytes(state, m.bytes) },
  encode (state, m) { encodeBytes(state, m.bytes) },
  decode (state) {
    return { bytes: decodeBytes(state, Math.ceil(MAX_PIECES / 8), 'bitfield') }
  }
})

/** The sender has just verified `piece`. */
export interface Have { piece: number }

export const haveCodec: MessageCodec<Have> = message('have', {
  preencode (state, m) { c.uint.preencode(state, m.piece) },
  encode (state, m) { c.uint.encode(state, m.piece) },
  decode (state) {
    return { piece: boundedUint(state, MAX_PIECES - 1, 'piece') }
  }
})

// ---- block transfer ----

/** Request, Cancel and Reject all carry one block range, encoded the same way. */
function blockRangeCodec (name: string): MessageCodec<BlockRange> {
  return message(name, {
    preencode (state, r) {
      c.uint.preencode(state, r.piece)
      c.uint.preencode(state, r.offset)
      c.uint.preencode(state, r.length)
    },
    encode (state, r) {
      c.uint.encode(state, r.piece)
      c.uint.encode(state, r.offset)
      c.uint.encode(state, r.length)
    },
    decode (state) {
      const piece = boundedUint(state, MAX_PIECES - 1, 'piece')
      const offset = boundedUint(state, MAX_PIECE_BYTES - 1, 'block offset')
      const length = boundedUint(state, BLOCK_BYTES, 'block length')
      checkBlock(offset, length)
      return { piece, offset, length }
    }
  })
}

/** "Send me these bytes." */
export type Request = BlockRange
/** "I no longer want these bytes" (they came from another peer). */
export type Cancel = BlockRange
/** "I will not serve this request." */
export type Reject = BlockRange

export const requestCodec: MessageCodec<Request> = blockRangeCodec('request')
export const cancelCodec: MessageCodec<Cancel> = blockRangeCodec('cancel')
export const rejectCodec: MessageCodec<Reject> = blockRangeCodec('reject')

/** The bytes of a Request. The hot path: 64 KiB each, tens of thousands per transfer, so
 *  the data is written into the frame once and read back as a view of it. */
export interface Block { piece: number, offset: number, data: Buffer }

export const blockCodec: MessageCodec<Block> = message('block', {
  preencode (state, m) {
    c.uint.preencode(state, m.piece)
    c.uint.preencode(state, m.offset)
    preencodeBytes(state, m.data)
  },
  encode (state, m) {
    c.uint.encode(state, m.piece)
    c.uint.encode(state, m.offset)
    encodeBytes(state, m.data)
  },
  decode (state) {
    const piece = boundedUint(state, MAX_PIECES - 1, 'piece')
    const offset = boundedUint(state, MAX_PIECE_BYTES - 1, 'block offset')
    const data = decodeBytes(state, BLOCK_BYTES, 'block data')
    checkBlock(offset, data.byteLength)
    return { piece, offset, data }
  }
})

// ---- choking and interest: no payload ----

/** The payload of a message that has none; send it as `null`. */
export type Empty = null

function emptyCodec (name: string): MessageCodec<Empty> {
  return message(name, {
    preencode () {},
    encode () {},
    decode () { return null }
  })
}

export const chokeCodec: MessageCodec<Empty> = emptyCodec('choke')
export const unchokeCodec: MessageCodec<Empty> = emptyCodec('unchoke')
export const interestedCodec: MessageCodec<Empty> = emptyCodec('interested')
export const notInterestedCodec: MessageCodec<Empty> = emptyCodec('not-interested')

// ---- the message table ----

/** Payload type of each message, by name. */
export interface MessageTypes {
  'metadata-request': MetadataRequest
  'metadata-data': MetadataData
  'metadata-reject': MetadataReject
  bitfield: BitfieldMessage
  have: Have
  request: Request
  block: Block
  cancel: Cancel
  reject: Reject
  choke: Empty
  unchoke: Empty
  interested: Empty
  'not-interested': Empty
}

export type MessageName = keyof MessageTypes
export type MessageOf<N extends MessageName> = MessageTypes[N]

/** Registration order on the protomux channel: a message's wire id is its position here.
 *  APPEND-ONLY, forever: reordering or removing an entry changes the ids of the others and
 *  silently breaks every peer running an older version. New messages go at the end
 *  (protomux ignores ids the receiver has not registered). */
export const MESSAGE_ORDER = [
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
  'not-interested'
] as const satisfies readonly MessageName[]

// Compile-time check that MESSAGE_ORDER gives every message an id.
type Unordered = Exclude<MessageName, (typeof MESSAGE_ORDER)[number]>
const everyMessageOrdered: Unordered extends never ? true : never = true
void everyMessageOrdered

export const MESSAGE_CODECS: { readonly [N in MessageName]: MessageCodec<MessageTypes[N]> } = {
  'metadata-request': metadataRequestCodec,
  'metadata-data': metadataDataCodec,
  'metadata-reject': metadataRejectCodec,
  bitfield: bitfieldCodec,
  have: haveCodec,
  request: requestCodec,
  block: blockCodec,
  cancel: cancelCodec,
  reject: rejectCodec,
  choke: chokeCodec,
  unchoke: unchokeCodec,
  interested: interestedCodec,
  'not-interested': notInterestedCodec
}

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
  MAX_METADATA_BYTES,
  MAX_PIECE_BYTES,
  MAX_PIECES,
  METADATA_CHUNK_BYTES
} from '../constants.js'
import { protocolError } from '../errors.js'
import type { BlockRange } from '../types.js'
import {
  boundedUint, checkBlock, decodeBytes, encodeBytes, message, preencodeBytes, type MessageCodec
} from './message-codec.js'
import { peersCodec, type PeersMessage } from './peers-message.js'

export { decodeMessage, type MessageCodec } from './message-codec.js'
export { handshakeCodec, HANDSHAKE_FLAGS, type Handshake } from './handshake.js'
export { peersCodec, type PeersMessage } from './peers-message.js'

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
  /** Peer exchange: other peers of this share (public keys). */
  peers: PeersMessage
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
  'not-interested',
  'peers'
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
  'not-interested': notInterestedCodec,
  peers: peersCodec
}

// The parts every wire codec is built from: a codec that names its message, and decoders
// that check their bounds before they allocate. Pure.

import c from 'compact-encoding'
import { MAX_PIECE_BYTES } from '../constants.js'
import { BitswarmError, protocolError } from '../errors.js'
import { decode, decodeBoundedUint, type Codec, type State } from '../codec.js'

/** A codec that names what it decodes, so every error says which message was malformed. */
export interface MessageCodec<T> extends Codec<T> {
  readonly name: string
}

/** Wraps a codec so that anything its decoder throws (our limits, or compact-encoding's
 *  "Out of bounds" on a truncated frame) surfaces as one ERR_PROTOCOL naming the message. */
export function message<T> (name: string, codec: Codec<T>): MessageCodec<T> {
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
export function boundedUint (state: State, max: number, what: string): number {
  return decodeBoundedUint(state, max, 'ERR_PROTOCOL', what)
}

/** Length-prefixed bytes: the prefix is a compact uint, the payload is copied into the frame once. */
export function preencodeBytes (state: State, bytes: Uint8Array): void {
  c.uint.preencode(state, bytes.byteLength)
  state.end += bytes.byteLength
}

export function encodeBytes (state: State, bytes: Uint8Array): void {
  c.uint.encode(state, bytes.byteLength)
  state.buffer!.set(bytes, state.start)
  state.start += bytes.byteLength
}

/** Reads a length prefix no greater than `max`, then that many bytes as a view of the frame. */
export function decodeBytes (state: State, max: number, what: string): Buffer {
  const length = boundedUint(state, max, `${what} length`)
  return takeBytes(state, length, what)
}

/** The next `length` bytes of the frame as a Buffer view (no copy), or ERR_PROTOCOL if the
 *  frame is shorter; nothing is allocated before the length is known to be present. */
export function takeBytes (state: State, length: number, what: string): Buffer {
  const frame = state.buffer
  if (frame === null || state.end - state.start < length) throw protocolError(`${what} is truncated`)
  const view = Buffer.from(frame.buffer, frame.byteOffset + state.start, length)
  state.start += length
  return view
}

/** A block of 1..BLOCK_BYTES bytes that fits in the largest possible piece. Whether it fits
 *  in *this* share (piece count, piece size, alignment) is the session's question. */
export function checkBlock (offset: number, length: number): void {
  if (length < 1) throw protocolError('block of 0 bytes')
  if (offset + length > MAX_PIECE_BYTES) {
    throw protocolError(`block ends at byte ${offset + length}, past the largest piece size ${MAX_PIECE_BYTES}`)
  }
}

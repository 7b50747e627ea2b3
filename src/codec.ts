// The shape shared by every binary codec in bitswarm (metadata and wire messages), on top of
// compact-encoding. Decoding wraps compact-encoding's uncoded exceptions and refuses trailing
// bytes, so a malformed input always surfaces as one coded error.

import c from 'compact-encoding'
import { BitswarmError, type ErrorCode } from './errors.js'

export type State = ReturnType<typeof c.state>

export interface Codec<T> {
  preencode (state: State, value: T): void
  encode (state: State, value: T): void
  decode (state: State): T
}

export function encode<T> (codec: Codec<T>, value: T): Buffer {
  const state = c.state()
  codec.preencode(state, value)
  state.buffer = Buffer.allocUnsafe(state.end)
  codec.encode(state, value)
  return state.buffer as Buffer
}

/** Decodes exactly `bytes`; any failure becomes a BitswarmError with `code`. */
export function decode<T> (codec: Codec<T>, bytes: Uint8Array, code: ErrorCode, what: string): T {
  const state = c.state(0, bytes.byteLength, bytes)
  let value: T
  try {
    value = codec.decode(state)
  } catch (err) {
    if (err instanceof BitswarmError) throw err
    throw new BitswarmError(code, `${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
  if (state.start !== state.end) throw new BitswarmError(code, `${what}: ${state.end - state.start} trailing bytes`)
  return value
}

/** Reads a compact-encoding uint and refuses it above `max` before anything is allocated. */
export function decodeBoundedUint (state: State, max: number, code: ErrorCode, what: string): number {
  const n = c.uint.decode(state)
  if (n > max) throw new BitswarmError(code, `${what} ${n} exceeds the limit of ${max}`)
  return n
}

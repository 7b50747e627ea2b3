// Bounds what one connection can make us hold below our own codecs.
//
// A message: secret-stream frames
// each message with a 3-byte length (up to 16 MiB) and, once a length has arrived, gathers
// that many bytes before anyone sees them; protomux and our codecs only meet the message
// whole. So this reads the length secret-stream has just parsed and ends the connection as
// soon as a frame over MAX_FRAME_BYTES begins: at most one transport chunk of it is held.
//
// Channels: protomux keeps state for every channel the remote opens, for any protocol, and
// buffers messages for those nobody here has opened; a flood of opens would grow that
// without bound, so past MAX_CHANNELS_PER_CONNECTION the connection ends.
//
// Both read internals of @hyperswarm/secret-stream 6.x (`_rawStream`, `_state`, `_len`) and
// protomux 3.x (`_remote`); when those are absent they guard nothing and say so (the tests
// pin the versions installed).

import type { SecretStream } from 'hyperswarm'
import type { Duplex } from 'node:stream'
import type Protomux from 'protomux'
import { MAX_CHANNELS_PER_CONNECTION, MAX_FRAME_BYTES } from '../constants.js'
import { protocolError } from '../errors.js'

/** secret-stream's per-frame overhead (libsodium secretstream ABYTES: tag + MAC). */
const FRAME_OVERHEAD_BYTES = 17
/** `_state` while secret-stream gathers a frame's body. */
const READING_BODY = 1

interface FramingInternals {
  _rawStream?: Duplex | null
  _state?: number
  _len?: number
}

const guarded = new WeakSet<object>()

/** Guards the stream once (later calls are no-ops); false when it cannot be guarded. */
export function guardFrameSize (stream: SecretStream, maxBytes = MAX_FRAME_BYTES): boolean {
  if (guarded.has(stream)) return true
  const framing = stream as unknown as FramingInternals
  const raw = framing._rawStream
  if (raw === null || raw === undefined || typeof framing._len !== 'number' || typeof framing._state !== 'number') return false
  guarded.add(stream)
  raw.on('data', () => {
    const body = framing._len! - FRAME_OVERHEAD_BYTES
    if (framing._state === READING_BODY && body > maxBytes && !stream.destroyed) {
      stream.destroy(protocolError(`a message of ${body} bytes, over the limit of ${maxBytes}`))
    }
  })
  return true
}

const counted = new WeakSet<object>()

/** Ends the connection once the remote has opened more than `max` channels on it; false
 *  when protomux's channel table cannot be read. */
export function guardChannelCount (stream: SecretStream, mux: Protomux, max = MAX_CHANNELS_PER_CONNECTION): boolean {
  if (counted.has(stream)) return true
  const remote = (mux as unknown as { _remote?: unknown[] })._remote
  if (!Array.isArray(remote)) return false
  counted.add(stream)
  // After protomux's own listener: the count includes the message just decoded.
  stream.on('data', () => {
    if (remote.length > max && !stream.destroyed) stream.destroy(protocolError(`opened ${remote.length} channels, over the limit of ${max}`))
  })
  return true
}

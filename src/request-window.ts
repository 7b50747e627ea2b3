// How many bytes of requests to keep in flight with one peer: its bandwidth–delay product
// with room to grow. Counted in bytes, so the window is the same whatever the piece and
// block sizes (16 KiB pieces used to mean 1/16 of the intended bytes in flight). Pure.

import { MAX_INFLIGHT_BYTES, MIN_INFLIGHT_BYTES, REQUEST_QUEUE_MS } from './constants.js'

export interface WindowInput {
  /** The peer's measured delivery rate to us, bytes per second. */
  rate: number
  /** Smoothed round-trip time of the connection, milliseconds (0 when unknown). */
  rttMs: number
}

/** Twice the bandwidth–delay product (so the rate measured through the window can grow
 *  past it), plus REQUEST_QUEUE_MS of data so a stall of the request path never idles the
 *  link; between MIN_INFLIGHT_BYTES (what a new peer gets before it has a rate) and
 *  MAX_INFLIGHT_BYTES. */
export function requestWindowBytes ({ rate, rttMs }: WindowInput): number {
  const rtt = Number.isFinite(rttMs) && rttMs > 0 ? rttMs : 0
  const wanted = rate * (2 * rtt + REQUEST_QUEUE_MS) / 1000
  return Math.min(MAX_INFLIGHT_BYTES, Math.max(MIN_INFLIGHT_BYTES, Math.ceil(wanted)))
}

// How many bytes of requests to keep in flight with one peer, and how many bytes to hand to
// its connection before waiting for it to drain: its bandwidth–delay product with room to
// grow. Counted in bytes, so the window is the same whatever the piece and
// block sizes (16 KiB pieces used to mean 1/16 of the intended bytes in flight). Pure.

import {
  INITIAL_WINDOW_RATE, MAX_INFLIGHT_BYTES, MAX_UPLOAD_WINDOW_BYTES, MIN_INFLIGHT_BYTES, RATE_WARMUP_MS, REQUEST_QUEUE_MS,
  UPLOAD_WINDOW_BYTES
} from './constants.js'

export interface WindowInput {
  /** The peer's measured delivery rate to us, bytes per second. */
  rate: number
  /** Smoothed round-trip time of the connection, milliseconds (0 when unknown). */
  rttMs: number
  /** How long we have been fetching from the peer, ms (its rate means little at first). */
  ageMs?: number
  /** How much data, in ms at the peer's rate, may wait queued beyond the round trips
   *  (REQUEST_QUEUE_MS unless a reader is waiting: STREAM_REQUEST_QUEUE_MS). */
  queueMs?: number
}

/** Twice the bandwidth–delay product (so the rate measured through the window can grow
 *  past it), plus `queueMs` of data so a stall of the request path never idles the link;
 *  between MIN_INFLIGHT_BYTES and MAX_INFLIGHT_BYTES. A peer whose rate is not yet measured
 *  gets at least twice the round trip at INITIAL_WINDOW_RATE. */
export function requestWindowBytes ({ rate, rttMs, ageMs = Infinity, queueMs = REQUEST_QUEUE_MS }: WindowInput): number {
  const rtt = Number.isFinite(rttMs) && rttMs > 0 ? rttMs : 0
  let wanted = rate * (2 * rtt + queueMs) / 1000
  // A new peer: assume the path can take INITIAL_WINDOW_RATE until its rate says otherwise.
  if (ageMs < RATE_WARMUP_MS) wanted = Math.max(wanted, INITIAL_WINDOW_RATE * 2 * rtt / 1000)
  return Math.min(MAX_INFLIGHT_BYTES, Math.max(MIN_INFLIGHT_BYTES, Math.ceil(wanted)))
}

/** Bytes handed to a peer's connection beyond its write buffer before waiting for a drain:
 *  twice the bandwidth–delay product at the rate we send to it (or, while that is not yet
 *  measured, at INITIAL_WINDOW_RATE), between UPLOAD_WINDOW_BYTES and MAX_UPLOAD_WINDOW_BYTES. */
export function sendWindowBytes ({ rate, rttMs, ageMs = Infinity }: WindowInput): number {
  const rtt = Number.isFinite(rttMs) && rttMs > 0 ? rttMs : 0
  const assumed = ageMs < RATE_WARMUP_MS ? Math.max(rate, INITIAL_WINDOW_RATE) : rate
  const wanted = 2 * assumed * rtt / 1000
  return Math.min(MAX_UPLOAD_WINDOW_BYTES, Math.max(UPLOAD_WINDOW_BYTES, Math.ceil(wanted)))
}

// The periodic JSON lines (`progress`, `peers`) are written when their figures changed, not
// because a timer ticked: an idle seeder's figures are the same every 200 ms, and a day of
// them was 430,000 identical lines. An unchanged line is repeated once per HEARTBEAT_MS, so
// a program watching still knows the command is alive. Pure: values and a clock in, yes or
// no out.

import type { PeerStats } from '../session/events.js'

/** The longest a periodic line stays unwritten: unchanged figures are repeated this often. */
export const HEARTBEAT_MS = 5_000
/** A rate moved meaningfully when it changed by this part of itself, or to or from zero:
 *  the sliding window lets a rate drift for seconds after the bytes stop. */
export const RATE_CHANGE = 0.25

/** The `progress` event's fields, as written. */
export interface ProgressFigures {
  have: number
  pieces: number
  downloaded: number
  uploaded: number
  downloadRate: number
  uploadRate: number
  peers: number
  hashFailures: number
  eta: number | null
  verified: number[]
  partial: number[]
  /** A selective download's own figures (SessionStats.selected); absent otherwise. */
  selected?: { pieces: number, have: number, bytes: number }
}

/** Passes a value when it changed from the last one passed (no sooner than `minIntervalMs`
 *  after it), or when the last one passed is HEARTBEAT_MS old. */
export class ChangeGate<T> {
  private readonly changed: (before: T, after: T) => boolean
  private readonly minIntervalMs: number
  private readonly heartbeatMs: number
  private last: T | null = null
  private lastAt = 0

  constructor (changed: (before: T, after: T) => boolean, minIntervalMs: number, heartbeatMs = HEARTBEAT_MS) {
    this.changed = changed
    this.minIntervalMs = minIntervalMs
    this.heartbeatMs = heartbeatMs
  }

  /** Whether `value` is to be written at `now`; when it is, the next ones are compared with it. */
  admit (value: T, now: number): boolean {
    const elapsed = now - this.lastAt
    const due = this.last === null || elapsed >= this.heartbeatMs || (elapsed >= this.minIntervalMs && this.changed(this.last, value))
    if (due) this.pass(value, now)
    return due
  }

  /** For a last line, whatever the interval: whether `value` says anything the last one did not. */
  admitFinal (value: T, now: number): boolean {
    const due = this.last === null || this.changed(this.last, value)
    if (due) this.pass(value, now)
    return due
  }

  private pass (value: T, now: number): void {
    this.last = value
    this.lastAt = now
  }
}

export function rateMoved (before: number, after: number): boolean {
  if (before === after) return false
  if (before === 0 || after === 0) return true
  return Math.abs(after - before) >= RATE_CHANGE * Math.max(before, after)
}

/** Anything but the ETA, which follows from the bytes and the rate. */
export function progressChanged (before: ProgressFigures, after: ProgressFigures): boolean {
  return after.verified.length > 0 ||
    before.have !== after.have ||
    before.selected?.have !== after.selected?.have ||
    before.pieces !== after.pieces ||
    before.downloaded !== after.downloaded ||
    before.uploaded !== after.uploaded ||
    before.peers !== after.peers ||
    before.hashFailures !== after.hashFailures ||
    !sameNumbers(before.partial, after.partial) ||
    rateMoved(before.downloadRate, after.downloadRate) ||
    rateMoved(before.uploadRate, after.uploadRate)
}

/** Fields of a peer row that change only when something happens (the RTT moves all the
 *  time and is left out; rates are compared with rateMoved). */
const PEER_FACTS = [
  'downloaded', 'uploaded', 'piecesReceived', 'piecesSent', 'choked', 'choking', 'interested',
  'remoteInterested', 'have', 'seed', 'requests', 'inflight', 'connection'
] as const satisfies ReadonlyArray<keyof PeerStats>

/** A peer came or went, or one of them changed. */
export function peersChanged (before: PeerStats[], after: PeerStats[]): boolean {
  if (before.length !== after.length) return true
  const earlier = new Map(before.map((p) => [p.id, p]))
  return after.some((p) => {
    const b = earlier.get(p.id)
    return b === undefined || PEER_FACTS.some((key) => b[key] !== p[key]) ||
      rateMoved(Math.round(b.downloadRate), Math.round(p.downloadRate)) || rateMoved(Math.round(b.uploadRate), Math.round(p.uploadRate))
  })
}

function sameNumbers (a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i])
}

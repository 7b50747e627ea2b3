// What the terminal view knows, folded from the node's events and a clock: no I/O, no
// timers, so every screen is a function of (events, now). The fold updates the state in
// place: a piece map of half a million pieces is not copied per verified piece.

import type { HashProgress } from '../../piece-hashing.js'
import type { ContentDescription, PeerStats, SessionEvents, SessionStats } from '../../session/events.js'
import type { SessionStatus } from '../../session/status.js'

/** Warnings kept to print after the view closes; the rest are only counted. */
const WARNINGS_KEPT = 5

export type Role = 'get' | 'share'

/** How the command ended when it did not end by completing or by being stopped: its own
 *  give-up (--timeout) or a failure (its error line follows the summary). */
export interface Ending {
  outcome: 'timed-out' | 'failed'
}

export type ViewEvent =
  | { [K in keyof SessionEvents]: { type: K, data: SessionEvents[K] } }[keyof SessionEvents]
  | { type: 'notice', data: { message: string } }
  | { type: 'end', data: Ending }
  | { type: 'stream', data: StreamShown }

/** The file being streamed, as the view shows it: where, and where it lies in the content. */
export interface StreamShown {
  url: string
  path: string
  /** Its first byte in the content (files end to end) and its size. */
  start: number
  size: number
}

/** Bytes exchanged with one peer over every connection of this run. */
export interface PeerTotals {
  downloaded: number
  uploaded: number
  /** It held every piece when first seen: an original seeder. */
  seed: boolean
}

export interface ViewState {
  role: Role
  link: string
  startedAt: number
  content: ContentDescription | null
  status: SessionStatus | null
  stats: SessionStats | null
  /** One byte per piece: 1 once verified (or held from the start). */
  held: Uint8Array
  heldCount: number
  inFlight: Set<number>
  /** Connected peers, with their latest figures. */
  peers: Map<string, PeerStats>
  /** Totals of connections that ended, by peer id (a peer may come back). */
  departed: Map<string, PeerTotals>
  hashFailures: number
  /** The re-hash of an interrupted download's pieces, while it runs. */
  checking: HashProgress | null
  done: SessionEvents['done'] | null
  error: string | null
  ending: Ending | null
  /** The latest message for people (why there are no peers, warnings, hints). */
  notice: string | null
  warnings: string[]
  warningCount: number
  /** The file served over HTTP (`stream`, `get --stream`); null otherwise. */
  stream: StreamShown | null
}

export function createViewState (role: Role, link: string, now: number): ViewState {
  return {
    role,
    link,
    startedAt: now,
    content: null,
    status: null,
    stats: null,
    held: new Uint8Array(0),
    heldCount: 0,
    inFlight: new Set(),
    peers: new Map(),
    departed: new Map(),
    hashFailures: 0,
    checking: null,
    done: null,
    error: null,
    ending: null,
    notice: null,
    warnings: [],
    warningCount: 0,
    stream: null
  }
}

export function reduce (state: ViewState, event: ViewEvent): ViewState {
  switch (event.type) {
    case 'metadata':
      if (state.content === null) {
        state.content = event.data
        state.held = new Uint8Array(event.data.pieceCount)
      }
      break
    case 'status':
      state.status = event.data.status
      break
    case 'stats':
      onStats(state, event.data)
      break
    case 'piece-verified':
      hold(state, event.data.piece)
      break
    case 'piece-failed':
      state.hashFailures++
      state.inFlight.delete(event.data.piece)
      break
    case 'peer-add':
      if (!state.peers.has(event.data.id)) state.peers.set(event.data.id, emptyPeer(event.data.id))
      break
    case 'peer-stats':
      for (const peer of event.data) state.peers.set(peer.id, peer)
      break
    case 'peer-remove':
      state.peers.delete(event.data.id)
      addTotals(state.departed, event.data.stats)
      break
    case 'done':
      state.done = event.data
      holdAll(state)
      break
    case 'warning':
      state.warningCount++
      state.warnings = [...state.warnings, event.data.message].slice(-WARNINGS_KEPT)
      state.notice = `warning: ${event.data.message}`
      break
    case 'error':
      state.error = event.data.message
      break
    case 'notice':
      state.notice = event.data.message
      break
    case 'end':
      state.ending = event.data
      break
    case 'checking':
      state.checking = event.data
      break
    case 'resumed':
      state.notice = resumedNotice(event.data)
      break
    case 'stream':
      state.stream = event.data
      break
    case 'reader':
    case 'close':
      break
  }
  return state
}

/** What a resumed download says about what it found. */
export function resumedNotice (r: SessionEvents['resumed']): string {
  const checked = r.checked === 0 ? 'nothing re-checked' : `${r.checked} re-checked`
  return `resumed: ${r.have} pieces held (${r.trusted} from the resume record, ${checked})`
}

/** Every peer of the run, connected or gone, with its totals. */
export function peerTotals (state: ViewState): Map<string, PeerTotals> {
  const totals = new Map<string, PeerTotals>()
  for (const [id, t] of state.departed) totals.set(id, { ...t })
  for (const peer of state.peers.values()) addTotals(totals, peer)
  return totals
}

/** Pieces held: the session's count can run ahead of the pieces we saw verified (a resumed
 *  download holds pieces from the start). */
export function piecesHeld (state: ViewState): number {
  return Math.max(state.heldCount, state.stats?.have ?? 0)
}

/** Bytes held, exact for the short last piece when we know whether it is held. */
export function bytesHeld (state: ViewState): number {
  const c = state.content
  if (c === null) return 0
  const have = piecesHeld(state)
  if (have >= c.pieceCount) return c.totalBytes
  const lastShort = c.pieceCount * c.pieceSize - c.totalBytes
  return Math.max(0, have * c.pieceSize - (state.held[c.pieceCount - 1] === 1 ? lastShort : 0))
}

/** What the download is after: every piece, or a selection's (progress is of these). */
export function target (state: ViewState): { have: number, pieces: number, heldBytes: number, bytes: number } | null {
  const c = state.content
  if (c === null) return null
  const selected = state.stats?.selected ?? null
  if (selected === null) return { have: piecesHeld(state), pieces: c.pieceCount, heldBytes: bytesHeld(state), bytes: c.totalBytes }
  // A selection's pieces may hold bytes of skipped files: the bytes held are an estimate.
  const heldBytes = selected.have >= selected.pieces ? selected.bytes : Math.min(selected.bytes, selected.have * c.pieceSize)
  return { have: selected.have, pieces: selected.pieces, heldBytes, bytes: selected.bytes }
}

/** Seconds to completion at the current rate; null when stalled, done or unknown. */
export function etaSeconds (state: ViewState): number | null {
  const t = target(state)
  const rate = state.stats?.downloadRate ?? 0
  if (t === null || state.done !== null || rate < 1) return null
  const remaining = t.bytes - t.heldBytes
  return remaining <= 0 ? null : remaining / rate
}

export function isComplete (state: ViewState): boolean {
  const t = target(state)
  return state.done !== null || (t !== null && t.have >= t.pieces)
}

function onStats (state: ViewState, stats: SessionStats): void {
  state.stats = stats
  state.inFlight = new Set(stats.partial)
  state.hashFailures = Math.max(state.hashFailures, stats.hashFailures)
  if (stats.pieceCount > 0 && stats.have >= stats.pieceCount) holdAll(state)
}

function hold (state: ViewState, piece: number): void {
  state.inFlight.delete(piece)
  if (piece < 0 || piece >= state.held.length || state.held[piece] === 1) return
  state.held[piece] = 1
  state.heldCount++
}

function holdAll (state: ViewState): void {
  if (state.heldCount === state.held.length) return
  state.held.fill(1)
  state.heldCount = state.held.length
  state.inFlight.clear()
}

function addTotals (totals: Map<string, PeerTotals>, peer: PeerStats): void {
  const t = totals.get(peer.id) ?? { downloaded: 0, uploaded: 0, seed: false }
  totals.set(peer.id, { downloaded: t.downloaded + peer.downloaded, uploaded: t.uploaded + peer.uploaded, seed: t.seed || peer.seed })
}

function emptyPeer (id: string): PeerStats {
  return {
    id,
    downloaded: 0,
    uploaded: 0,
    downloadRate: 0,
    uploadRate: 0,
    piecesReceived: 0,
    piecesSent: 0,
    choked: true,
    choking: true,
    interested: false,
    remoteInterested: false,
    have: 0,
    seed: false,
    requests: 0,
    inflight: 0,
    rtt: 0,
    connection: 'direct'
  }
}

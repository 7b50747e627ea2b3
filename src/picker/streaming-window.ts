// The streaming window: which pieces are urgent because a reader is about to reach them, in
// deadline order (libtorrent's set_piece_deadline). Pure: plain numbers in, a list out.
//
// The window only says what goes FIRST: the picker asks for `urgent` pieces in this order and
// picks rarest-first for everything else, so a streaming node still spreads rare pieces.

import {
  STREAM_DEFAULT_READ_BYTES_PER_S, STREAM_IMMINENT_MS, STREAM_IN_ORDER_PIECES, STREAM_WINDOW_MAX_BYTES, STREAM_WINDOW_MIN_BYTES,
  STREAM_WINDOW_SECONDS
} from '../constants.js'

/** One reader of the content (an HTTP response, a player's probe of the end of the file…). */
export interface StreamReader {
  id: string
  /** Next byte it will read, in the share's byte space (all files laid end to end). */
  position: number
  /** Its measured read rate; 0 when not yet measured. */
  bytesPerSecond: number
}

export interface PieceGeometry { pieceBytes: number, totalBytes: number }

export interface UrgentPiece {
  piece: number
  /** Milliseconds from now until the reader reaches the piece's first byte (0: it is there). */
  deadlineMs: number
  reader: string
  /** Its place among the reader's missing pieces: 0 for the first the reader lacks from its
   *  position on, 1 for the next… (of two readers, the nearer). */
  rank: number
}

export interface WindowInput {
  readers: readonly StreamReader[]
  geometry: PieceGeometry
  has: (piece: number) => boolean
}

/** Bytes ahead of a reader the window covers: a few seconds of the reader's own rate, bounded.
 *  Not of the swarm's: a window that grew with the download rate covered whole files, turning
 *  every streamer into a sequential downloader with nothing its peers lack (the swarm bench's
 *  stream mode measured the cost); past the window, rarest-first fills in anyway. */
export function windowBytes (readerBytesPerSecond: number): number {
  const read = readerBytesPerSecond > 0 ? readerBytesPerSecond : STREAM_DEFAULT_READ_BYTES_PER_S
  const wanted = read * STREAM_WINDOW_SECONDS
  return Math.min(STREAM_WINDOW_MAX_BYTES, Math.max(STREAM_WINDOW_MIN_BYTES, wanted))
}

/** The urgent missing pieces of all readers, earliest deadline first (ties: lower index). A
 *  piece in two readers' windows keeps its earlier deadline. */
export function urgentPieces (input: WindowInput): UrgentPiece[] {
  const { pieceBytes, totalBytes } = input.geometry
  const best = new Map<number, UrgentPiece>()
  for (const reader of input.readers) {
    if (reader.position < 0 || reader.position >= totalBytes) continue
    const rate = reader.bytesPerSecond > 0 ? reader.bytesPerSecond : STREAM_DEFAULT_READ_BYTES_PER_S
    const end = Math.min(totalBytes, reader.position + windowBytes(reader.bytesPerSecond))
    const first = Math.floor(reader.position / pieceBytes)
    const last = Math.floor((end - 1) / pieceBytes)
    let rank = 0
    for (let piece = first; piece <= last; piece++) {
      if (input.has(piece)) continue
      const ahead = Math.max(0, piece * pieceBytes - reader.position)
      const deadlineMs = Math.round((ahead / rate) * 1000)
      const known = best.get(piece)
      if (known === undefined || deadlineMs < known.deadlineMs) best.set(piece, { piece, deadlineMs, reader: reader.id, rank: Math.min(rank, known?.rank ?? rank) })
      else known.rank = Math.min(known.rank, rank)
      rank++
    }
  }
  return [...best.values()].sort((a, b) => a.deadlineMs - b.deadlineMs || a.piece - b.piece)
}

/** The urgent list as the picker takes it (PiecePicker.setUrgent): first each reader's next
 *  STREAM_IN_ORDER_PIECES missing pieces (what it waits for now), then the others due within
 *  STREAM_IMMINENT_MS, then the rest of the windows, each part in deadline order; `inOrder`
 *  and `imminent` count the first part and the first two. */
export interface UrgentOrder { pieces: number[], inOrder: number, imminent: number }

export function urgentOrder (urgent: readonly UrgentPiece[]): UrgentOrder {
  const part = (u: UrgentPiece): number => u.rank < STREAM_IN_ORDER_PIECES ? 0 : u.deadlineMs <= STREAM_IMMINENT_MS ? 1 : 2
  const counts = [0, 0, 0]
  for (const u of urgent) counts[part(u)]!++
  // A stable sort: deadline order within each part.
  const pieces = [...urgent].sort((a, b) => part(a) - part(b)).map((u) => u.piece)
  return { pieces, inOrder: counts[0]!, imminent: counts[0]! + counts[1]! }
}

/** Requests in flight for pieces that were urgent and no longer are (after a seek or a reader
 *  leaving): the caller cancels them, since rarest-first would not have chosen them. */
export function staleRequests (before: readonly UrgentPiece[], after: readonly UrgentPiece[],
  inFlight: Iterable<number>): number[] {
  const was = new Set(before.map(u => u.piece))
  const still = new Set(after.map(u => u.piece))
  return [...new Set(inFlight)].filter(p => was.has(p) && !still.has(p)).sort((a, b) => a - b)
}

/** Readers by id, with the last urgent list, so a seek reports at once what went stale. */
export class StreamingWindow {
  private readonly readers = new Map<string, StreamReader>()
  private last: UrgentPiece[] = []

  constructor (private readonly geometry: PieceGeometry) {}

  /** Updates (or adds) a reader after a read, a new rate or a seek; returns the new urgent list
   *  and the in-flight pieces to cancel. */
  move (reader: StreamReader, state: { has: (piece: number) => boolean, inFlight: Iterable<number> }):
  { urgent: UrgentPiece[], cancel: number[] } {
    this.readers.set(reader.id, { ...reader })
    return this.refresh(state)
  }

  remove (id: string, state: { has: (piece: number) => boolean, inFlight: Iterable<number> }):
  { urgent: UrgentPiece[], cancel: number[] } {
    this.readers.delete(id)
    return this.refresh(state)
  }

  /** The urgent pieces for the picker, in order, without changing any reader. */
  urgent (has: (piece: number) => boolean): UrgentPiece[] {
    this.last = urgentPieces({ readers: [...this.readers.values()], geometry: this.geometry, has })
    return this.last
  }

  private refresh (state: { has: (piece: number) => boolean, inFlight: Iterable<number> }):
  { urgent: UrgentPiece[], cancel: number[] } {
    const before = this.last
    const urgent = this.urgent(state.has)
    return { urgent, cancel: staleRequests(before, urgent, state.inFlight) }
  }
}

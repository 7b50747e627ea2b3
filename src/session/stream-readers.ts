// The readers streaming a session's content (HTTP responses of the stream server): where each
// is, how fast it reads, and what that makes urgent. Each read moves its reader; the streaming
// window turns the readers into urgent pieces for the downloader, and a seek or a reader
// leaving abandons the urgent pieces nobody needs any more. Knows nothing of sockets or disks:
// the session hands it the downloader's few operations.

import { STREAM_CHUNK_BYTES } from '../constants.js'
import { type PieceGeometry, StreamingWindow, type UrgentPiece, urgentOrder, windowBytes } from '../picker/streaming-window.js'
import { RateMeter } from '../rate.js'

export interface StreamReadersHooks {
  has: (piece: number) => boolean
  /** The session's download rate now. */
  /** Pieces in progress. */
  inFlight: () => Iterable<number>
  /** Pieces most urgent first: the first `inOrder` are each reader's next ones, taken in that
   *  order; up to `imminent` those due within STREAM_IMMINENT_MS (streaming-window.ts urgentOrder). */
  setUrgent: (pieces: readonly number[], imminent: number, inOrder: number) => void
  /** Drops pieces in progress no block has arrived for; returns those dropped. */
  abandon: (pieces: readonly number[]) => number[]
  onReader: (event: ReaderEvent) => void
  now?: () => number
}

/** One reader as the view and `--json` show it: its position and the pieces its window spans. */
export interface ReaderStats {
  id: string
  /** Next byte it reads, in the share's byte space (files end to end). */
  position: number
  bytesPerSecond: number
  /** First and last piece of its window (the position's piece onwards). */
  firstPiece: number
  lastPiece: number
}

export interface ReaderEvent extends ReaderStats {
  /** open: a new reader; seek: it jumped; close: it left. */
  kind: 'open' | 'seek' | 'close'
  /** Urgent pieces in progress that no longer mattered and were dropped (their requests cancelled). */
  abandoned: number[]
}

interface Reader {
  position: number
  meter: RateMeter
}

/** A forward jump larger than this is a seek, not the next read. */
const SEEK_GAP_BYTES = 2 * STREAM_CHUNK_BYTES

export class StreamReaders {
  private readonly window: StreamingWindow
  private readonly readers = new Map<string, Reader>()
  private readonly now: () => number

  constructor (private readonly geometry: PieceGeometry, private readonly hooks: StreamReadersHooks) {
    this.window = new StreamingWindow(geometry)
    this.now = hooks.now ?? Date.now
  }

  get size (): number { return this.readers.size }

  /** The reader `id` reads from `position` next. A read right after its last one counts to its
   *  rate; anything else is a seek (or a new reader), which starts its rate afresh. */
  move (id: string, position: number): void {
    const known = this.readers.get(id)
    const gap = known === undefined ? -1 : position - known.position
    const continues = known !== undefined && gap >= 0 && gap <= SEEK_GAP_BYTES
    const reader = continues ? known : { position, meter: new RateMeter(this.now) }
    if (continues) reader.meter.add(gap)
    reader.position = position
    this.readers.set(id, reader)
    const { urgent, cancel } = this.window.move({ id, position, bytesPerSecond: this.rateOf(reader) }, this.state())
    this.setUrgent(urgent)
    const abandoned = cancel.length > 0 ? this.hooks.abandon(cancel) : []
    if (!continues || abandoned.length > 0) this.hooks.onReader({ ...this.statsOf(id, reader), kind: known === undefined ? 'open' : 'seek', abandoned })
  }

  /** The reader is gone (its response finished or its client left). */
  leave (id: string): void {
    const reader = this.readers.get(id)
    if (reader === undefined) return
    this.readers.delete(id)
    const { urgent, cancel } = this.window.remove(id, this.state())
    this.setUrgent(urgent)
    const abandoned = cancel.length > 0 ? this.hooks.abandon(cancel) : []
    this.hooks.onReader({ ...this.statsOf(id, reader), kind: 'close', abandoned })
  }

  stats (): ReaderStats[] {
    return [...this.readers].map(([id, reader]) => this.statsOf(id, reader))
  }

  private statsOf (id: string, reader: Reader): ReaderStats {
    const { pieceBytes, totalBytes } = this.geometry
    const bytesPerSecond = this.rateOf(reader)
    const position = Math.min(reader.position, Math.max(0, totalBytes - 1))
    const end = Math.min(totalBytes, position + windowBytes(bytesPerSecond))
    return {
      id,
      position: reader.position,
      bytesPerSecond,
      firstPiece: Math.floor(position / pieceBytes),
      lastPiece: Math.max(0, Math.ceil(end / pieceBytes) - 1)
    }
  }

  private setUrgent (urgent: readonly UrgentPiece[]): void {
    const { pieces, imminent, inOrder } = urgentOrder(urgent)
    this.hooks.setUrgent(pieces, imminent, inOrder)
  }

  private rateOf (reader: Reader): number { return Math.round(reader.meter.rate) }

  private state (): { has: (piece: number) => boolean, inFlight: Iterable<number> } {
    return { has: this.hooks.has, inFlight: this.hooks.inFlight() }
  }
}

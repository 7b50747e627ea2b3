// The pieces a new pick may start, bucketed by priority and availability, so a pick looks at
// the best bucket first instead of scanning every piece (webtorrent#2150 scans them all per
// pick; libtorrent keeps its pieces sorted into priority buckets the same way). Pure.
//
// A piece is a candidate while it is selected (priority > 0) and nobody has started it: the
// picker removes it when it starts the piece and puts it back only when an abandoned urgent
// piece is dropped unstarted (a failed piece is fetched again through the refetch list). Each candidate sits in one bucket of its
// priority level by availability, and in the level's bucket of all candidates (random-first
// ignores availability); moves between buckets are O(1).

import { EXACT_TIE_BREAK_PIECES } from '../constants.js'

/** Pieces held by this many peers or more share one bucket: rarity among that many holders
 *  means nothing, and the bucket array stays small whatever the counts. */
const TOP_AVAILABILITY_BUCKET = 255

/** An unordered set of pieces with O(1) add, remove and indexed access (swap-remove). The
 *  position of each piece is kept in an array shared by all sets of one kind: a piece is in
 *  at most one of them. */
class PieceSet {
  readonly items: number[] = []
  private readonly positions: Int32Array

  constructor (positions: Int32Array) {
    this.positions = positions
  }

  get size (): number { return this.items.length }

  add (piece: number): void {
    this.positions[piece] = this.items.length
    this.items.push(piece)
  }

  remove (piece: number): void {
    const at = this.positions[piece]!
    const last = this.items.pop()!
    if (last !== piece) {
      this.items[at] = last
      this.positions[last] = at
    }
  }
}

/** The candidates of one priority. */
interface Level {
  priority: number
  all: PieceSet
  byAvailability: PieceSet[]
}

/** Whether a candidate may go to this peer now (held by it; not stale). */
export type Eligible = (piece: number) => boolean

export class PieceBuckets {
  private readonly availability: Uint32Array
  private readonly random: () => number
  /** Priority each candidate is filed under (0: not a candidate). */
  private readonly filedPriority: Uint8Array
  /** Availability bucket each candidate is filed under. */
  private readonly filedAvailability: Uint8Array
  private readonly allPositions: Int32Array
  private readonly bucketPositions: Int32Array
  /** Levels by descending priority. */
  private readonly levels: Level[] = []
  private readonly scratch: number[] = []
  private count = 0

  constructor (pieceCount: number, availability: Uint32Array, random: () => number) {
    this.availability = availability
    this.random = random
    this.filedPriority = new Uint8Array(pieceCount)
    this.filedAvailability = new Uint8Array(pieceCount)
    this.allPositions = new Int32Array(pieceCount)
    this.bucketPositions = new Int32Array(pieceCount)
  }

  /** Candidates, of every priority. */
  get size (): number { return this.count }

  has (piece: number): boolean { return this.filedPriority[piece] !== 0 }

  /** The priority the piece is filed under (0 when it is no candidate). */
  priorityOf (piece: number): number { return this.filedPriority[piece]! }

  /** Files the piece under `priority` (0: it is no candidate). */
  add (piece: number, priority: number): void {
    if (priority === 0 || this.has(piece)) return
    const level = this.level(priority)
    const availability = bucketOf(this.availability[piece]!)
    this.filedPriority[piece] = priority
    this.filedAvailability[piece] = availability
    level.all.add(piece)
    this.bucket(level, availability).add(piece)
    this.count++
  }

  remove (piece: number): void {
    const priority = this.filedPriority[piece]!
    if (priority === 0) return
    const level = this.level(priority)
    level.all.remove(piece)
    level.byAvailability[this.filedAvailability[piece]!]!.remove(piece)
    this.filedPriority[piece] = 0
    this.count--
  }

  /** The piece's availability count changed: it moves to its new bucket. */
  availabilityChanged (piece: number): void {
    const priority = this.filedPriority[piece]!
    const availability = bucketOf(this.availability[piece]!)
    if (priority === 0 || this.filedAvailability[piece] === availability) return
    const level = this.level(priority)
    level.byAvailability[this.filedAvailability[piece]!]!.remove(piece)
    this.bucket(level, availability).add(piece)
    this.filedAvailability[piece] = availability
  }

  /** The best candidate `eligible` accepts: the highest priority, then (unless `ignoreAvailability`)
   *  the lowest availability, ties broken at random; -1 if none. */
  pick (eligible: Eligible, ignoreAvailability: boolean): number {
    for (const level of this.levels) {
      if (level.all.size === 0) continue
      if (ignoreAvailability) {
        const piece = this.choose(level.all, eligible)
        if (piece !== -1) return piece
        continue
      }
      for (const bucket of level.byAvailability) {
        if (bucket === undefined || bucket.size === 0) continue
        const piece = this.choose(bucket, eligible)
        if (piece !== -1) return piece
      }
    }
    return -1
  }

  /** A random eligible piece of the set. A small set is scanned whole in piece order with
   *  reservoir sampling (one random() per tie: exact, and reproducible with a seeded random);
   *  a large one from a random position to the first eligible piece, which is uniform when
   *  every piece is eligible (a seeder) and O(1) then. */
  private choose (set: PieceSet, eligible: Eligible): number {
    const items = set.items
    const n = items.length
    if (n <= EXACT_TIE_BREAK_PIECES) {
      const ties = this.scratch
      ties.length = 0
      for (let i = 0; i < n; i++) if (eligible(items[i]!)) ties.push(items[i]!)
      if (ties.length === 0) return -1
      ties.sort((a, b) => a - b)
      let best = ties[0]!
      for (let i = 1; i < ties.length; i++) if (this.random() * (i + 1) < 1) best = ties[i]!
      return best
    }
    const start = Math.floor(this.random() * n)
    for (let i = 0; i < n; i++) {
      const piece = items[(start + i) % n]!
      if (eligible(piece)) return piece
    }
    return -1
  }

  private level (priority: number): Level {
    let level = this.levels.find((l) => l.priority === priority)
    if (level === undefined) {
      level = { priority, all: new PieceSet(this.allPositions), byAvailability: [] }
      this.levels.push(level)
      this.levels.sort((a, b) => b.priority - a.priority)
    }
    return level
  }

  private bucket (level: Level, availability: number): PieceSet {
    let bucket = level.byAvailability[availability]
    if (bucket === undefined) {
      // Fill the gap so the array stays dense (iterated in availability order).
      for (let a = level.byAvailability.length; a <= availability; a++) level.byAvailability[a] ??= new PieceSet(this.bucketPositions)
      bucket = level.byAvailability[availability]!
    }
    return bucket
  }
}

function bucketOf (availability: number): number {
  return Math.min(availability, TOP_AVAILABILITY_BUCKET)
}

// The block bookkeeping of one piece being downloaded: how many requests are outstanding for
// each block and which blocks have arrived. The bytes themselves live with the downloader.

import type { BlockRange } from '../types.js'

/** `requests` value of a block that has arrived: no request for it counts any more. */
const RECEIVED = 0xffff

export class PartialPiece {
  readonly piece: number
  readonly length: number
  /** The one peer this piece is fetched from (a piece that failed its hash is fetched again
   *  from a single peer, so a second failure names its sender), or null: anyone. */
  owner: string | null = null
  private readonly blockBytes: number
  /** Outstanding requests per block (endgame asks several peers), or RECEIVED. */
  private readonly requests: Uint16Array
  private received = 0
  /** Blocks neither requested nor received: lets the picker test for endgame in O(1). */
  private unrequested: number
  /** Blocks before this index are all requested or received: picks resume here. */
  private cursor = 0

  constructor (piece: number, length: number, blockBytes: number) {
    this.piece = piece
    this.length = length
    this.blockBytes = blockBytes
    this.requests = new Uint16Array(Math.ceil(length / blockBytes))
    this.unrequested = this.requests.length
  }

  get hasUnrequested (): boolean { return this.unrequested > 0 }

  /** Blocks that have arrived. */
  get receivedCount (): number { return this.received }

  /** Marks up to `max` blocks nobody was asked for as requested and returns them. */
  takeUnrequested (max: number): BlockRange[] {
    const taken: BlockRange[] = []
    for (let i = this.cursor; i < this.requests.length && taken.length < max && this.unrequested > 0; i++) {
      if (this.requests[i] !== 0) continue
      this.requests[i] = 1
      this.unrequested--
      taken.push(this.range(i))
    }
    while (this.cursor < this.requests.length && this.requests[this.cursor] !== 0) this.cursor++
    return taken
  }

  /** Endgame: adds one more request to up to `max` blocks that have exactly `requests`
   *  outstanding, skipping those `skip` rejects (already asked of this peer). */
  takeDuplicates (max: number, requests: number, skip: (offset: number) => boolean): BlockRange[] {
    const taken: BlockRange[] = []
    for (let i = 0; i < this.requests.length && taken.length < max; i++) {
      if (this.requests[i] !== requests || skip(i * this.blockBytes)) continue
      this.requests[i]!++
      taken.push(this.range(i))
    }
    return taken
  }

  /** Outstanding requests for the block (0 once received). */
  requestsOf (offset: number): number {
    const i = this.indexOf(offset)
    if (i === -1 || this.requests[i] === RECEIVED) return 0
    return this.requests[i]!
  }

  isMissing (offset: number): boolean {
    const i = this.indexOf(offset)
    return i !== -1 && this.requests[i] !== RECEIVED
  }

  /** Returns true when this was the last block. Counts whoever sent it: the requests still
   *  outstanding for it elsewhere are moot. */
  markReceived (offset: number): boolean {
    const i = this.indexOf(offset)
    if (i === -1 || this.requests[i] === RECEIVED) return false
    if (this.requests[i] === 0) this.unrequested--
    this.requests[i] = RECEIVED
    this.received++
    return this.received === this.requests.length
  }

  /** One request will not be answered; the block is free again once none is outstanding. */
  release (offset: number): void {
    const i = this.indexOf(offset)
    if (i === -1 || this.requests[i] === RECEIVED || this.requests[i] === 0) return
    this.requests[i]!--
    if (this.requests[i] !== 0) return
    this.unrequested++
    if (i < this.cursor) this.cursor = i
  }

  private range (i: number): BlockRange {
    return { piece: this.piece, offset: i * this.blockBytes, length: Math.min(this.blockBytes, this.length - i * this.blockBytes) }
  }

  private indexOf (offset: number): number {
    if (offset % this.blockBytes !== 0) return -1
    const i = offset / this.blockBytes
    return i >= 0 && i < this.requests.length ? i : -1
  }
}

// Who sent the bad bytes of a piece that failed its hash (libtorrent's smart-ban). A piece
// with one sender: that sender, at once. With several, nobody can tell yet, so each block's
// digest is remembered with who sent it; once the piece verifies (fetched again), a block
// whose remembered digest differs from the good one names its sender exactly. An honest
// co-sender is never blamed: its blocks match. Pure: digests in, peer ids out.

import { SMART_BAN_MAX_PIECES } from '../constants.js'

/** One block of a finished piece: who sent it and the SHA-256 of what it sent. */
export interface BlockSource {
  sender: string
  digest: Buffer
}

export class SmartBan {
  /** Failed pieces awaiting a good copy: per block, every (sender, digest) seen. */
  private readonly suspects = new Map<number, BlockSource[][]>()
  private readonly maxPieces: number

  constructor (maxPieces = SMART_BAN_MAX_PIECES) {
    this.maxPieces = maxPieces
  }

  /** Failed pieces remembered now (bounded by maxPieces). */
  get remembered (): number { return this.suspects.size }

  /** Whether a good copy of this piece should be compared (its block digests are wanted). */
  remembers (piece: number): boolean { return this.suspects.has(piece) }

  /** A piece failed. Returns who is to blame now: its only sender, or nobody yet. */
  onFailed (piece: number, blocks: readonly BlockSource[]): string[] {
    const senders = new Set(blocks.map((b) => b.sender))
    if (senders.size === 1) return [...senders]
    let record = this.suspects.get(piece)
    if (record === undefined) {
      if (this.suspects.size >= this.maxPieces) this.suspects.delete(this.suspects.keys().next().value!)
      record = blocks.map(() => [])
      this.suspects.set(piece, record)
    }
    blocks.forEach((block, i) => {
      const seen = record[i]
      if (seen !== undefined && !seen.some((s) => s.sender === block.sender && s.digest.equals(block.digest))) seen.push(block)
    })
    return []
  }

  /** The piece verified with these block digests: returns every sender whose remembered
   *  block differed (each once), and forgets the piece. */
  onVerified (piece: number, good: readonly Buffer[]): string[] {
    const record = this.suspects.get(piece)
    if (record === undefined) return []
    this.suspects.delete(piece)
    const liars = new Set<string>()
    record.forEach((seen, i) => {
      for (const s of seen) if (good[i] === undefined || !s.digest.equals(good[i])) liars.add(s.sender)
    })
    return [...liars]
  }
}

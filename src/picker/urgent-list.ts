// The urgent pieces as the picker takes them (PiecePicker.setUrgent): readers' next pieces in
// deadline order, then two groups taken rarest first, each in an order shuffled once per list
// for its random tie-break (drawn once a list, not on every pick: every block that arrives).
// Pure: numbers in, numbers out.

export class UrgentList {
  /** Every urgent piece, most urgent first. */
  pieces: readonly number[] = []
  /** How many of them, from the first, go strictly in that order. */
  inOrder = 0
  /** The other imminent ones, then the rest of the window: each group shuffled. */
  imminent: readonly number[] = []
  later: readonly number[] = []
  private members: ReadonlySet<number> = new Set()

  constructor (private readonly random: () => number) {}

  /** Replaces the list: the first `inOrder` of `pieces` in order, up to `imminent` the next
   *  group, the rest the last; pieces outside 0..pieceCount-1 are dropped. */
  replace (pieces: readonly number[], pieceCount: number, imminent: number, inOrder: number): void {
    const urgent = pieces.filter((piece) => Number.isInteger(piece) && piece >= 0 && piece < pieceCount)
    const imminentEnd = Math.min(imminent, urgent.length)
    this.pieces = urgent
    this.inOrder = Math.min(inOrder, imminentEnd)
    this.imminent = this.shuffled(urgent.slice(this.inOrder, imminentEnd))
    this.later = this.shuffled(urgent.slice(imminentEnd))
    this.members = new Set(urgent)
  }

  has (piece: number): boolean { return this.members.has(piece) }

  private shuffled (pieces: number[]): number[] {
    for (let i = pieces.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1))
      const swap = pieces[i]!
      pieces[i] = pieces[j]!
      pieces[j] = swap
    }
    return pieces
  }
}

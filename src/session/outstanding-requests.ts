// Our requests outstanding with one peer, keyed by piece and offset, with the bytes they
// add up to (the in-flight window is counted in bytes).

import type { BlockRange } from '../types.js'

export interface OutstandingRequest extends BlockRange {
  sentAt: number
}

const keyOf = (piece: number, offset: number): string => `${piece}:${offset}`

export class OutstandingRequests {
  private readonly byKey = new Map<string, OutstandingRequest>()
  /** Bytes requested and not yet received, rejected or withdrawn. */
  bytes = 0

  get size (): number { return this.byKey.size }

  has (piece: number, offset: number): boolean { return this.byKey.has(keyOf(piece, offset)) }

  add (request: OutstandingRequest): void {
    const key = keyOf(request.piece, request.offset)
    const previous = this.byKey.get(key)
    if (previous !== undefined) this.bytes -= previous.length
    this.byKey.set(key, request)
    this.bytes += request.length
  }

  /** Removes the request; false when there was none. */
  delete (piece: number, offset: number): boolean {
    const key = keyOf(piece, offset)
    const request = this.byKey.get(key)
    if (request === undefined) return false
    this.byKey.delete(key)
    this.bytes -= request.length
    return true
  }

  values (): IterableIterator<OutstandingRequest> { return this.byKey.values() }

  clear (): void {
    this.byKey.clear()
    this.bytes = 0
  }
}

import { describe, expect, it } from 'vitest'
import { StreamingWindow, staleRequests, type UrgentPiece, urgentOrder, urgentPieces, windowBytes } from '../../../src/picker/streaming-window.js'
import { STREAM_DEFAULT_READ_BYTES_PER_S, STREAM_IMMINENT_MS, STREAM_IN_ORDER_PIECES, STREAM_WINDOW_MAX_BYTES, STREAM_WINDOW_MIN_BYTES, STREAM_WINDOW_SECONDS } from '../../../src/constants.js'

const MiB = 1024 * 1024
const geometry = { pieceBytes: MiB, totalBytes: 1024 * MiB } // 1,024 pieces
const none = (): boolean => false
const pieces = (list: Array<{ piece: number }>): number[] => list.map(u => u.piece)

describe('windowBytes', () => {
  it('follows the reader\'s rate, within bounds', () => {
    expect(windowBytes(1 * MiB)).toBe(STREAM_WINDOW_SECONDS * MiB)
    expect(windowBytes(3 * MiB)).toBe(STREAM_WINDOW_SECONDS * 3 * MiB)
    expect(windowBytes(1)).toBe(STREAM_WINDOW_MIN_BYTES)
    expect(windowBytes(1000 * MiB)).toBe(STREAM_WINDOW_MAX_BYTES)
    expect(windowBytes(0)).toBe(Math.max(STREAM_WINDOW_MIN_BYTES, STREAM_DEFAULT_READ_BYTES_PER_S * STREAM_WINDOW_SECONDS))
  })
})

describe('urgentPieces', () => {
  it('lists the missing pieces ahead of the reader in deadline order, nothing outside', () => {
    const urgent = urgentPieces({ readers: [{ id: 'a', position: 100 * MiB + 5, bytesPerSecond: MiB }], geometry, has: p => p === 102 })
    // 10 s at 1 MiB/s from 100 MiB + 5 reaches into piece 110
    expect(pieces(urgent)).toEqual([100, 101, 103, 104, 105, 106, 107, 108, 109, 110])
    expect(urgent[0]!.deadlineMs).toBe(0)
    expect(urgent[1]!.deadlineMs).toBe(Math.round(((MiB - 5) / MiB) * 1000))
    expect(urgent.every(u => u.reader === 'a')).toBe(true)
  })

  it('merges several readers (head and a probe of the end), earliest deadline first', () => {
    const urgent = urgentPieces({
      readers: [{ id: 'head', position: 0, bytesPerSecond: MiB }, { id: 'tail', position: 1020 * MiB, bytesPerSecond: MiB }],
      geometry,
      has: none
    })
    expect(new Set(pieces(urgent))).toEqual(new Set([...Array(10).keys(), 1020, 1021, 1022, 1023]))
    expect(pieces(urgent).slice(0, 2)).toEqual([0, 1020])
    const deadlines = urgent.map(u => u.deadlineMs)
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b))
  })

  it('is empty when the reader is at the end or the window is held', () => {
    expect(urgentPieces({ readers: [{ id: 'a', position: geometry.totalBytes, bytesPerSecond: MiB }], geometry, has: none })).toEqual([])
    expect(urgentPieces({ readers: [{ id: 'a', position: 0, bytesPerSecond: MiB }], geometry, has: () => true })).toEqual([])
  })

  it('grows with the reader\'s rate only, bounded: a fast download does not make it sequential', () => {
    const at = (rate: number): number => urgentPieces({ readers: [{ id: 'a', position: 0, bytesPerSecond: rate }], geometry, has: none }).length
    expect(at(MiB)).toBe(10)
    expect(at(4 * MiB)).toBe(40)
    expect(at(1000 * MiB)).toBe(STREAM_WINDOW_MAX_BYTES / MiB)
  })
})

describe('urgentOrder', () => {
  it('puts each reader\'s next pieces first, then the imminent ones, then the rest, each in deadline order', () => {
    const quarter = { pieceBytes: MiB / 4, totalBytes: 1024 * MiB }
    const urgent = urgentPieces({
      readers: [{ id: 'head', position: 0, bytesPerSecond: MiB }, { id: 'tail', position: 100 * MiB / 4 + 5, bytesPerSecond: MiB }],
      geometry: quarter,
      has: p => p === 1 // the head's next missing pieces are 0 and 2
    })
    const order = urgentOrder(urgent)
    expect(STREAM_IN_ORDER_PIECES).toBe(2)
    expect(STREAM_IMMINENT_MS).toBe(1500)
    expect(order.inOrder).toBe(4)
    expect(order.pieces.slice(0, 4)).toEqual([0, 100, 101, 2])
    // Due within 1.5 s at 1 MiB/s (a piece every 250 ms): the head's 3–6, the tail's 102–106
    // (the tail is 5 bytes into piece 100: its deadlines come 5 µs sooner, ties by index)
    expect(order.imminent).toBe(13)
    expect(order.pieces.slice(4, 13)).toEqual([102, 3, 103, 4, 104, 5, 105, 6, 106])
    // then the rest of both windows, in deadline order
    expect(order.pieces.slice(13)).toEqual(pieces(urgent).filter((p) => !order.pieces.slice(0, 13).includes(p)))
    expect(order.pieces.slice(13, 17)).toEqual([7, 107, 8, 108])
    expect(new Set(order.pieces)).toEqual(new Set(pieces(urgent)))
  })
})

describe('StreamingWindow', () => {
  it('follows reads: pieces passed leave the window, new ones join', () => {
    const window = new StreamingWindow(geometry)
    const held = new Set<number>()
    const state = { has: (p: number) => held.has(p), inFlight: [] }
    expect(pieces(window.move({ id: 'a', position: 0, bytesPerSecond: MiB }, state).urgent)).toEqual([...Array(10).keys()])
    held.add(0); held.add(1); held.add(2)
    const next = window.move({ id: 'a', position: 3 * MiB, bytesPerSecond: MiB }, state)
    expect(pieces(next.urgent)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    expect(next.cancel).toEqual([])
  })

  it('a seek moves the window at once and lists stale in-flight pieces to cancel', () => {
    const window = new StreamingWindow(geometry)
    const inFlight = [0, 1, 2, 500, 700]
    const state = { has: none, inFlight }
    window.move({ id: 'a', position: 0, bytesPerSecond: MiB }, state)
    const seek = window.move({ id: 'a', position: 600 * MiB, bytesPerSecond: MiB }, state)
    expect(pieces(seek.urgent)[0]).toBe(600)
    expect(seek.urgent.every(u => u.piece >= 600 && u.piece < 610)).toBe(true)
    // 500 and 700 were never urgent: rarest-first chose them, they stay
    expect(seek.cancel).toEqual([0, 1, 2])
  })

  it('a reader leaving makes its window stale, another reader\'s stays', () => {
    const window = new StreamingWindow(geometry)
    const state = { has: none, inFlight: [0, 1020] }
    window.move({ id: 'head', position: 0, bytesPerSecond: MiB }, state)
    window.move({ id: 'tail', position: 1020 * MiB, bytesPerSecond: MiB }, state)
    const left = window.remove('tail', state)
    expect(left.cancel).toEqual([1020])
    expect(pieces(left.urgent)).toEqual([...Array(10).keys()])
  })

  it('staleRequests keeps only pieces that were urgent and are in flight', () => {
    const u = (piece: number): UrgentPiece => ({ piece, deadlineMs: 0, reader: 'a', rank: 0 })
    expect(staleRequests([u(1), u(2), u(3)], [u(3)], [3, 2, 9, 2])).toEqual([2])
  })
})

import { describe, expect, it } from 'vitest'
import { Layout } from '../../../src/storage/layout.js'
import type { FileSpan, Info } from '../../../src/types.js'

function layoutOf (lengths: number[], pieceSize = 16): Layout {
  const files = lengths.length === 1 && lengths[0]! >= 0
    ? [{ path: [], length: lengths[0]! }]
    : lengths.map((length, i) => ({ path: [`f${i}`], length }))
  const info: Info = { name: 'x', pieceSize, files, pieceHashes: Buffer.alloc(0) }
  return new Layout(info)
}

const span = (file: number, fileOffset: number, length: number): FileSpan => ({ file, fileOffset, length })

/** The obvious linear walk, to check the binary search against. */
function naiveSpans (lengths: number[], offset: number, length: number): FileSpan[] {
  const spans: FileSpan[] = []
  let start = 0
  for (let file = 0; file < lengths.length; file++) {
    const end = start + lengths[file]!
    const from = Math.max(start, offset)
    const to = Math.min(end, offset + length)
    if (to > from) spans.push(span(file, from - start, to - from))
    start = end
  }
  return spans
}

describe('Layout.spans', () => {
  const cases: Array<{ what: string, lengths: number[], offset: number, length: number, spans: FileSpan[] }> = [
    { what: 'single file, whole', lengths: [100], offset: 0, length: 100, spans: [span(0, 0, 100)] },
    { what: 'single file, middle', lengths: [100], offset: 40, length: 7, spans: [span(0, 40, 7)] },
    { what: 'several files, inside one', lengths: [10, 20, 30], offset: 12, length: 5, spans: [span(1, 2, 5)] },
    { what: 'several files, exactly one file', lengths: [10, 20, 30], offset: 10, length: 20, spans: [span(1, 0, 20)] },
    { what: 'across two files', lengths: [10, 20, 30], offset: 5, length: 10, spans: [span(0, 5, 5), span(1, 0, 5)] },
    { what: 'across three files', lengths: [10, 20, 30], offset: 5, length: 30, spans: [span(0, 5, 5), span(1, 0, 20), span(2, 0, 5)] },
    { what: 'up to the very end', lengths: [10, 20, 30], offset: 55, length: 5, spans: [span(2, 25, 5)] },
    { what: 'zero-length files in between', lengths: [10, 0, 0, 20, 0], offset: 8, length: 4, spans: [span(0, 8, 2), span(3, 0, 2)] },
    { what: 'starting at a zero-length file', lengths: [10, 0, 0, 20, 0], offset: 10, length: 5, spans: [span(3, 0, 5)] },
    { what: 'zero-length files first and last', lengths: [0, 0, 7, 0], offset: 0, length: 7, spans: [span(2, 0, 7)] },
    { what: 'everything, zero-length files skipped', lengths: [3, 0, 4, 0, 5], offset: 0, length: 12, spans: [span(0, 0, 3), span(2, 0, 4), span(4, 0, 5)] },
    { what: 'an empty range', lengths: [10, 20], offset: 10, length: 0, spans: [] },
    { what: 'an empty range at the end', lengths: [10, 20], offset: 30, length: 0, spans: [] }
  ]
  for (const c of cases) {
    it(c.what, () => {
      expect(layoutOf(c.lengths).spans(c.offset, c.length)).toEqual(c.spans)
    })
  }

  it('agrees with a linear walk on random layouts and ranges', () => {
    let seed = 42
    const random = (n: number): number => { // small deterministic LCG: reproducible failures
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    for (let round = 0; round < 300; round++) {
      const lengths = Array.from({ length: 2 + random(12) }, () => random(3) === 0 ? 0 : random(50))
      const total = lengths.reduce((a, b) => a + b, 0)
      const layout = layoutOf(lengths)
      for (let probe = 0; probe < 20; probe++) {
        const offset = random(total + 1)
        const length = random(total - offset + 1)
        expect(layout.spans(offset, length)).toEqual(naiveSpans(lengths, offset, length))
      }
    }
  })

  it('finds files in a 100,000-file share', () => {
    const lengths = Array.from({ length: 100_000 }, (_, i) => i % 3) // 0, 1, 2, 0, 1, 2…, 0
    const layout = layoutOf(lengths)
    expect(layout.totalBytes).toBe(99_999)
    // Content byte 3k is the only byte of file 3k+1; bytes 3k+1, 3k+2 are file 3k+2.
    for (const k of [0, 1, 12_345, 33_332]) {
      expect(layout.spans(3 * k, 3)).toEqual([span(3 * k + 1, 0, 1), span(3 * k + 2, 0, 2)])
    }
    expect(layout.fileRange(99_998)).toEqual({ start: 99_997, end: 99_999 })
    expect(layout.fileRange(99_999)).toEqual({ start: 99_999, end: 99_999 })
  })

  it.each([
    [-1, 1],
    [0, 61],
    [60, 1],
    [0.5, 1],
    [0, -1]
  ])('refuses range (%d, %d) outside the content', (offset, length) => {
    expect(() => layoutOf([10, 20, 30]).spans(offset, length)).toThrow(RangeError)
  })
})

describe('Layout pieces', () => {
  it.each([
    { what: 'first piece inside the first file', piece: 0, spans: [span(0, 0, 16)] },
    { what: 'a piece across three files', piece: 1, spans: [span(0, 16, 4), span(2, 0, 5), span(3, 0, 7)] },
    { what: 'the short last piece', piece: 2, spans: [span(3, 7, 3)] }
  ])('$what', ({ piece, spans }) => {
    // 20 + 0 + 5 + 10 = 35 bytes in pieces of 16: 16, 16, 3.
    const layout = layoutOf([20, 0, 5, 10], 16)
    expect(layout.pieceCount).toBe(3)
    expect(layout.pieceSpans(piece)).toEqual(spans)
    expect(layout.pieceLength(piece)).toBe(spans.reduce((sum, s) => sum + s.length, 0))
  })

  it('last piece of a single file', () => {
    const layout = layoutOf([100], 32)
    expect(layout.pieceCount).toBe(4)
    expect(layout.pieceSpans(3)).toEqual([span(0, 96, 4)])
  })

  it('refuses pieces out of range', () => {
    const layout = layoutOf([100], 32)
    expect(() => layout.pieceSpans(4)).toThrow(RangeError)
    expect(() => layout.pieceSpans(-1)).toThrow(RangeError)
  })
})

describe('Layout.fileRange', () => {
  it.each([
    [0, { start: 0, end: 20 }],
    [1, { start: 20, end: 20 }],
    [2, { start: 20, end: 25 }],
    [3, { start: 25, end: 35 }]
  ])('file %d', (file, range) => {
    expect(layoutOf([20, 0, 5, 10]).fileRange(file)).toEqual(range)
  })

  it('refuses files out of range', () => {
    expect(() => layoutOf([20, 0, 5, 10]).fileRange(4)).toThrow(RangeError)
  })
})

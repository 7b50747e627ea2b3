import { describe, expect, it } from 'vitest'
import { pieceCells, renderPieceMap } from '../../../src/cli/view/piece-map.js'
import { stripAnsi, visibleWidth } from '../../../src/cli/view/text.js'
import { fold, metadata, midDownload, stats } from './fixtures.js'

const held = (...bits: number[]): Uint8Array => Uint8Array.from(bits)

describe('piece map', () => {
  it('a cell is held when all its pieces are, in flight when any is in flight or only some are held', () => {
    expect(pieceCells(held(1, 1, 1, 0, 0, 0, 0, 0), new Set([5]), 4)).toEqual(['held', 'flight', 'flight', 'missing'])
  })

  it('spreads fewer pieces than cells over the whole width', () => {
    expect(pieceCells(held(1, 0), new Set(), 6)).toEqual(['held', 'held', 'held', 'missing', 'missing', 'missing'])
  })

  it('covers every piece exactly once when scaling down', () => {
    const pieces = 1000
    for (const cells of [39, 79, 199]) {
      let covered = 0
      for (let i = 0; i < cells; i++) covered += Math.floor(((i + 1) * pieces) / cells) - Math.floor((i * pieces) / cells)
      expect(covered).toBe(pieces)
    }
  })

  it.each([40, 80, 200])('fills %i columns with held, in-flight and missing cells, never wider', (columns) => {
    const width = columns - 1
    const state = midDownload()
    for (const colour of [false, true]) {
      const line = renderPieceMap(state, width, colour)
      expect(visibleWidth(line)).toBe(width)
      expect(stripAnsi(line)).toMatch(/^[█▒·]+$/)
      expect(stripAnsi(line)).toContain('█')
      expect(stripAnsi(line)).toContain('▒')
    }
    expect(renderPieceMap(state, width, true)).toContain('\x1b[32m')
  })

  it('shows every piece held on a seeder', () => {
    const state = fold([metadata(96), { type: 'stats', data: stats({ have: 96, pieceCount: 96 }) }], 'share')
    expect(renderPieceMap(state, 79, false)).toBe('█'.repeat(79))
  })

  it('says when there is no map yet', () => {
    const line = renderPieceMap(fold([]), 39, false)
    expect(line).toMatch(/metadata/)
    expect(visibleWidth(line)).toBeLessThanOrEqual(39)
  })
})

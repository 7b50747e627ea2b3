import { describe, expect, it } from 'vitest'
import { cellGlyph, pieceCells, PIECE_MAP_MAX_ROWS, renderPieceMap } from '../../../src/cli/view/piece-map.js'
import { stripAnsi, visibleWidth } from '../../../src/cli/view/text.js'
import { fold, metadata, midDownload, stats } from './fixtures.js'

const held = (...bits: number[]): Uint8Array => Uint8Array.from(bits)
const glyphs = (bits: Uint8Array, flight: number[], cells: number): string => pieceCells(bits, new Set(flight), cells).map(cellGlyph).join('')

describe('piece map', () => {
  it('a cell shades by the fraction of its pieces held; in flight with none held is ░', () => {
    expect(glyphs(held(1, 1, 1, 0, 0, 0, 0, 0), [5], 4)).toBe('█▒░·')
    expect(glyphs(held(1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0), [], 4)).toBe('█▒░░')
    expect(glyphs(held(1, 1, 0, 0, 0, 0), [], 2)).toBe('▒·')
    expect(glyphs(held(1, 0, 0, 0, 1, 1, 1, 0), [], 2)).toBe('░▓')
    expect(pieceCells(held(1, 0, 0, 0), new Set([1]), 2)).toEqual([{ held: 0.5, flight: true }, { held: 0, flight: false }])
  })

  it('spreads fewer pieces than cells over the whole width', () => {
    expect(glyphs(held(1, 0), [], 6)).toBe('███···')
  })

  it('covers every piece exactly once when scaling down', () => {
    const pieces = 1000
    for (const cells of [39, 79, 199]) {
      let covered = 0
      for (let i = 0; i < cells; i++) covered += Math.floor(((i + 1) * pieces) / cells) - Math.floor((i * pieces) / cells)
      expect(covered).toBe(pieces)
    }
  })

  it('46 % of 768 pieces in 99 columns is no longer one uniform row', () => {
    // Every other run of 13 pieces held, as rarest-first leaves it: not a cell-aligned pattern.
    const bits = Uint8Array.from({ length: 768 }, (_, i) => Math.floor(i / 13) % 2 === 0 && i < 720 ? 1 : 0)
    const row = glyphs(bits, [], 99)
    expect(new Set(row).size).toBeGreaterThanOrEqual(3)
    expect(row).toMatch(/█/)
    expect(row).toMatch(/[░▒▓]/)
  })

  it.each([40, 80, 200])('fills %i columns, never wider, one row when only one is given', (columns) => {
    const width = columns - 1
    const state = midDownload()
    for (const colour of [false, true]) {
      const lines = renderPieceMap(state, width, colour)
      expect(lines).toHaveLength(1)
      expect(visibleWidth(lines[0]!)).toBe(width)
      expect(stripAnsi(lines[0]!)).toMatch(/^[█▓▒░·]+$/)
      expect(stripAnsi(lines[0]!)).toContain('█')
    }
    expect(renderPieceMap(state, width, true)[0]).toContain('\x1b[32m')
  })

  it('with room, one cell per piece over several rows: exactly the held pieces are █', () => {
    const state = midDownload(300) // held: runs of 37 out of every 111
    const lines = renderPieceMap(state, 100, false, PIECE_MAP_MAX_ROWS).map(stripAnsi)
    expect(lines).toHaveLength(3)
    const cells = lines.join('').slice(0, 300)
    for (let piece = 0; piece < 300; piece++) {
      expect(cells[piece] === '█', `piece ${piece}`).toBe(state.held[piece] === 1)
    }
    expect(lines.every((line) => visibleWidth(line) <= 100)).toBe(true)
  })

  it('more pieces than fit in the rows: scaled over every cell of them, shaded', () => {
    const lines = renderPieceMap(midDownload(1000), 79, false, 2).map(stripAnsi)
    expect(lines).toHaveLength(2)
    expect(lines.every((line) => visibleWidth(line) === 79)).toBe(true)
  })

  it('shows every piece held on a seeder', () => {
    const state = fold([metadata(96), { type: 'stats', data: stats({ have: 96, pieceCount: 96 }) }], 'share')
    expect(renderPieceMap(state, 79, false)).toEqual(['█'.repeat(79)])
  })

  it('says when there is no map yet', () => {
    const lines = renderPieceMap(fold([]), 39, false)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/metadata/)
    expect(visibleWidth(lines[0]!)).toBeLessThanOrEqual(39)
  })
})

// The piece map: the content's pieces laid over the cells of one or more rows, so the order
// in which the file fills in (random first, then rarest first) shows. With room, one cell
// per piece over as many rows as that takes; with fewer pieces than cells, several cells per
// piece; with more pieces than cells, each cell shades by the fraction of its pieces held
// (· ░ ▒ ▓ █), so a map of thousands of pieces at 46 % is not one uniform row. While the
// content streams, each reader's position is ▶ and its window ahead is cyan.

import type { ReaderStats } from '../../session/events.js'
import type { ViewState } from './state.js'
import { fitLine, type Span, span } from './text.js'
import type { Style } from './colour.js'

/** What one cell stands for: the fraction of its pieces held, whether any is in flight, and
 *  whether a reader is there (`reader`) or its window covers the cell (`window`). */
export interface Cell { held: number, flight: boolean, stream?: 'reader' | 'window' }

/** A reader's piece and its window's pieces, as the map marks them. */
export type ReaderSpan = Pick<ReaderStats, 'firstPiece' | 'lastPiece'>

/** Most rows the map takes when the terminal has room (one cell per piece up to this). */
export const PIECE_MAP_MAX_ROWS = 4

/** Cell i covers pieces [⌊i·P/C⌋, ⌊(i+1)·P/C⌋), at least one. */
export function pieceCells (held: Uint8Array, inFlight: ReadonlySet<number>, cells: number, readers: readonly ReaderSpan[] = []): Cell[] {
  const pieces = held.length
  if (pieces === 0 || cells <= 0) return []
  const out: Cell[] = []
  for (let i = 0; i < cells; i++) {
    const start = Math.floor((i * pieces) / cells)
    const end = Math.max(start + 1, Math.floor(((i + 1) * pieces) / cells))
    let have = 0
    let flight = false
    for (let p = start; p < end; p++) {
      have += held[p]!
      if (inFlight.has(p)) flight = true
    }
    const cell: Cell = { held: have / (end - start), flight }
    const stream = streamMark(readers, start, end)
    if (stream !== null) cell.stream = stream
    out.push(cell)
  }
  return out
}

/** `reader` when a reader's piece lies in [start, end), `window` when its window overlaps it. */
function streamMark (readers: readonly ReaderSpan[], start: number, end: number): 'reader' | 'window' | null {
  let mark: 'window' | null = null
  for (const r of readers) {
    if (r.firstPiece >= start && r.firstPiece < end) return 'reader'
    if (r.firstPiece < end && r.lastPiece >= start) mark = 'window'
  }
  return mark
}

/** ▶ a reader is there, █ all held, · none (░ when some are in flight), ░ ▒ ▓ for a third,
 *  two thirds, more. */
export function cellGlyph (cell: Cell): string {
  if (cell.stream === 'reader') return '▶'
  if (cell.held === 1) return '█'
  if (cell.held === 0) return cell.flight ? '░' : '·'
  return cell.held <= 1 / 3 ? '░' : cell.held <= 2 / 3 ? '▒' : '▓'
}

function cellStyle (cell: Cell): Style {
  if (cell.stream === 'reader') return 'bold'
  if (cell.held === 1) return 'green'
  if (cell.stream === 'window') return 'cyan'
  if (cell.flight) return 'yellow'
  return cell.held > 0 ? 'green' : 'dim'
}

/** The map in at most `maxRows` lines of `width`: one cell per piece when that fits. */
export function renderPieceMap (state: ViewState, width: number, colourOn: boolean, maxRows = 1): string[] {
  if (state.content === null) return [fitLine([span('pieces: waiting for the metadata', 'dim')], width, colourOn)]
  const pieces = state.held.length
  const rows = Math.max(1, Math.min(maxRows, Math.ceil(pieces / width)))
  const cells = pieceCells(state.held, state.inFlight, rows === 1 ? width : Math.min(pieces, rows * width), state.stats?.readers ?? [])
  const lines: string[] = []
  for (let row = 0; row < rows; row++) lines.push(renderCells(cells.slice(row * width, (row + 1) * width), width, colourOn))
  return lines
}

function renderCells (cells: Cell[], width: number, colourOn: boolean): string {
  const spans: Span[] = []
  for (const cell of cells) {
    const glyph = cellGlyph(cell)
    const style = cellStyle(cell)
    const last = spans.at(-1)
    // Runs of one colour are one span: one colour code per run, not per cell.
    if (last !== undefined && last.style === style) last.text += glyph
    else spans.push(span(glyph, style))
  }
  return fitLine(spans, width, colourOn)
}

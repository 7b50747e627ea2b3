// The piece map: the content's pieces laid over the cells of one or more rows, so the order
// in which the file fills in (random first, then rarest first) shows. With room, one cell
// per piece over as many rows as that takes; with fewer pieces than cells, several cells per
// piece; with more pieces than cells, each cell shades by the fraction of its pieces held
// (· ░ ▒ ▓ █), so a map of thousands of pieces at 46 % is not one uniform row.

import type { ViewState } from './state.js'
import { fitLine, type Span, span } from './text.js'
import type { Style } from './colour.js'

/** What one cell stands for: the fraction of its pieces held, and whether any is in flight. */
export interface Cell { held: number, flight: boolean }

/** Most rows the map takes when the terminal has room (one cell per piece up to this). */
export const PIECE_MAP_MAX_ROWS = 4

/** Cell i covers pieces [⌊i·P/C⌋, ⌊(i+1)·P/C⌋), at least one. */
export function pieceCells (held: Uint8Array, inFlight: ReadonlySet<number>, cells: number): Cell[] {
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
    out.push({ held: have / (end - start), flight })
  }
  return out
}

/** █ all held, · none (░ when some are in flight), ░ ▒ ▓ for a third, two thirds, more. */
export function cellGlyph (cell: Cell): string {
  if (cell.held === 1) return '█'
  if (cell.held === 0) return cell.flight ? '░' : '·'
  return cell.held <= 1 / 3 ? '░' : cell.held <= 2 / 3 ? '▒' : '▓'
}

function cellStyle (cell: Cell): Style {
  if (cell.held === 1) return 'green'
  if (cell.flight) return 'yellow'
  return cell.held > 0 ? 'green' : 'dim'
}

/** The map in at most `maxRows` lines of `width`: one cell per piece when that fits. */
export function renderPieceMap (state: ViewState, width: number, colourOn: boolean, maxRows = 1): string[] {
  if (state.content === null) return [fitLine([span('pieces: waiting for the metadata', 'dim')], width, colourOn)]
  const pieces = state.held.length
  const rows = Math.max(1, Math.min(maxRows, Math.ceil(pieces / width)))
  const cells = pieceCells(state.held, state.inFlight, rows === 1 ? width : Math.min(pieces, rows * width))
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

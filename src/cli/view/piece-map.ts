// The piece map: the content's pieces scaled to the width, one cell for a run of pieces
// (or several cells for one piece when there are fewer pieces than cells), so the order in
// which the file fills in (random first, then rarest first) shows.

import type { ViewState } from './state.js'
import { fitLine, type Span, span } from './text.js'
import type { Style } from './colour.js'

export type Cell = 'held' | 'flight' | 'missing'

const GLYPHS: Record<Cell, string> = { held: '█', flight: '▒', missing: '·' }
const STYLES: Record<Cell, Style> = { held: 'green', flight: 'yellow', missing: 'dim' }

/** Cell i covers pieces [⌊i·P/W⌋, ⌊(i+1)·P/W⌋), at least one: held when all of them are, in
 *  flight when any is in flight or only some are held, missing otherwise. */
export function pieceCells (held: Uint8Array, inFlight: ReadonlySet<number>, cells: number): Cell[] {
  const pieces = held.length
  if (pieces === 0 || cells <= 0) return []
  const out: Cell[] = []
  for (let i = 0; i < cells; i++) {
    const start = Math.floor((i * pieces) / cells)
    const end = Math.max(start + 1, Math.floor(((i + 1) * pieces) / cells))
    let have = 0
    let flying = false
    for (let p = start; p < end; p++) {
      have += held[p]!
      if (inFlight.has(p)) flying = true
    }
    out.push(have === end - start ? 'held' : flying || have > 0 ? 'flight' : 'missing')
  }
  return out
}

export function renderPieceMap (state: ViewState, width: number, colourOn: boolean): string {
  if (state.content === null) return fitLine([span('pieces: waiting for the metadata', 'dim')], width, colourOn)
  const cells = pieceCells(state.held, state.inFlight, width)
  const spans: Span[] = []
  for (const cell of cells) {
    const last = spans.at(-1)
    // Runs of one kind are one span: one colour code per run, not per cell.
    if (last !== undefined && last.style === STYLES[cell]) last.text += GLYPHS[cell]
    else spans.push(span(GLYPHS[cell], STYLES[cell]))
  }
  return fitLine(spans, width, colourOn)
}

// The whole live view as lines for a terminal of a given size: header, overall bar, the stream
// line (when streaming), piece map, peer rows and a notice line, dropping the least useful when the height runs out.

import { renderLink, renderTitle } from './header.js'
import { renderOverall } from './overall.js'
import { renderPeerRows } from './peer-rows.js'
import { PIECE_MAP_MAX_ROWS, renderPieceMap } from './piece-map.js'
import type { ViewState } from './state.js'
import { renderStreamLine } from './stream-line.js'
import { fitLine, span, visibleWidth } from './text.js'

export interface ScreenSize {
  columns: number
  rows: number
}

/** Lines stay one cell short of the right edge: a character in the last column leaves the
 *  cursor pending a wrap, and the next erase would take the character with it. */
export const usableWidth = (columns: number): number => Math.max(1, columns - 1)

/** Lines the peer table keeps before the piece map takes a second row: its title and a few peers. */
const MIN_PEER_LINES = 4

export function renderScreen (state: ViewState, size: ScreenSize, colourOn: boolean): string[] {
  const width = usableWidth(size.columns)
  const height = Math.max(1, size.rows)
  const overall = renderOverall(state, width, colourOn)
  const title = renderTitle(state, width, colourOn)
  const link = renderLink(state, width, colourOn)
  const stream = renderStreamLine(state, width, colourOn)
  const notice = fitLine([span(noticeText(state, width), state.notice?.startsWith('warning') === true ? 'yellow' : 'dim')], width, colourOn)
  // The map grows to more rows only where the peers still get theirs.
  const spare = height - overall.length - link.length - stream.length - 2 - MIN_PEER_LINES // less the title and the notice
  const map = renderPieceMap(state, width, colourOn, Math.max(1, Math.min(PIECE_MAP_MAX_ROWS, spare)))
  // What a short terminal keeps, most important first; the peers take what is left.
  let budget = height
  const take = (lines: string[]): string[] => {
    if (lines.length > budget) return []
    budget -= lines.length
    return lines
  }
  const kept = { overall: take(overall.slice(0, budget)), map: take(map), stream: take(stream), title: take([title]), link: take(link), notice: take([notice]) }
  const peers = renderPeerRows(state, width, budget, colourOn)
  return [...kept.title, ...kept.link, ...kept.overall, ...kept.stream, ...kept.map, ...peers, ...kept.notice]
}

function noticeText (state: ViewState, width: number): string {
  if (state.notice !== null) return state.notice
  if (state.role === 'share' || state.done !== null) return 'seeding; press Ctrl-C to stop'
  const hint = 'press Ctrl-C to stop (an interrupted download resumes on the next get)'
  return visibleWidth(hint) <= width ? hint : 'press Ctrl-C to stop'
}

// The status line for logs and CI (standard error not a terminal): the bar's facts as
// text, printed every few seconds instead of redrawn.

import { formatBytes } from '../format.js'
import { joinFacts } from './facts.js'
import { overallFacts } from './overall.js'
import { piecesHeld, type ViewState } from './state.js'
import { joinSpans, span } from './text.js'

export function renderStatusLine (state: ViewState, colourOn: boolean): string {
  const facts = overallFacts(state)
  const c = state.content
  const pieces = c === null ? [] : [span(` (${piecesHeld(state)}/${c.pieceCount} pieces)`)]
  const [first, ...rest] = joinFacts(facts)
  return joinSpans([first!, ...pieces, ...rest], colourOn)
}

/** What the log says when the content becomes known. */
export function renderContentLine (state: ViewState): string {
  const c = state.content
  if (c === null) return ''
  return joinSpans([span(`${c.name}: ${formatBytes(c.totalBytes)} in ${c.pieceCount} pieces of ${formatBytes(c.pieceSize)}`)], false)
}

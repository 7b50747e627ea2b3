// The header: what is being exchanged (name, size, pieces × piece size) and its link.

import { formatBytes } from '../format.js'
import type { SessionStatus } from '../../session/status.js'
import { fact, fitFacts } from './facts.js'
import type { ViewState } from './state.js'
import { charWidth, fitLine, sanitize, span } from './text.js'

/** A long name leaves at least this share of the line to the other facts. */
const NAME_SHARE = 0.6
/** Lines the link may wrap over before it is cut. */
const MAX_LINK_LINES = 3

const STATUS_WORDS: Record<SessionStatus, string> = {
  opening: 'joining',
  'fetching-metadata': 'fetching metadata',
  checking: 'checking',
  downloading: 'downloading',
  seeding: 'seeding',
  closing: 'closing',
  closed: 'closed'
}

export function renderTitle (state: ViewState, width: number, colourOn: boolean): string {
  const c = state.content
  const status = STATUS_WORDS[state.status ?? 'opening']
  const name = c === null ? '' : fitLine([span(c.name)], Math.max(8, Math.floor(width * NAME_SHARE)), false)
  return fitLine(fitFacts([
    fact(1, span(status, state.role === 'share' || status === 'seeding' ? 'magenta' : 'green')),
    fact(0, span(name, 'bold')),
    fact(2, span(c === null ? '' : formatBytes(c.totalBytes))),
    fact(3, span(c === null ? '' : `${c.pieceCount} × ${formatBytes(c.pieceSize)} pieces`, 'dim'))
  ], width), width, colourOn)
}

/** The link whole, over as many lines as it needs (up to a few): it is there to be copied. */
export function renderLink (state: ViewState, width: number, colourOn: boolean): string[] {
  const lines: string[] = []
  let current = ''
  let used = 0
  for (const char of sanitize(state.link)) {
    const w = charWidth(char)
    if (used + w > width && current !== '') {
      lines.push(current)
      current = ''
      used = 0
    }
    current += char
    used += w
  }
  if (current !== '') lines.push(current)
  const kept = lines.slice(0, MAX_LINK_LINES)
  if (lines.length > MAX_LINK_LINES) kept[kept.length - 1] = fitLine([span(kept.at(-1)! + '…')], width, false)
  return kept.map((line) => fitLine([span(line, 'cyan')], width, colourOn))
}

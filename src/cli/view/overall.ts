// The overall bar: how much is held, how fast it comes and goes, how long it has left.

import { formatBytes, formatBytesShort, formatDuration, formatPercent, formatRate } from '../format.js'
import { type Fact, fact, fitFacts, joinFacts } from './facts.js'
import { etaSeconds, isComplete, target, type ViewState } from './state.js'
import { fitLine, type Span, span, spansWidth } from './text.js'
import type { HashProgress } from '../../piece-hashing.js'

const BAR_HELD = '█'
const BAR_MISSING = '░'
/** Below this many cells the bar moves to a line of its own with the percentage. */
const MIN_BAR_CELLS = 10
const MAX_BAR_CELLS = 60

/** The facts of the bar line, for the bar and for plain status lines alike; `short`
 *  rates (`↓ 1.0M/s`) for narrow terminals. */
export function overallFacts (state: ViewState, short = false): Fact[] {
  const c = state.content
  const s = state.stats
  const peers = s?.peers ?? state.peers.size
  const peerFact = fact(2, span(`${peers} ${peers === 1 ? 'peer' : 'peers'}`))
  const rate = (r: number): string => short ? `${formatBytesShort(r)}/s` : formatRate(r)
  const rates = [
    fact(1, span(`↓ ${rate(s?.downloadRate ?? 0)}`, 'green')),
    fact(3, span(`↑ ${rate(s?.uploadRate ?? 0)}`, 'magenta'))
  ]
  if (c === null) return [fact(0, span('fetching metadata…', 'yellow')), ...rates, peerFact]
  const checking = checkingNow(state)
  if (checking !== null) {
    return [
      fact(0, span(formatPercent(checking.bytes, checking.totalBytes), 'bold')),
      fact(4, span(`${formatBytes(checking.bytes)} / ${formatBytes(checking.totalBytes)}`)),
      ...rates,
      fact(5, span(`checking ${checking.pieces}/${checking.pieceCount} pieces`, 'yellow')),
      peerFact
    ]
  }
  const eta = etaSeconds(state)
  const t = target(state)!
  return [
    fact(0, span(formatPercent(t.have, t.pieces), 'bold')),
    fact(4, span(`${formatBytes(t.heldBytes)} / ${formatBytes(t.bytes)}${t.bytes < c.totalBytes ? ' selected' : ''}`)),
    ...rates,
    fact(5, span(isComplete(state) ? (state.role === 'share' ? 'seeding' : 'complete') : eta === null ? 'ETA –' : `ETA ${formatDuration(eta)}`)),
    peerFact
  ]
}

/** One line (bar, then the facts) or, when that leaves the bar too short, two. */
export function renderOverall (state: ViewState, width: number, colourOn: boolean): string[] {
  const facts = overallFacts(state)
  if (state.content === null) return [fitLine(fitFacts(facts, width), width, colourOn)]
  const all = joinFacts(facts)
  const room = width - spansWidth(all) - 1
  if (room >= MIN_BAR_CELLS) return [fitLine([...bar(state, Math.min(room, MAX_BAR_CELLS)), span(' '), ...all], width, colourOn)]
  const [percent, bytes, ...rest] = facts
  const head = fitFacts([percent!, bytes!], width - MIN_BAR_CELLS - 1)
  const cells = Math.min(MAX_BAR_CELLS, Math.max(1, width - spansWidth(head) - 1))
  const tail = spansWidth(joinFacts(rest, ' ')) <= width ? rest : overallFacts(state, true).slice(2)
  return [
    fitLine([...bar(state, cells), span(' '), ...head], width, colourOn),
    fitLine(fitFacts(tail, width, ' '), width, colourOn)
  ]
}

/** The re-hash under way, while the session is checking. */
function checkingNow (state: ViewState): HashProgress | null {
  return state.status === 'checking' ? state.checking : null
}

function bar (state: ViewState, cells: number): Span[] {
  const t = target(state)!
  const checking = checkingNow(state)
  const filled = checking !== null
    ? Math.floor((checking.totalBytes === 0 ? 1 : checking.bytes / checking.totalBytes) * cells)
    : t.pieces === 0 ? cells : Math.floor((t.have / t.pieces) * cells)
  return [span(BAR_HELD.repeat(filled), 'green'), span(BAR_MISSING.repeat(cells - filled), 'dim')]
}

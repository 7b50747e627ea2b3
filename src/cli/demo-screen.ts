// What `bitswarm demo` shows: every node's piece map stacked, one line each, so pieces can
// be seen spreading from node to node and the seeder's share of the uploads falling; then a
// table of who gave whom. Pure: node views and a clock in, lines out.

import { formatBytes, formatBytesShort, formatDuration, formatPercent } from './format.js'
import { renderPieceMap } from './view/piece-map.js'
import { isComplete, peerTotals, piecesHeld, type ViewState } from './view/state.js'
import { fitLine, pad, span } from './view/text.js'

export interface DemoNodeView {
  name: string
  /** The node's public key (hex): how the other nodes' peer statistics name it. */
  id: string
  state: ViewState
}

export interface DemoFacts {
  peers: number
  fileBytes: number
  /** Bytes per second, 0 for none. */
  seederUpload: number
  downloaderUpload: number
  startedAt: number
}

const NAME_WIDTH = 7
/** Cells of each node's overall bar, drawn before its piece map. */
const BAR_CELLS = 10
/** Columns of a node line besides the piece map: name, bar, percent, rates. */
const FIXED_COLUMNS = NAME_WIDTH + 1 + BAR_CELLS + 1 + 5 + 1 + 9 + 1 + 9
const MIN_MAP_CELLS = 8

const rate = (bytesPerSecond: number): string => `${formatBytesShort(bytesPerSecond)}/s`
const limit = (bytesPerSecond: number): string => bytesPerSecond === 0 ? 'no limit' : rate(bytesPerSecond)

export function renderDemoScreen (nodes: DemoNodeView[], facts: DemoFacts, now: number, width: number, colourOn: boolean): string[] {
  const content = nodes[0]?.state.content ?? null
  const lines = [
    fitLine([span('bitswarm demo', 'bold'), span(`  1 seeder + ${facts.peers} downloaders of ${formatBytes(facts.fileBytes)}` +
      (content === null ? '' : ` in ${content.pieceCount} pieces`))], width, colourOn),
    fitLine([span(`upload limits: seeder ${limit(facts.seederUpload)}, each downloader ${limit(facts.downloaderUpload)}`, 'dim')], width, colourOn),
    ''
  ]
  const cells = Math.max(MIN_MAP_CELLS, width - FIXED_COLUMNS - 1)
  for (const { name, state } of nodes) {
    const s = state.stats
    const percent = state.content === null ? '–' : formatPercent(piecesHeld(state), state.content.pieceCount)
    const tail = ` ${pad(percent, 5, 'right')} ${pad(`↓${rate(s?.downloadRate ?? 0)}`, 9, 'right')} ${pad(`↑${rate(s?.uploadRate ?? 0)}`, 9, 'right')}`
    const map = renderPieceMap(state, cells, colourOn)[0]!
    const filled = state.content === null || state.content.pieceCount === 0 ? 0 : Math.floor(BAR_CELLS * piecesHeld(state) / state.content.pieceCount)
    const bar = fitLine([span('█'.repeat(filled), 'green'), span('░'.repeat(BAR_CELLS - filled), 'dim')], BAR_CELLS, colourOn)
    lines.push(fitLine([span(pad(name, NAME_WIDTH), isComplete(state) ? 'green' : undefined)], NAME_WIDTH, colourOn) + ' ' + bar + ' ' + map +
      fitLine([span(tail)], width - NAME_WIDTH - 1 - BAR_CELLS - 1 - cells, colourOn))
  }
  lines.push('', fitLine([span(`${formatDuration((now - facts.startedAt) / 1000)} elapsed; the seeder sent ${seederShare(nodes)} of all bytes uploaded`, 'dim')], width, colourOn))
  return lines
}

/** The seeder's part of everything uploaded so far, as a percentage. */
export function seederShare (nodes: DemoNodeView[]): string {
  const uploaded = nodes.map((n) => n.state.stats?.uploaded ?? 0)
  const total = uploaded.reduce((sum, u) => sum + u, 0)
  return total === 0 ? '–' : formatPercent(uploaded[0]!, total)
}

/** One row per downloader: its time and bytes, and what it received from each node. */
export function renderWhoGaveWhom (nodes: DemoNodeView[], seconds: Map<string, number>): string[] {
  const names = nodes.map((n) => n.name)
  const nameOf = new Map(nodes.map((n) => [n.id, n.name]))
  const cell = (text: string, w = 8): string => pad(text, w, 'right')
  const lines = [
    pad('node', NAME_WIDTH) + cell('time', 7) + cell('down', 10) + cell('up', 10) + '   received from: ' + names.map((n) => cell(n)).join(''),
  ]
  for (const n of nodes) {
    const from = new Map<string, number>()
    for (const [id, t] of peerTotals(n.state)) {
      const sender = nameOf.get(id)
      if (sender !== undefined) from.set(sender, (from.get(sender) ?? 0) + t.downloaded)
    }
    const time = seconds.get(n.name)
    lines.push(pad(n.name, NAME_WIDTH) + cell(time === undefined ? '–' : `${time.toFixed(1)}s`, 7) +
      cell(formatBytesShort(n.state.stats?.downloaded ?? 0), 10) + cell(formatBytesShort(n.state.stats?.uploaded ?? 0), 10) +
      '                  ' + names.map((sender) => cell(sender === n.name ? '·' : formatBytesShort(from.get(sender) ?? 0))).join(''))
  }
  return lines
}

// One row per connected peer, the busiest first: what comes from it and what goes to it,
// and who chokes whom. On a seeder the same rows show what each peer fetches.

import type { PeerStats } from '../../session/events.js'
import { formatBytesShort, formatPercent, formatRate } from '../format.js'
import type { Style } from './colour.js'
import type { ViewState } from './state.js'
import { fitLine, pad, type Span, span } from './text.js'

interface Column {
  title: string
  width: number
  align: 'left' | 'right'
  cell: (peer: PeerStats, state: ViewState) => Span
}

const ID_CHARS = 8
const SHORT_ID_CHARS = 6

const rate = (r: number, style: Style): Span => span(formatRate(r), r >= 1 ? style : 'dim')
const shortRate = (r: number, style: Style): Span => span(`${formatBytesShort(r)}/s`, r >= 1 ? style : 'dim')

const COLUMNS = {
  id: { title: 'peer', width: ID_CHARS, align: 'left', cell: (p) => span(p.id.slice(0, ID_CHARS), 'cyan') },
  shortId: { title: 'peer', width: SHORT_ID_CHARS, align: 'left', cell: (p) => span(p.id.slice(0, SHORT_ID_CHARS), 'cyan') },
  down: { title: '↓ rate', width: 12, align: 'right', cell: (p) => rate(p.downloadRate, 'green') },
  up: { title: '↑ rate', width: 12, align: 'right', cell: (p) => rate(p.uploadRate, 'magenta') },
  shortDown: { title: '↓/s', width: 7, align: 'right', cell: (p) => shortRate(p.downloadRate, 'green') },
  shortUp: { title: '↑/s', width: 7, align: 'right', cell: (p) => shortRate(p.uploadRate, 'magenta') },
  received: { title: 'recv', width: 5, align: 'right', cell: (p) => span(String(p.piecesReceived)) },
  sent: { title: 'sent', width: 5, align: 'right', cell: (p) => span(String(p.piecesSent)) },
  has: { title: 'has', width: 4, align: 'right', cell: (p, s) => span(peerProgress(p, s), 'dim') },
  flags: { title: 'DU', width: 2, align: 'left', cell: (p) => span(flags(p), 'yellow') },
  rtt: { title: 'rtt', width: 6, align: 'right', cell: (p) => span(p.rtt > 0 ? `${Math.round(p.rtt)}ms` : '–', 'dim') },
  route: { title: 'via', width: 7, align: 'left', cell: (p) => span(ROUTE_WORDS[p.connection], p.connection === 'relayed' ? 'yellow' : 'dim') },
  words: { title: 'state', width: 24, align: 'left', cell: (p) => stateWords(p) }
} satisfies Record<string, Column>

/** How each connection reaches its peer, in the `via` column. */
const ROUTE_WORDS: Record<PeerStats['connection'], string> = { direct: 'direct', holepunched: 'punched', relayed: 'relay' }

/** The widest layout that fits is used; the last one is cut to fit whatever the width. */
const LAYOUTS: Column[][] = [
  [COLUMNS.id, COLUMNS.down, COLUMNS.up, COLUMNS.received, COLUMNS.sent, COLUMNS.has, COLUMNS.rtt, COLUMNS.route, COLUMNS.words],
  [COLUMNS.id, COLUMNS.down, COLUMNS.up, COLUMNS.received, COLUMNS.sent, COLUMNS.has, COLUMNS.words],
  [COLUMNS.id, COLUMNS.down, COLUMNS.up, COLUMNS.received, COLUMNS.sent, COLUMNS.has, COLUMNS.flags],
  [COLUMNS.shortId, COLUMNS.shortDown, COLUMNS.shortUp, COLUMNS.received, COLUMNS.sent, COLUMNS.flags]
]

/** Busiest first: by current rate, then by bytes exchanged, then by id so ties keep still. */
export function sortPeers (peers: Iterable<PeerStats>): PeerStats[] {
  return [...peers].sort((a, b) =>
    (b.downloadRate + b.uploadRate) - (a.downloadRate + a.uploadRate) ||
    (b.downloaded + b.uploaded) - (a.downloaded + a.uploaded) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** A title row and up to `maxRows - 1` peers (the last row says how many more there are). */
export function renderPeerRows (state: ViewState, width: number, maxRows: number, colourOn: boolean): string[] {
  if (maxRows < 1) return []
  if (state.peers.size === 0) return [fitLine([span('no peers connected yet', 'dim')], width, colourOn)]
  if (maxRows < 2) return [fitLine([span(`${state.peers.size} peers connected`, 'dim')], width, colourOn)]
  const layout = LAYOUTS.find((columns) => layoutWidth(columns) <= width) ?? LAYOUTS.at(-1)!
  const peers = sortPeers(state.peers.values())
  const shown = peers.length <= maxRows - 1 ? peers : peers.slice(0, maxRows - 2)
  const rows = [fitLine(row(layout, (c) => span(c.title, 'dim')), width, colourOn)]
  for (const peer of shown) rows.push(fitLine(row(layout, (c) => c.cell(peer, state)), width, colourOn))
  if (shown.length < peers.length) rows.push(fitLine([span(`… ${peers.length - shown.length} more peers`, 'dim')], width, colourOn))
  return rows
}

/** uTorrent's and qBittorrent's peer flags: D we fetch from it, d it chokes us while we want
 *  its pieces, K it unchokes us but we want nothing; U we serve it, u we choke it while it
 *  wants ours, ? we unchoke it but it wants nothing. */
export function flags (p: PeerStats): string {
  const down = p.interested ? (p.choked ? 'd' : 'D') : (p.choked ? '-' : 'K')
  const up = p.remoteInterested ? (p.choking ? 'u' : 'U') : (p.choking ? '-' : '?')
  return down + up
}

function stateWords (p: PeerStats): Span {
  const down = p.interested ? (p.choked ? 'choked by it' : 'fetching') : (p.choked ? '' : 'unchoked us')
  const up = p.remoteInterested ? (p.choking ? 'choking it' : 'serving') : (p.choking ? '' : 'unchoked it')
  const words = [down, up].filter((w) => w !== '').join(', ')
  const busy = (p.interested && !p.choked) || (p.remoteInterested && !p.choking)
  return span(words === '' ? 'idle' : words, busy ? 'yellow' : 'dim')
}

function peerProgress (p: PeerStats, state: ViewState): string {
  const pieces = state.content?.pieceCount ?? 0
  if (pieces === 0) return '?'
  return p.have >= pieces ? 'seed' : formatPercent(p.have, pieces)
}

function row (columns: Column[], cell: (c: Column) => Span): Span[] {
  return columns.flatMap((c, i) => {
    const s = cell(c)
    const text = i === columns.length - 1 && c.align === 'left' ? s.text : pad(s.text, c.width, c.align)
    return [...(i === 0 ? [] : [span(' ')]), { ...s, text }]
  })
}

function layoutWidth (columns: Column[]): number {
  return columns.reduce((sum, c) => sum + c.width, 0) + columns.length - 1
}

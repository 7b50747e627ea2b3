// The final summary: the run's figures, worked out from the view's state at the end.

import { formatBytes, formatDuration, formatPercent, formatRate } from '../format.js'
import { peerTotals, piecesHeld, type PeerTotals, type ViewState } from './state.js'
import { fitLine, joinSpans, type Span, span, spansWidth } from './text.js'

const LABEL_CELLS = 14

export interface Summary {
  /** complete: every piece verified; stopped: a share ended (it has no end of its own);
   *  interrupted: a download stopped by a signal or a closed output, resumable; timed-out:
   *  --timeout gave up; failed: an error ended it. */
  outcome: 'complete' | 'interrupted' | 'stopped' | 'timed-out' | 'failed'
  name: string | null
  path: string | null
  /** From the start of the view to now. */
  seconds: number
  /** The download's own time when it completed, else `seconds`. */
  downloadSeconds: number
  downloaded: number
  uploaded: number
  /** Bytes per second, averaged over the download / over the whole run. */
  averageDownloadRate: number
  averageUploadRate: number
  /** Uploaded / downloaded; null when nothing was downloaded. */
  ratio: number | null
  /** Peers that sent us at least one byte / that we sent at least one byte to. */
  contributors: number
  fetchers: number
  /** Share (0–1) of the bytes received that came from peers other than original seeders;
   *  null when nothing was received. */
  fromOthers: number | null
  hashFailures: number
  have: number
  pieceCount: number
  /** Peers this run was ever connected to. */
  peersSeen: number
}

export function summarize (state: ViewState, now: number): Summary {
  const elapsed = Math.max(0, (now - state.startedAt) / 1000)
  const done = state.done
  const totals = [...peerTotals(state).values()]
  // Stats come every 200 ms; a departed peer's final figures may be newer.
  const sum = (pick: (t: PeerTotals) => number): number => totals.reduce((n, t) => n + pick(t), 0)
  const downloaded = Math.max(state.stats?.downloaded ?? 0, done?.downloaded ?? 0, sum((t) => t.downloaded))
  const uploaded = Math.max(state.stats?.uploaded ?? 0, done?.uploaded ?? 0, sum((t) => t.uploaded))
  const seconds = Math.max(elapsed, done?.seconds ?? 0)
  const downloadSeconds = done?.seconds ?? seconds
  const received = totals.reduce((sum, t) => sum + t.downloaded, 0)
  const fromOthers = totals.filter((t) => !t.seed).reduce((sum, t) => sum + t.downloaded, 0)
  return {
    outcome: outcome(state),
    name: state.content?.name ?? null,
    path: done?.path ?? null,
    seconds,
    downloadSeconds,
    downloaded,
    uploaded,
    averageDownloadRate: downloadSeconds > 0 ? downloaded / downloadSeconds : 0,
    averageUploadRate: seconds > 0 ? uploaded / seconds : 0,
    ratio: downloaded > 0 ? uploaded / downloaded : null,
    contributors: totals.filter((t) => t.downloaded > 0).length,
    fetchers: totals.filter((t) => t.uploaded > 0).length,
    fromOthers: received > 0 ? fromOthers / received : null,
    hashFailures: state.hashFailures,
    have: piecesHeld(state),
    pieceCount: state.content?.pieceCount ?? 0,
    peersSeen: totals.length
  }
}

function outcome (state: ViewState): Summary['outcome'] {
  if (state.ending !== null) return state.ending.outcome
  if (state.error !== null) return 'failed'
  // A share holds everything from the start: it ends by stopping, never by completing.
  if (state.role === 'share') return 'stopped'
  return state.done !== null ? 'complete' : 'interrupted'
}

/** The summary as lines fitted to `width`: a row whose facts do not fit goes on over more
 *  lines. The saved path is printed whole so it can be copied; `width` null: logs. */
export function renderSummary (state: ViewState, now: number, width: number | null, colourOn: boolean): string[] {
  const s = summarize(state, now)
  const rows: Array<[string, Span[][]]> = [
    ['time', [[span(formatDuration(s.downloadSeconds))], ...(s.seconds - s.downloadSeconds >= 1 ? words(`downloading, ${formatDuration(s.seconds)} in all`) : [])]],
    ['average', [[span(`↓ ${formatRate(s.averageDownloadRate)}`, 'green')], [span(`↑ ${formatRate(s.averageUploadRate)}`, 'magenta')]]],
    ['downloaded', [[span(formatBytes(s.downloaded))]]],
    ['uploaded', [[span(formatBytes(s.uploaded))]]],
    ['ratio', [[span(s.ratio === null ? '–' : s.ratio.toFixed(2))], ...words('uploaded / downloaded')]],
    ['peers', [[span(`${s.contributors} contributed,`)], [span(`${s.fetchers} fetched from us`)]]],
    ['from others', [[span(s.fromOthers === null ? '–' : formatPercent(s.fromOthers, 1))], ...words('of the bytes came from peers other than the original seeder')]],
    ['hash failures', [[span(String(s.hashFailures), s.hashFailures > 0 ? 'red' : undefined)]]]
  ]
  const out = (spans: Span[]): string => width === null ? joinSpans(spans, colourOn) : fitLine(spans, width, colourOn)
  const lines = pack(title(s), width ?? Infinity).map((l) => out(l.first ? l.spans : [span('  '), ...l.spans]))
  if (s.path !== null) lines.push(joinSpans([span(label('saved to')), span(s.path, 'bold')], colourOn))
  for (const [name, parts] of rows) {
    for (const packed of pack(parts.filter((p) => p.length > 0), width === null ? Infinity : width - LABEL_CELLS - 2)) {
      lines.push(out([span(packed.first ? label(name) : label(''), 'dim'), ...packed.spans]))
    }
  }
  return lines
}

const label = (text: string): string => '  ' + text.padEnd(LABEL_CELLS)
/** Dim explanatory words, each its own group so they wrap between words. */
const words = (text: string): Span[][] => text.split(' ').map((word) => [span(word, 'dim')])

/** Groups of spans, as many on a line as fit in `width` (one space between). */
function pack (parts: Span[][], width: number): Array<{ first: boolean, spans: Span[] }> {
  const lines: Array<{ first: boolean, spans: Span[] }> = []
  let current: Span[] = []
  for (const part of parts) {
    const joined = current.length === 0 ? part : [...current, span(' '), ...part]
    if (current.length > 0 && spansWidth(joined) > width) {
      lines.push({ first: lines.length === 0, spans: current })
      current = part
    } else {
      current = joined
    }
  }
  lines.push({ first: lines.length === 0, spans: current })
  return lines
}

function title (s: Summary): Span[][] {
  const name = s.name ?? 'the download'
  const at = ` at ${formatPercent(s.have, s.pieceCount)}`
  const resumes = words('(it resumes on the next get)')
  // No metadata, no payload: before it, nothing was downloaded.
  const early = (mark: Span, text: string): Span[][] => [[mark, span(text)], ...words('nothing downloaded')]
  switch (s.outcome) {
    case 'complete': return [[span('✔ ', 'green'), span(name, 'bold')], [span('complete')]]
    case 'stopped': return [[span('■ ', 'magenta'), span('stopped sharing')], [span(name, 'bold')]]
    case 'failed':
      if (s.name === null) return early(span('✘ ', 'red'), 'failed before the metadata arrived;')
      return [[span('✘ ', 'red'), span(name, 'bold')], [span(`failed${at}`)]]
    case 'timed-out':
      // What the wait came to: no peer at all, peers without the metadata, or a stalled download.
      if (s.name === null) return early(span('✘ ', 'red'), s.peersSeen === 0 ? 'timed out: no peer reached;' : 'timed out: no peer sent the metadata;')
      return [[span('✘ ', 'red'), span(name, 'bold')], [span(`timed out${at}${s.downloaded === 0 ? ', nothing received' : ''}`)], ...resumes]
    case 'interrupted':
      if (s.name === null) return early(span('■ ', 'yellow'), 'interrupted before the metadata arrived;')
      return [[span('■ ', 'yellow'), span(name, 'bold')], [span(`interrupted${at}`)], ...resumes]
  }
}

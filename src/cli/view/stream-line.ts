// The stream line: the file served over HTTP, where its reader is (the play position) and how
// fast it reads, then the URL to give a player.

import { formatBytes, formatPercent } from '../format.js'
import type { ViewState } from './state.js'
import { fitLine, span } from './text.js'

/** One line, or none when nothing streams. The reader shown is the first one inside the file. */
export function renderStreamLine (state: ViewState, width: number, colourOn: boolean): string[] {
  const stream = state.stream
  if (stream === null) return []
  const readers = (state.stats?.readers ?? []).filter((r) => r.position >= stream.start && r.position <= stream.start + stream.size)
  const reader = readers[0]
  const where = reader === undefined
    ? span('no reader', 'dim')
    : span(`${formatBytes(reader.position - stream.start)} of ${formatBytes(stream.size)} (${formatPercent(reader.position - stream.start, stream.size)})` +
      `${reader.bytesPerSecond > 0 ? `, ${formatBytes(reader.bytesPerSecond)}/s` : ''}${readers.length > 1 ? `, +${readers.length - 1} readers` : ''}`)
  return [fitLine([span('▶ ', 'bold'), where, span('  '), span(stream.url, 'cyan')], width, colourOn)]
}

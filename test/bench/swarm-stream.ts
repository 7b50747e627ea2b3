// The swarm bench's "stream" mode in figures: every downloader streams from the start; its
// row is the swarm's (time to the last completion against the same bound) plus each
// streamer's start-up delay. Goals (issue 13): the all-streaming swarm within 1.3× the bound
// (rarest-first: 1.2×), and every streamer's first STARTUP_BYTES within 2 s of its spawn.

import { STARTUP_BYTES } from './stream-reader.js'
import { formatMiB, summarize, type Summary } from './stats.js'
import type { Goal, ModeRow, SwarmRow, SwarmRun } from './swarm.js'

export const STREAM_RATIO_GOAL = 1.3
export const STREAM_STARTUP_GOAL_S = 2

export interface StreamRow extends ModeRow {
  /** Over every streamer of every run: seconds from its spawn to the first byte, to the first
   *  STARTUP_BYTES, and from its HTTP request to those bytes. */
  firstByte: Summary
  startup: Summary
  startupFromRequest: Summary
}

export function streamRow (row: ModeRow, runs: readonly SwarmRun[]): StreamRow {
  const streamers = runs.flatMap((r) => r.downloaders.flatMap((d) => d.stream === null ? [] : [d.stream]))
  return {
    ...row,
    firstByte: summarize(streamers.map((s) => s.firstByte)),
    startup: summarize(streamers.map((s) => s.startup)),
    startupFromRequest: summarize(streamers.map((s) => s.startupFromRequest))
  }
}

export function formatStream (rows: readonly SwarmRow[], runs: number, playbackRate: number | null): string[] {
  const streamed = rows.filter((r) => r.stream !== null)
  if (streamed.length === 0) return []
  const range = (x: Summary): string => `${x.median.toFixed(2)} (${x.min.toFixed(2)}–${x.max.toFixed(2)})`
  const lines = [
    '',
    `stream: every downloader streams its copy from the start, read whole over HTTP: ${formatMiB(STARTUP_BYTES)} as fast as it comes, then ` +
      `${playbackRate === null ? 'as fast as it comes' : `${(playbackRate / 2 ** 20).toFixed(2)} MiB/s (playback)`}${runs > 1 ? '; median of runs' : ''}`,
    `start-up = seconds to the first ${formatMiB(STARTUP_BYTES)} read, over every streamer: median (min–max)`,
    ['N'.padEnd(4), 'join'.padEnd(8), 'spawn'.padEnd(8), 'bound'.padEnd(8), 'ratio'.padEnd(12), 'vs swarm'.padEnd(9),
      'first byte'.padEnd(20), 'start-up from spawn'.padEnd(20), 'from request'].join(' ')
  ]
  for (const r of streamed) {
    const s = r.stream!
    const vsSwarm = r.swarm === null ? '–' : `${(s.seconds.median / r.swarm.seconds.median).toFixed(2)}×`
    lines.push([String(r.peers).padEnd(4), s.seconds.median.toFixed(1).padEnd(8), s.spawnSeconds.median.toFixed(1).padEnd(8), s.bound.toFixed(1).padEnd(8),
      `${s.ratio.toFixed(2)} (${s.spawnRatio.toFixed(2)})`.padEnd(12), vsSwarm.padEnd(9), range(s.firstByte).padEnd(20), range(s.startup).padEnd(20), range(s.startupFromRequest)].join(' '))
  }
  return lines
}

export function streamGoals (rows: readonly SwarmRow[]): Goal[] {
  const streamed = rows.flatMap((r) => r.stream === null ? [] : [r.stream])
  if (streamed.length === 0) return []
  const ratio = Math.max(...streamed.map((s) => s.ratio))
  const spawnRatio = Math.max(...streamed.map((s) => s.spawnRatio))
  const startup = Math.max(...streamed.map((s) => s.startup.max))
  const fromRequest = Math.max(...streamed.map((s) => s.startupFromRequest.max))
  return [
    { goal: `all streaming measured/bound ≤ ${STREAM_RATIO_GOAL}`, met: ratio <= STREAM_RATIO_GOAL, detail: `worst ${ratio.toFixed(2)} from the first join, ${spawnRatio.toFixed(2)} from spawn` },
    {
      goal: `every streamer's first ${formatMiB(STARTUP_BYTES)} within ${STREAM_STARTUP_GOAL_S} s of its spawn`,
      met: startup <= STREAM_STARTUP_GOAL_S,
      detail: `slowest ${startup.toFixed(2)} s from spawn, ${fromRequest.toFixed(2)} s from its request`
    }
  ]
}

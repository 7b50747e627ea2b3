// Benchmark case "rss" (issue 14: get peak RSS < 150 MB flat to 4 GiB): one sharer → one
// downloader of large files (1 GiB and 4 GiB by default), each trial as in the peers case
// (peers.ts: fresh bootstrap and sharer, spawn to exit, every copy's SHA-256 checked). The
// content is deterministic (files.ts) and written as a stream, and deleted after each size.

import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeSeededFile } from './files.js'
import { runTrial, type PeersTrial } from './peers.js'
import type { Implementation } from './peers-summary.js'
import { formatMiB, formatSummary, megabytesPerSecond, summarize } from './stats.js'

/** The goal for the downloader's peak RSS, in MB (10^6 B). */
export const GET_RSS_GOAL_MB = 150

export interface RssCaseOptions {
  sizes: number[]
  runs: number
  implementations: Implementation[]
  workDir: string
  log: (line: string) => void
}

export interface RssTrial extends PeersTrial { bytes: number }

export async function rssCase (o: RssCaseOptions): Promise<RssTrial[]> {
  process.env.BITSWARM_CACHE_DIR = join(o.workDir, 'cache')
  const trials: RssTrial[] = []
  for (const bytes of o.sizes) {
    const source = join(o.workDir, `rss-content-${bytes}.bin`)
    o.log(`rss ${formatMiB(bytes)}: writing the content`)
    const digest = await writeSeededFile(source, bytes, `bitswarm rss bench ${bytes}`)
    try {
      for (let run = 0; run < o.runs; run++) {
        // Alternate which goes first, as in the other cases.
        const order = run % 2 === 0 ? o.implementations : [...o.implementations].reverse()
        for (const implementation of order) {
          const trial = { ...(await runTrial(o, { implementation, downloaders: 1, run, bytes, source, digest })), bytes }
          trials.push(trial)
          o.log(`  ${formatMiB(bytes)} run ${run + 1} ${implementation}: ${trial.seconds.toFixed(1)} s, get peak RSS ${(trial.getPeakRss / 1e6).toFixed(0)} MB, sharer ${(trial.sharerPeakRss / 1e6).toFixed(0)} MB`)
        }
      }
    } finally {
      await rm(source, { force: true })
    }
  }
  return trials
}

export function formatRss (trials: RssTrial[]): string {
  const lines = [
    'rss: one sharer → one downloader, separate processes on 127.0.0.1; peak RSS (VmHWM, MB = 10^6 B) and',
    'MB/s from the downloader\'s spawn to its exit, median (min–max) over the runs',
    '',
    '| size | implementation | get peak RSS MB | sharer peak RSS MB | MB/s | get CPU s |',
    '|---|---|---|---|---|---|'
  ]
  const sizes = [...new Set(trials.map((t) => t.bytes))]
  const implementations = [...new Set(trials.map((t) => t.implementation))]
  for (const bytes of sizes) {
    for (const implementation of implementations) {
      const mine = trials.filter((t) => t.bytes === bytes && t.implementation === implementation)
      if (mine.length === 0) continue
      const rss = summarize(mine.map((t) => t.getPeakRss / 1e6))
      const sharer = summarize(mine.map((t) => t.sharerPeakRss / 1e6))
      const rate = summarize(mine.map((t) => megabytesPerSecond(bytes, t.seconds)))
      const cpu = summarize(mine.map((t) => t.getCpuSeconds))
      lines.push(`| ${formatMiB(bytes)} | ${implementation} | ${formatSummary(rss, 0)} | ${formatSummary(sharer, 0)} | ${formatSummary(rate, 1)} | ${formatSummary(cpu, 1)} |`)
    }
  }
  const bitswarm = trials.filter((t) => t.implementation === 'bitswarm')
  if (bitswarm.length > 0) {
    const worst = Math.max(...bitswarm.map((t) => t.getPeakRss)) / 1e6
    lines.push('', `bitswarm get peak RSS, worst over all sizes: ${worst.toFixed(0)} MB (goal < ${GET_RSS_GOAL_MB}: ${worst < GET_RSS_GOAL_MB ? 'met' : 'not met'})`)
  }
  return lines.join('\n')
}

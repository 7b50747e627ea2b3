// Benchmark case "transfer": one `bitswarm share` and one `bitswarm get` as separate
// processes on a local bootstrap node, against a bare hyperswarm stream of the same bytes
// between two processes in the same run (same bootstrap, same binding). Rates run from the
// fetching process's start to its verified completion, so start-up and discovery count.

import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sha256File, writeRandomFile } from './files.js'
import { BITSWARM, type Proc, startProcess } from './processes.js'
import { formatMiB, formatSummary, megabytesPerSecond, summarize, type Summary } from './stats.js'

const RAW_PEER = fileURLToPath(new URL('./raw-peer.js', import.meta.url))
const NET = (bootstrap: string): string[] => ['--bootstrap', bootstrap, '--host', '127.0.0.1']

export interface TransferRow {
  bytes: number
  raw: Summary
  bitswarm: Summary
  /** Median bitswarm rate over median raw rate. */
  ratio: number
  getPeakRss: Summary
  sharePeakRss: Summary
  rawFetchPeakRss: Summary
  rawServePeakRss: Summary
}

interface Run { mbps: number, fetchRss: number, serveRss: number }

export async function transferCase (opts: { sizes: number[], runs: number, workDir: string, log: (line: string) => void }): Promise<TransferRow[]> {
  const rows: TransferRow[] = []
  for (const bytes of opts.sizes) {
    const source = join(opts.workDir, `content-${bytes}.bin`)
    opts.log(`transfer ${formatMiB(bytes)}: writing the content`)
    const digest = await writeRandomFile(source, bytes)
    const raw: Run[] = []
    const swarm: Run[] = []
    try {
      for (let run = 1; run <= opts.runs; run++) {
        const bootstrap = startProcess(BITSWARM, ['bootstrap', '--host', '127.0.0.1', '--port', '0'])
        try {
          const address = await bootstrap.nextLine()
          // Alternate which goes first, so neither always gets the warmer page cache.
          const order = run % 2 === 1 ? ['raw', 'bitswarm'] : ['bitswarm', 'raw']
          for (const which of order) {
            if (which === 'raw') raw.push(await rawRun(source, bytes, address))
            else swarm.push(await bitswarmRun(source, bytes, digest, address, opts.workDir))
          }
          opts.log(`  run ${run}: raw ${raw.at(-1)!.mbps.toFixed(1)} MB/s, bitswarm ${swarm.at(-1)!.mbps.toFixed(1)} MB/s`)
        } finally {
          await bootstrap.stop()
        }
      }
    } finally {
      await rm(source, { force: true })
    }
    const rawRate = summarize(raw.map((r) => r.mbps))
    const swarmRate = summarize(swarm.map((r) => r.mbps))
    rows.push({
      bytes,
      raw: rawRate,
      bitswarm: swarmRate,
      ratio: swarmRate.median / rawRate.median,
      getPeakRss: summarize(swarm.map((r) => r.fetchRss)),
      sharePeakRss: summarize(swarm.map((r) => r.serveRss)),
      rawFetchPeakRss: summarize(raw.map((r) => r.fetchRss)),
      rawServePeakRss: summarize(raw.map((r) => r.serveRss))
    })
  }
  return rows
}

async function bitswarmRun (source: string, bytes: number, digest: string, bootstrap: string, workDir: string): Promise<Run> {
  const outDir = join(workDir, 'out')
  await rm(outDir, { recursive: true, force: true })
  const share = startProcess(BITSWARM, ['share', source, '--quiet', ...NET(bootstrap)])
  try {
    const link = await share.nextLine()
    const get = startProcess(BITSWARM, ['get', link, '-o', outDir, '--json', ...NET(bootstrap)])
    const done = JSON.parse(await get.lineMatching((line) => line.includes('"event":"done"'))) as { path: string, size: number }
    const seconds = (performance.now() - get.startedAt) / 1000
    const fetchRss = await get.peakRss()
    const code = await get.exited
    if (code !== 0) throw new Error(`bitswarm get exited with ${code}`)
    if (done.size !== bytes || (await sha256File(done.path)) !== digest) throw new Error('bitswarm get produced different bytes')
    return { mbps: megabytesPerSecond(bytes, seconds), fetchRss, serveRss: await share.peakRss() }
  } finally {
    await stopChecked(share, 'bitswarm share')
    await rm(outDir, { recursive: true, force: true })
  }
}

async function rawRun (source: string, bytes: number, bootstrap: string): Promise<Run> {
  const topic = randomBytes(32).toString('hex')
  const serve = startProcess(RAW_PEER, ['serve', source, bootstrap, topic])
  try {
    await serve.nextLine()
    const fetch = startProcess(RAW_PEER, ['fetch', String(bytes), bootstrap, topic])
    const done = JSON.parse(await fetch.nextLine()) as { bytes: number }
    const seconds = (performance.now() - fetch.startedAt) / 1000
    const fetchRss = await fetch.peakRss()
    await fetch.exited
    if (done.bytes !== bytes) throw new Error(`raw fetch received ${done.bytes} bytes, expected ${bytes}`)
    return { mbps: megabytesPerSecond(bytes, seconds), fetchRss, serveRss: await serve.peakRss() }
  } finally {
    await stopChecked(serve, 'raw serve')
  }
}

async function stopChecked (proc: Proc, what: string): Promise<void> {
  const code = await proc.stop('SIGINT')
  if (code !== 0) throw new Error(`${what} exited with ${code} after SIGINT`)
}

export function formatTransfer (rows: TransferRow[]): string {
  const MB = (s: Summary): string => `${(s.median / 1e6).toFixed(0)} MB`
  const lines = [
    'transfer: one share → one get, separate processes on a local bootstrap (127.0.0.1)',
    'MB/s (MB = 10^6 B) from the fetching process start to verified completion; median (min–max)',
    '',
    'size      raw hyperswarm       bitswarm             ratio   get RSS   share RSS   raw fetch/serve RSS'
  ]
  for (const r of rows) {
    lines.push([
      formatMiB(r.bytes).padEnd(9),
      formatSummary(r.raw).padEnd(20),
      formatSummary(r.bitswarm).padEnd(20),
      r.ratio.toFixed(2).padEnd(7),
      MB(r.getPeakRss).padEnd(9),
      MB(r.sharePeakRss).padEnd(11),
      `${MB(r.rawFetchPeakRss)} / ${MB(r.rawServePeakRss)}`
    ].join(' '))
  }
  return lines.join('\n')
}

// Benchmark case "peers" (issue 14): one sharer and 1 or N downloaders of the same file, as
// bitswarm (the built CLI: `share`, `get`), WebTorrent over TCP (webtorrent-peer.ts, peers
// handed over by address) and a raw hyperswarm stream (raw-peer.ts: the sharer streams the
// whole file to each fetcher), the three in turn in every run, each starting a run once first.
//
// Each trial starts from nothing of its own: a fresh bootstrap node (bitswarm, raw), a fresh
// sharer, empty output folders. The sharer is seeding (bitswarm: announced; WebTorrent:
// hashed and listening; raw: announced) before the clock starts; the time runs from the spawn
// of the first downloader to the exit of the last, and every copy's SHA-256 is checked after.
// CPU seconds: the downloaders' whole lives (summed), the sharer's within the timed window.

import { randomBytes } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sha256File, writeSeededFile } from './files.js'
import { IMPLEMENTATIONS, type Implementation, orderForRun, type PeersRow } from './peers-summary.js'
import { BITSWARM, type Proc, startProcess, stopByPid } from './processes.js'
import { formatMiB, summarize } from './stats.js'

const RAW_PEER = fileURLToPath(new URL('./raw-peer.js', import.meta.url))
const WEBTORRENT_PEER = fileURLToPath(new URL('./webtorrent-peer.js', import.meta.url))
const NET = (bootstrap: string): string[] => ['--bootstrap', bootstrap, '--host', '127.0.0.1']
const STARTUP_MS = 120_000
/** A trial that moves less than this per copy has failed (a stuck downloader), whatever the load. */
const SLOWEST_BYTES_PER_SECOND = 2e6

export interface PeersCaseOptions {
  bytes: number
  downloaders: number[]
  runs: number
  workDir: string
  log: (line: string) => void
}

export interface PeersTrial {
  implementation: Implementation
  downloaders: number
  run: number
  /** From the spawn of the first downloader to the exit of the last. */
  seconds: number
  sharerPeakRss: number
  /** The highest of the downloaders' peak RSS. */
  getPeakRss: number
  sharerCpuSeconds: number
  /** Summed over the downloaders. */
  getCpuSeconds: number
  /** The machine's 1-minute load average when the trial started (it is shared). */
  load: number
}

interface Trial {
  implementation: Implementation
  downloaders: number
  run: number
  /** Of the content, which each downloader fetches whole. */
  bytes: number
  source: string
  digest: string
  dir: string
  spawn: (script: string, args: string[]) => Proc
}

/** What a sharer hands the downloaders, and how each downloader is started and read. */
interface Sharer {
  proc: Proc
  download: (index: number) => Promise<Proc>
  /** The path or digest of the copy a downloader reports in its last line. */
  copyOf: (lastLine: string) => { path?: string, sha256?: string }
  doneLine: (line: string) => boolean
}

export async function peersCase (o: PeersCaseOptions): Promise<{ rows: PeersRow[], trials: PeersTrial[] }> {
  const source = join(o.workDir, `peers-content-${o.bytes}.bin`)
  o.log(`peers ${formatMiB(o.bytes)}: writing the content`)
  const digest = await writeSeededFile(source, o.bytes, 'bitswarm peers bench')
  // Each share's metadata is cached beside the bench's files, not in the user's cache.
  process.env.BITSWARM_CACHE_DIR = join(o.workDir, 'cache')
  const trials: PeersTrial[] = []
  try {
    for (let run = 0; run < o.runs; run++) {
      for (const downloaders of o.downloaders) {
        for (const implementation of orderForRun(run)) {
          const trial = await runTrial(o, { implementation, downloaders, run, bytes: o.bytes, source, digest })
          trials.push(trial)
          o.log(`  run ${run + 1} 1→${downloaders} ${implementation}: ${trial.seconds.toFixed(2)} s; ` +
            `RSS sharer ${mb(trial.sharerPeakRss)} MB, get ${mb(trial.getPeakRss)} MB; CPU sharer ${trial.sharerCpuSeconds.toFixed(2)} s, gets ${trial.getCpuSeconds.toFixed(2)} s; load ${trial.load.toFixed(2)}`)
        }
      }
    }
  } finally {
    await rm(source, { force: true })
  }
  return { rows: summarizeTrials(trials, o.downloaders), trials }
}

export function summarizeTrials (trials: PeersTrial[], downloaders: number[]): PeersRow[] {
  return downloaders.flatMap((n) => IMPLEMENTATIONS.flatMap((implementation): PeersRow[] => {
    const mine = trials.filter((t) => t.downloaders === n && t.implementation === implementation)
    if (mine.length === 0) return []
    return [{
      downloaders: n,
      implementation,
      seconds: summarize(mine.map((t) => t.seconds)),
      sharerRssMB: Math.max(...mine.map((t) => t.sharerPeakRss)) / 1e6,
      getRssMB: Math.max(...mine.map((t) => t.getPeakRss)) / 1e6,
      sharerCpuSeconds: summarize(mine.map((t) => t.sharerCpuSeconds)).median,
      getCpuSeconds: summarize(mine.map((t) => t.getCpuSeconds)).median
    }]
  }))
}

/** One trial from nothing: its own bootstrap, sharer and output folders, all stopped after. */
export async function runTrial (o: Pick<PeersCaseOptions, 'workDir' | 'log'>, t: Omit<Trial, 'dir' | 'spawn'>): Promise<PeersTrial> {
  const what = `run ${t.run + 1} 1→${t.downloaders} ${t.implementation}`
  const load = loadavg()[0]!
  const dir = join(o.workDir, `peers-${t.implementation}-${t.downloaders}-${t.run}`)
  await mkdir(dir, { recursive: true })
  const started: Proc[] = []
  const spawn = (script: string, args: string[]): Proc => { const p = startProcess(script, args); started.push(p); return p }
  try {
    const trial: Trial = { ...t, dir, spawn }
    const sharer = t.implementation === 'bitswarm'
      ? await bitswarmSharer(trial)
      : t.implementation === 'webtorrent' ? await webtorrentSharer(trial) : await rawSharer(trial)
    const sharerCpuBefore = await sharer.proc.cpuSeconds()
    const capMs = 60_000 + 1000 * t.downloaders * t.bytes / SLOWEST_BYTES_PER_SECOND
    const gets = await Promise.all(Array.from({ length: t.downloaders }, async (_, i) => await sharer.download(i)))
    const firstSpawn = Math.min(...gets.map((g) => g.startedAt))
    const finished = await withDeadline(Promise.all(gets.map(async (get, i) => {
      const last = await get.lineMatching(sharer.doneLine, capMs)
      const code = await get.exited
      const exitedAt = performance.now()
      if (code !== 0) throw new Error(`${what}: downloader ${i + 1} exited with ${code}`)
      return { last, exitedAt, peakRss: await get.peakRss(), cpu: await get.cpuSeconds() }
    })), capMs, what)
    const seconds = (Math.max(...finished.map((f) => f.exitedAt)) - firstSpawn) / 1000
    const sharerCpuSeconds = (await sharer.proc.cpuSeconds()) - sharerCpuBefore
    const sharerPeakRss = await sharer.proc.peakRss()
    for (const [i, f] of finished.entries()) {
      const copy = sharer.copyOf(f.last)
      const actual = copy.sha256 ?? (copy.path !== undefined ? await sha256File(copy.path) : 'no copy reported')
      if (actual !== t.digest) throw new Error(`${what}: downloader ${i + 1}'s copy differs (sha256 ${actual}, expected ${t.digest})`)
    }
    return {
      implementation: t.implementation,
      downloaders: t.downloaders,
      run: t.run,
      seconds,
      sharerPeakRss,
      getPeakRss: Math.max(...finished.map((f) => f.peakRss)),
      sharerCpuSeconds,
      getCpuSeconds: finished.reduce((sum, f) => sum + f.cpu, 0),
      load
    }
  } finally {
    // Downloaders first (they have exited unless something failed), then the sharer, then the bootstrap.
    for (const proc of started.reverse()) await stopByPid(proc, o.log)
    await rm(dir, { recursive: true, force: true })
  }
}

async function bootstrapNode (t: Trial): Promise<string> {
  const bootstrap = t.spawn(BITSWARM, ['bootstrap', '--host', '127.0.0.1', '--port', '0'])
  return (await bootstrap.nextLine(STARTUP_MS)).trim()
}

async function bitswarmSharer (t: Trial): Promise<Sharer> {
  const address = await bootstrapNode(t)
  const proc = t.spawn(BITSWARM, ['share', t.source, '--json', ...NET(address)])
  const ready = JSON.parse(await proc.lineMatching((l) => l.includes('"event":"ready"'), STARTUP_MS)) as { link: string }
  await proc.lineMatching((l) => l.includes('"event":"announced"'), STARTUP_MS)
  return {
    proc,
    download: async (i) => t.spawn(BITSWARM, ['get', ready.link, '-o', join(t.dir, `d${i + 1}`), '--json', ...NET(address)]),
    doneLine: (l) => l.includes('"event":"done"'),
    copyOf: (line) => ({ path: (JSON.parse(line) as { path: string }).path })
  }
}

async function webtorrentSharer (t: Trial): Promise<Sharer> {
  const torrent = join(t.dir, 'content.torrent')
  const proc = t.spawn(WEBTORRENT_PEER, ['seed', t.source, torrent])
  const ready = JSON.parse(await proc.lineMatching((l) => l.includes('"event":"ready"'), STARTUP_MS)) as { port: number }
  // Each downloader listens on a port of its own and dials the seeder and all the others.
  const ports = await freePorts(t.downloaders)
  const addresses = [ready.port, ...ports].map((p) => `127.0.0.1:${p}`)
  return {
    proc,
    download: async (i) => t.spawn(WEBTORRENT_PEER, ['get', torrent, join(t.dir, `d${i + 1}`), String(ports[i]), addresses.filter((a) => a !== `127.0.0.1:${ports[i]}`).join(',')]),
    doneLine: (l) => l.includes('"event":"done"'),
    copyOf: (line) => ({ path: (JSON.parse(line) as { path: string }).path })
  }
}

async function rawSharer (t: Trial): Promise<Sharer> {
  const address = await bootstrapNode(t)
  const topic = randomBytes(32).toString('hex')
  const proc = t.spawn(RAW_PEER, ['serve', t.source, address, topic])
  await proc.lineMatching((l) => l.includes('"event":"ready"'), STARTUP_MS)
  const bytes = String(t.bytes)
  return {
    proc,
    download: async () => t.spawn(RAW_PEER, ['fetch', bytes, address, topic, 'sha256']),
    doneLine: (l) => l.includes('"event":"done"'),
    copyOf: (line) => ({ sha256: (JSON.parse(line) as { sha256: string }).sha256 })
  }
}

/** `n` TCP ports free on 127.0.0.1 right now (held together, so they differ). */
async function freePorts (n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, async () => await new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })))
  const ports = servers.map((s) => (s.address() as { port: number }).port)
  await Promise.all(servers.map(async (s) => await new Promise((resolve) => s.close(resolve))))
  return ports
}

async function withDeadline<T> (promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not done within ${(ms / 1000).toFixed(0)} s`)), ms) })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(0)

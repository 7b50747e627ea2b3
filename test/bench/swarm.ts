// Benchmark case "swarm": one `bitswarm share` and N `bitswarm get` processes on a fresh local
// bootstrap node, upload-limited so that 17 processes on 2 cores are not CPU-bound, run as a
// swarm (downloaders upload) and client–server (`--upload-slots 0` on the downloaders). Two
// times are set against the textbook lower bounds (bounds.ts), both ending at the last `done`:
// the transfer, from the moment the first downloader joined the swarm (its session started),
// and the whole run, from the spawn of the first downloader. The bounds model the transfer;
// the difference is N Node processes booting at once on a machine with 2 cores.
//
// A third mode, "stream", runs the swarm with every downloader streaming from the start
// (`bitswarm stream`, each read whole over HTTP as it arrives: stream-reader.ts): the cost of
// streaming to the swarm, against the same bound, and each streamer's start-up delay.
//
// BENCH_SWARM_NO_LIMITS=1 drops --upload-limit, --download-limit and --upload-slots from every
// command: a check of the harness against a CLI without them (the bounds, ratios and the
// client–server mode then mean nothing).

import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { type BoundInput, clientServerBound, swarmBound } from '../../src/swarm-bounds.js'
import { sha256File, writeRandomFile } from './files.js'
import { BITSWARM, type Proc, startProcess, stopByPid } from './processes.js'
import { formatMiB, summarize, type Summary } from './stats.js'
import { readStream, type StreamRead } from './stream-reader.js'
import { formatStream, type StreamRow, streamGoals, streamRow } from './swarm-stream.js'

export type Mode = 'swarm' | 'client-server' | 'stream'
export const MODES: readonly Mode[] = ['swarm', 'client-server', 'stream']

export interface SwarmCaseOptions {
  peers: number[]
  fileBytes: number
  runs: number
  modes: Mode[]
  /** u_s and u_i, bytes/s. */
  seederUpload: number
  downloaderUpload: number
  /** Download limit of every downloader, bytes/s, or null for none (d_min = ∞). */
  downloadLimit: number | null
  /** Stream mode: each streamer's playback rate once buffered, bytes/s; null reads as fast as
   *  bytes arrive. */
  playbackRate: number | null
  /** False with BENCH_SWARM_NO_LIMITS=1: none of the rate and slot flags are passed. */
  limits: boolean
  workDir: string
  log: (line: string) => void
}

export interface DownloaderRun {
  /** From this downloader's own spawn to its `done` line. */
  seconds: number
  /** `seconds` of its `done` event (the CLI's own clock). */
  reportedSeconds: number | null
  peakRss: number
  /** Payload bytes received / sent until its own `done` (it seeds on after), when given. */
  downloaded: number | null
  uploaded: number | null
  /** Stream mode: seconds from its spawn to the first byte and to the first STARTUP_BYTES read
   *  from its stream URL, and from the request to those STARTUP_BYTES. */
  stream: { firstByte: number, startup: number, startupFromRequest: number } | null
}

export interface SwarmRun {
  mode: Mode
  peers: number
  run: number
  /** From the first downloader's joining the swarm to the last `done`. */
  seconds: number
  /** From the spawn of the first downloader to the last `done`. */
  spawnSeconds: number
  bound: number
  ratio: number
  spawnRatio: number
  seederPeakRss: number
  downloaders: DownloaderRun[]
}

export interface ModeRow { seconds: Summary, spawnSeconds: Summary, bound: number, ratio: number, spawnRatio: number }
export interface SwarmRow { peers: number, swarm: ModeRow | null, clientServer: ModeRow | null, stream: StreamRow | null, speedup: number | null }

const NET = (bootstrap: string): string[] => ['--bootstrap', bootstrap, '--host', '127.0.0.1']
const STARTUP_MS = 60_000

export function boundFor (o: Pick<SwarmCaseOptions, 'fileBytes' | 'seederUpload' | 'downloaderUpload' | 'downloadLimit'>, mode: Mode, peers: number): number {
  const input: BoundInput = {
    fileBytes: o.fileBytes,
    seederUpload: o.seederUpload,
    downloaderUploads: new Array<number>(peers).fill(mode === 'client-server' ? 0 : o.downloaderUpload),
    downloadLimits: o.downloadLimit === null ? [] : new Array<number>(peers).fill(o.downloadLimit)
  }
  return mode === 'client-server' ? clientServerBound(input) : swarmBound(input)
}

export async function swarmCase (o: SwarmCaseOptions): Promise<{ rows: SwarmRow[], runs: SwarmRun[] }> {
  if (!o.limits) o.log('swarm: BENCH_SWARM_NO_LIMITS=1: no rate or slot flags are passed; bounds and ratios are not meaningful')
  const source = join(o.workDir, `swarm-content-${o.fileBytes}.bin`)
  o.log(`swarm ${formatMiB(o.fileBytes)}: writing the content`)
  const digest = await writeRandomFile(source, o.fileBytes)
  const runs: SwarmRun[] = []
  try {
    for (const peers of o.peers) {
      for (let run = 1; run <= o.runs; run++) {
        for (const mode of o.modes) {
          const result = await swarmRun(o, mode, peers, run, source, digest)
          runs.push(result)
          o.log(`  ${mode} N=${peers} run ${run}: ${result.seconds.toFixed(1)} s from the first join (${result.spawnSeconds.toFixed(1)} s from spawn), ` +
            `bound ${result.bound.toFixed(1)} s, ratio ${result.ratio.toFixed(2)} (${result.spawnRatio.toFixed(2)})`)
        }
      }
    }
  } finally {
    await rm(source, { force: true })
  }
  const rows = o.peers.map((peers): SwarmRow => {
    const of = (mode: Mode): ModeRow | null => {
      const mine = runs.filter((r) => r.peers === peers && r.mode === mode)
      if (mine.length === 0) return null
      const seconds = summarize(mine.map((r) => r.seconds))
      const spawnSeconds = summarize(mine.map((r) => r.spawnSeconds))
      const bound = mine[0]!.bound
      return { seconds, spawnSeconds, bound, ratio: seconds.median / bound, spawnRatio: spawnSeconds.median / bound }
    }
    const swarm = of('swarm')
    const clientServer = of('client-server')
    const streamed = of('stream')
    const stream = streamed === null ? null : streamRow(streamed, runs.filter((r) => r.peers === peers && r.mode === 'stream'))
    return { peers, swarm, clientServer, stream, speedup: swarm !== null && clientServer !== null ? clientServer.seconds.median / swarm.seconds.median : null }
  })
  return { rows, runs }
}

interface DoneEvent { event: 'done', path: string, size: number, downloaded?: number, uploaded?: number, seconds?: number }

async function swarmRun (o: SwarmCaseOptions, mode: Mode, peers: number, run: number, source: string, digest: string): Promise<SwarmRun> {
  const bound = boundFor(o, mode, peers)
  // A streamer reads at its playback rate however fast the swarm is.
  const playing = mode === 'stream' && o.playbackRate !== null ? o.fileBytes / o.playbackRate : 0
  const capMs = (3 * Math.max(bound, playing) + 30) * 1000
  const what = `${mode} N=${peers} run ${run}`
  const outRoot = join(o.workDir, `swarm-out-${mode}-${peers}-${run}`)
  const started: Proc[] = []
  const spawn = (args: string[]): Proc => { const p = startProcess(BITSWARM, args); started.push(p); return p }
  try {
    const bootstrap = spawn(['bootstrap', '--host', '127.0.0.1', '--port', '0'])
    const address = (await bootstrap.nextLine(STARTUP_MS)).trim()
    const share = spawn(['share', source, '--quiet', ...NET(address), ...seederFlags(o, mode, peers)])
    const link = (await share.nextLine(STARTUP_MS)).trim()
    if (!link.startsWith('bitswarm://')) throw new Error(`${what}: share printed "${link}", not a link`)

    const gets = Array.from({ length: peers }, (_, i) => mode === 'stream'
      // `stream` seeds on once complete, as --seed does.
      ? spawn(['stream', link, '-o', join(outRoot, `d${i + 1}`), '--json', ...NET(address), ...downloaderFlags(o, mode)])
      // --seed: a finished downloader goes on uploading, as the bounds assume; all stop at the end.
      : spawn(['get', link, '-o', join(outRoot, `d${i + 1}`), '--seed', '--json', ...NET(address), ...downloaderFlags(o, mode)]))
    const firstSpawn = gets[0]!.startedAt
    const deadline = firstSpawn + capMs
    const finished = await Promise.all(gets.map(async (get, i) => {
      const who = `${what}: downloader ${i + 1}/${peers}`
      // A streamer's `done` comes while it still plays: its read is awaited after.
      const reading = mode === 'stream' ? await streamFrom(get, deadline, who, digest, o.playbackRate) : null
      const line = await beforeDeadline(get.lineMatching((l) => l.includes('"event":"done"'), capMs), deadline, who)
      const doneAt = performance.now()
      const streamed = reading === null ? null : await reading.reading
      const done = JSON.parse(line) as DoneEvent
      const peakRss = await get.peakRss()
      return { done, doneAt, startedAt: get.startedAt, peakRss, streamed }
    }))
    const lastDone = Math.max(...finished.map((f) => f.doneAt))
    const spawnSeconds = (lastDone - firstSpawn) / 1000
    // A session starts once its node is up and joins the topic; `done.seconds` counts from there.
    const firstJoin = Math.min(...finished.map((f) => f.doneAt - 1000 * (f.done.seconds ?? (f.doneAt - f.startedAt) / 1000)))
    const seconds = (lastDone - firstJoin) / 1000

    for (const [i, f] of finished.entries()) {
      const actual = f.done.size === o.fileBytes ? await sha256File(f.done.path) : `size ${f.done.size}`
      if (actual !== digest) throw new Error(`${what}: downloader ${i + 1} wrote different content to ${f.done.path} (${actual}, expected sha256 ${digest})`)
    }
    const downloaders = finished.map((f): DownloaderRun => ({
      seconds: (f.doneAt - f.startedAt) / 1000,
      reportedSeconds: f.done.seconds ?? null,
      peakRss: f.peakRss,
      downloaded: f.done.downloaded ?? null,
      uploaded: f.done.uploaded ?? null,
      stream: f.streamed === null
        ? null
        : { firstByte: (f.streamed.firstByteAt - f.startedAt) / 1000, startup: (f.streamed.startupAt - f.startedAt) / 1000, startupFromRequest: (f.streamed.startupAt - f.streamed.requestedAt) / 1000 }
    }))
    return { mode, peers, run, seconds, spawnSeconds, bound, ratio: seconds / bound, spawnRatio: spawnSeconds / bound, seederPeakRss: await share.peakRss(), downloaders }
  } finally {
    // Downloaders first, then the seeder, then the bootstrap node; each by its own PID.
    for (const proc of started.reverse()) await stopByPid(proc, o.log)
    await rm(outRoot, { recursive: true, force: true })
  }
}

/** Waits for the streamer's URL and starts reading the file whole from it; the read checks
 *  the SHA-256 of what it served. */
async function streamFrom (get: Proc, deadline: number, who: string, digest: string, playbackRate: number | null): Promise<{ reading: Promise<StreamRead> }> {
  const line = await beforeDeadline(get.lineMatching((l) => l.includes('"event":"stream"'), STARTUP_MS), deadline, who)
  const { fileUrl } = JSON.parse(line) as { fileUrl: string }
  const reading = readStream(fileUrl, deadline, playbackRate).then((read) => {
    if (read.sha256 !== digest) throw new Error(`${who}: the stream served different bytes (${read.bytes} bytes, sha256 ${read.sha256}, expected ${digest})`)
    return read
  })
  reading.catch(() => {}) // awaited once `done` is in; this only keeps an early failure from counting as unhandled
  return { reading } // wrapped: an async function returning a promise would wait for it
}

/** The CLI takes rates with binary suffixes: 4194304 → "4M". */
export function rateArg (bytesPerSecond: number): string {
  for (const [suffix, unit] of [['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10]] as const) {
    if (bytesPerSecond >= unit && bytesPerSecond % unit === 0) return `${bytesPerSecond / unit}${suffix}`
  }
  return String(Math.round(bytesPerSecond))
}

function seederFlags (o: SwarmCaseOptions, mode: Mode, peers: number): string[] {
  if (!o.limits) return []
  // Client–server: the seeder serves every downloader at once, sharing u_s among all N.
  const slots = mode === 'client-server' ? ['--upload-slots', String(Math.max(16, peers))] : []
  return ['--upload-limit', rateArg(o.seederUpload), ...slots]
}

function downloaderFlags (o: SwarmCaseOptions, mode: Mode): string[] {
  // Streamers trade as swarm downloaders do: the same limits.
  if (!o.limits) return []
  return [
    '--upload-limit', rateArg(o.downloaderUpload),
    ...(mode === 'client-server' ? ['--upload-slots', '0'] : []),
    ...(o.downloadLimit !== null ? ['--download-limit', rateArg(o.downloadLimit)] : [])
  ]
}

async function beforeDeadline<T> (promise: Promise<T>, deadline: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    const ms = Math.max(0, deadline - performance.now())
    timer = setTimeout(() => reject(new Error(`${what}: not done within the cap (${(ms / 1000).toFixed(0)} s left)`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export function formatSwarm (rows: SwarmRow[], o: Pick<SwarmCaseOptions, 'fileBytes' | 'seederUpload' | 'downloaderUpload' | 'downloadLimit' | 'runs' | 'limits' | 'playbackRate'>): string {
  const rate = (b: number): string => `${(b / 2 ** 20).toFixed(b % 2 ** 20 === 0 ? 0 : 2)} MiB/s`
  const range = (x: Summary): string => o.runs > 1 ? `${x.median.toFixed(1)} (${x.min.toFixed(1)}–${x.max.toFixed(1)})` : x.median.toFixed(1)
  const width = o.runs > 1 ? 18 : 9
  const cell = (m: ModeRow | null): string[] => m === null
    ? ['–'.padEnd(width), '–'.padEnd(width), '–'.padEnd(8), '–'.padEnd(12)]
    : [range(m.seconds).padEnd(width), range(m.spawnSeconds).padEnd(width), m.bound.toFixed(1).padEnd(8), `${m.ratio.toFixed(2)} (${m.spawnRatio.toFixed(2)})`.padEnd(12)]
  const lines = [
    `swarm: one seeder → N downloaders, ${formatMiB(o.fileBytes)}, u_s = ${rate(o.seederUpload)}, u_i = ${rate(o.downloaderUpload)}, ` +
      `download ${o.downloadLimit === null ? 'unlimited' : rate(o.downloadLimit)}; separate processes on 127.0.0.1`,
    `seconds to the last verified completion, from the first downloader joining the swarm ("join") and from its spawn ("spawn")${o.runs > 1 ? '; median (min–max)' : ''}`,
    'ratio = join / lower bound (spawn / lower bound); the spawn figure adds N Node processes booting at once on 2 cores',
    ...(o.limits ? [] : ['BENCH_SWARM_NO_LIMITS=1: ran without rate and slot flags; the bounds do not apply']),
    '',
    ['N'.padEnd(4), 'swarm join'.padEnd(width), 'spawn'.padEnd(width), 'bound'.padEnd(8), 'ratio'.padEnd(12),
      'c–s join'.padEnd(width), 'spawn'.padEnd(width), 'bound'.padEnd(8), 'ratio'.padEnd(12), 'speed-up (c–s / swarm)'].join(' ')
  ]
  for (const r of rows) {
    lines.push([String(r.peers).padEnd(4), ...cell(r.swarm), ...cell(r.clientServer), r.speedup === null ? '–' : `${r.speedup.toFixed(1)}×`].join(' '))
  }
  lines.push(...formatStream(rows, o.runs, o.playbackRate))
  if (!o.limits) lines.push('', 'goals: not checked (no limits applied)')
  else lines.push('', ...goals(rows).map((g) => `goal ${g.goal}: ${g.met === null ? 'not measured' : g.met ? 'met' : 'MISSED'} (${g.detail})`))
  return lines.join('\n')
}

export interface Goal { goal: string, met: boolean | null, detail: string }

/** The goals: swarm ratio ≤ 1.2, client–server ratio ≤ 1.1, at N = 16 swarm ≥ 6× faster. */
export function goals (rows: SwarmRow[]): Goal[] {
  const ratios = (pick: (r: SwarmRow) => ModeRow | null): Array<[number, number]> => rows.flatMap((r) => { const m = pick(r); return m === null ? [] : [[m.ratio, m.spawnRatio] as [number, number]] })
  const worst = (values: Array<[number, number]>, limit: number, goal: string): Goal => {
    if (values.length === 0) return { goal, met: null, detail: 'mode not run' }
    const join = Math.max(...values.map((v) => v[0]))
    const spawn = Math.max(...values.map((v) => v[1]))
    return { goal, met: join <= limit, detail: `worst ${join.toFixed(2)} from the first join, ${spawn.toFixed(2)} from spawn` }
  }
  const at16 = rows.find((r) => r.peers === 16)?.speedup ?? null
  return [
    worst(ratios((r) => r.swarm), 1.2, 'swarm measured/bound ≤ 1.2'),
    worst(ratios((r) => r.clientServer), 1.1, 'client–server measured/bound ≤ 1.1'),
    { goal: 'swarm ≥ 6× faster than client–server at N = 16', met: at16 === null ? null : at16 >= 6, detail: at16 === null ? 'N = 16 not run in both modes' : `${at16.toFixed(1)}×` },
    ...streamGoals(rows)
  ]
}

// Benchmark case "flood": the trust issue's requirement that a peer sending 200,000 requests
// in 10 s keeps the seeder's queue at its cap and its memory growth under 64 MiB while an
// honest downloader keeps ≥ 70 % of its unattacked rate. Each run has two phases, in
// alternating order, each on a fresh bootstrap node and `bitswarm share --json` (upload-
// limited, so the honest rate has a ceiling that is not the CPU): one honest `bitswarm get`
// alone (the baseline), and one while flood-peer.ts connects under fresh keys and floods at
// the issue's rate. The seeder's warnings say where each flood was dropped (at the queue cap,
// or for requests while choked); its RSS is sampled from /proc in both phases.

import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sha256File, writeRandomFile } from './files.js'
import { BITSWARM, type Proc, startProcess, stopByPid } from './processes.js'
import { formatMiB, summarize, type Summary } from './stats.js'
import { rateArg } from './swarm.js'

const FLOOD_PEER = fileURLToPath(new URL('./flood-peer.js', import.meta.url))
const NET = (bootstrap: string): string[] => ['--bootstrap', bootstrap, '--host', '127.0.0.1']
const STARTUP_MS = 60_000
const RSS_SAMPLE_MS = 50
/** A stopped flooder first lets its connection attempt under way end (10 s at most). */
const SUMMARY_MS = 30_000
/** Lines are followed until the process exits; this only bounds a silent one. */
const FOLLOW_MS = 3_600_000
const MiB = 2 ** 20

/** As in the measurement the issue's figures came from: 64 pieces in the 64 MiB share. */
export const FLOOD_PIECE_BYTES = MiB
export const GOAL_RATIO = 0.7
export const GOAL_GROWTH_BYTES = 64 * MiB

export interface FloodCaseOptions {
  fileBytes: number
  pieceSize: number
  /** The seeder's --upload-limit, bytes/s. */
  uploadLimit: number
  /** The flooder's requests per second, and how many it sends before it may be stopped. */
  floodRate: number
  floodRequests: number
  runs: number
  workDir: string
  log: (line: string) => void
}

export interface GetFigures {
  /** The get's `done.seconds`, and from its spawn to its first `progress` with bytes (200 ms
   *  resolution): how long it waited to be served. */
  seconds: number
  firstByteSeconds: number
}

export interface Rss { before: number, peak: number, after: number, growth: number }

export interface FloodRun {
  run: number
  order: 'baseline first' | 'flooded first'
  /** Honest `get` rates, bytes/s over its `done.seconds` (from its session's start). */
  baselineRate: number
  floodedRate: number
  ratio: number
  baseline: GetFigures
  flooded: GetFigures
  /** Flood connections that ended while the flooded get ran, and over the whole flood. */
  floodsDuringGet: number
  floods: number
  unchokedAtOnce: number
  closedBySeeder: number
  failedConnects: number
  requests: number
  floodSeconds: number
  requestsPerSecond: number
  /** The seeder's warnings during the flooded phase, by why the peer was dropped. */
  droppedAtQueueCap: number
  droppedWhileChoked: number
  otherWarnings: number
  /** The seeder's RSS in the flooded phase, and in the unattacked one for comparison. */
  rss: Rss
  baselineRss: Rss
}

export async function floodCase (o: FloodCaseOptions): Promise<FloodRun[]> {
  const source = join(o.workDir, `flood-content-${o.fileBytes}.bin`)
  o.log(`flood ${formatMiB(o.fileBytes)}: writing the content`)
  const digest = await writeRandomFile(source, o.fileBytes)
  const runs: FloodRun[] = []
  try {
    for (let run = 1; run <= o.runs; run++) {
      const result = await floodRun(o, run, source, digest)
      runs.push(result)
      o.log(`  run ${run} (${result.order}): honest ${(result.baselineRate / MiB).toFixed(2)} → ${(result.floodedRate / MiB).toFixed(2)} MiB/s flooded ` +
        `(ratio ${result.ratio.toFixed(2)}), ${result.floodsDuringGet} floods during the get (${result.floods} in all, ${result.unchokedAtOnce} unchoked at once), ` +
        `${Math.round(result.requestsPerSecond)} requests/s, seeder RSS +${(result.rss.growth / MiB).toFixed(1)} MiB`)
    }
  } finally {
    await rm(source, { force: true })
  }
  return runs
}

interface Event { at: number, data: Record<string, unknown> & { event?: string } }

/** Every JSON line of a process as it comes, timestamped, until it exits. */
function follow (proc: Proc): { events: Event[], waitFor: (event: string, timeoutMs: number) => Promise<Event> } {
  const events: Event[] = []
  const waiters = new Set<() => void>()
  let ended = false
  void (async () => {
    for (;;) {
      let line: string
      try {
        line = await proc.nextLine(FOLLOW_MS)
      } catch {
        break // exited (or silent for FOLLOW_MS)
      }
      try {
        events.push({ at: performance.now(), data: JSON.parse(line) as Event['data'] })
      } catch {} // not JSON: not ours to read
      for (const w of [...waiters]) w()
    }
    ended = true
    for (const w of [...waiters]) w()
  })()
  const waitFor = (event: string, timeoutMs: number): Promise<Event> => new Promise((resolve, reject) => {
    const check = (): void => {
      const found = events.find((e) => e.data.event === event)
      if (found === undefined && !ended) return
      clearTimeout(timer)
      waiters.delete(check)
      if (found !== undefined) resolve(found)
      else reject(new Error(`pid ${proc.pid} exited before a "${event}" line`))
    }
    const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`pid ${proc.pid}: no "${event}" line within ${timeoutMs} ms`)) }, timeoutMs)
    waiters.add(check)
    check()
  })
  return { events, waitFor }
}

async function residentBytes (pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024
}

interface DoneEvent { event: 'done', path: string, size: number, seconds: number }
interface Phase { get: GetFigures & { rate: number }, rss: Rss }
type Flood = Omit<FloodRun, 'run' | 'order' | 'baselineRate' | 'floodedRate' | 'ratio' | 'baseline' | 'flooded' | 'rss' | 'baselineRss'>

/** One run: the unattacked and the flooded phase, each with a seeder of its own (a flood
 *  leaves the seeder's choking round without newcomer unchokes: a baseline right after one
 *  would not be unattacked), in alternating order. */
async function floodRun (o: FloodCaseOptions, run: number, source: string, digest: string): Promise<FloodRun> {
  const order = run % 2 === 1 ? 'baseline first' : 'flooded first'
  const phases = order === 'baseline first' ? [false, true] : [true, false]
  const results = new Map<boolean, Phase & { flood: Flood | null }>()
  for (const flooding of phases) results.set(flooding, await phase(o, `flood run ${run}`, source, digest, flooding))
  const baseline = results.get(false)!
  const flooded = results.get(true)!
  return {
    run,
    order,
    baselineRate: baseline.get.rate,
    floodedRate: flooded.get.rate,
    ratio: flooded.get.rate / baseline.get.rate,
    baseline: { seconds: baseline.get.seconds, firstByteSeconds: baseline.get.firstByteSeconds },
    flooded: { seconds: flooded.get.seconds, firstByteSeconds: flooded.get.firstByteSeconds },
    ...flooded.flood!,
    rss: flooded.rss,
    baselineRss: baseline.rss
  }
}

/** A bootstrap node, a seeder and one honest get, with the flooder beside it if `flooding`. */
async function phase (o: FloodCaseOptions, what: string, source: string, digest: string, flooding: boolean): Promise<Phase & { flood: Flood | null }> {
  const started: Proc[] = []
  const spawn = (script: string, args: string[]): Proc => { const p = startProcess(script, args); started.push(p); return p }
  const out = join(o.workDir, 'flood-out')
  let sampler: NodeJS.Timeout | undefined
  try {
    const bootstrap = spawn(BITSWARM, ['bootstrap', '--host', '127.0.0.1', '--port', '0'])
    const address = (await bootstrap.nextLine(STARTUP_MS)).trim()
    const share = spawn(BITSWARM, ['share', source, '--json', '--piece-size', rateArg(o.pieceSize), '--upload-limit', rateArg(o.uploadLimit), ...NET(address)])
    const seeder = follow(share)
    const link = (await seeder.waitFor('ready', STARTUP_MS)).data.link as string
    const before = await residentBytes(share.pid)
    let peak = before
    sampler = setInterval(() => { void residentBytes(share.pid).then((v) => { peak = Math.max(peak, v) }, () => {}) }, RSS_SAMPLE_MS)

    const pieceCount = Math.ceil(o.fileBytes / o.pieceSize)
    const flooderProc = flooding ? spawn(FLOOD_PEER, [address, link, String(pieceCount), String(o.floodRate), String(o.floodRequests)]) : null
    const flooder = flooderProc === null ? null : follow(flooderProc)
    await flooder?.waitFor('flooding', STARTUP_MS)

    const get = spawn(BITSWARM, ['get', link, '-o', out, '--json', ...NET(address)])
    let firstByteAt: number | null = null
    const firstBytes = (line: string): boolean => line.includes('"event":"progress"') && (JSON.parse(line) as { downloaded: number }).downloaded > 0
    const done = JSON.parse(await get.lineMatching((l) => {
      if (firstByteAt === null && firstBytes(l)) firstByteAt = performance.now()
      return l.includes('"event":"done"')
    }, (5 * o.fileBytes / o.uploadLimit + 60) * 1000)) as DoneEvent
    const doneAt = performance.now()
    const code = await get.exited
    if (code !== 0) throw new Error(`${what}: get exited with ${code}`)
    if (done.size !== o.fileBytes || (await sha256File(done.path)) !== digest) throw new Error(`${what}: get wrote different bytes to ${done.path}`)
    const figures = { rate: done.size / done.seconds, seconds: done.seconds, firstByteSeconds: ((firstByteAt ?? doneAt) - get.startedAt) / 1000 }

    let flood: Flood | null = null
    if (flooderProc !== null && flooder !== null) {
      // The whole flood reaches the seeder, however short the get was.
      await flooder.waitFor('flooded', (2 * o.floodRequests / o.floodRate + 60) * 1000)
      await flooderProc.stop('SIGINT')
      const summary = (await flooder.waitFor('summary', SUMMARY_MS)).data as Record<string, number>
      const warnings = seeder.events.filter((e) => e.data.event === 'warning').map((e) => String(e.data.message))
      const queueCap = warnings.filter((m) => m.includes('requests queued')).length
      const whileChoked = warnings.filter((m) => m.includes('while choked')).length
      flood = {
        floodsDuringGet: flooder.events.filter((e) => e.data.event === 'flood' && e.at >= get.startedAt && e.at <= doneAt).length,
        floods: summary.floods!,
        unchokedAtOnce: summary.unchokedAtOnce!,
        closedBySeeder: summary.closedBySeeder!,
        failedConnects: summary.failedConnects!,
        requests: summary.requests!,
        floodSeconds: summary.seconds!,
        requestsPerSecond: summary.requestsPerSecond!,
        droppedAtQueueCap: queueCap,
        droppedWhileChoked: whileChoked,
        otherWarnings: warnings.length - queueCap - whileChoked
      }
    }
    const after = await residentBytes(share.pid)
    peak = Math.max(peak, after)
    return { get: figures, rss: { before, peak, after, growth: peak - before }, flood }
  } finally {
    clearInterval(sampler)
    // Downloader and flooder first, then the seeder, then the bootstrap node; each by its PID.
    for (const proc of started.reverse()) await stopByPid(proc, o.log)
    await rm(out, { recursive: true, force: true })
  }
}

/** Each figure's median (min–max) over the runs; `ratio` is the median flooded rate over the
 *  median unattacked one, with the runs' own ratios beside it. */
export function summarizeFlood (runs: FloodRun[]): Record<'baselineRate' | 'floodedRate' | 'runRatios' | 'baselineFirstByte' | 'floodedFirstByte' |
'floodsDuringGet' | 'unchokedAtOnce' | 'requestsPerSecond' | 'rssBefore' | 'rssPeak' | 'rssAfter' | 'rssGrowth' | 'baselineRssGrowth', Summary> & { ratio: number } {
  const of = (pick: (r: FloodRun) => number): Summary => summarize(runs.map(pick))
  const baselineRate = of((r) => r.baselineRate)
  const floodedRate = of((r) => r.floodedRate)
  return {
    baselineRate,
    floodedRate,
    ratio: floodedRate.median / baselineRate.median,
    runRatios: of((r) => r.ratio),
    baselineFirstByte: of((r) => r.baseline.firstByteSeconds),
    floodedFirstByte: of((r) => r.flooded.firstByteSeconds),
    floodsDuringGet: of((r) => r.floodsDuringGet),
    unchokedAtOnce: of((r) => r.unchokedAtOnce),
    requestsPerSecond: of((r) => r.requestsPerSecond),
    rssBefore: of((r) => r.rss.before),
    rssPeak: of((r) => r.rss.peak),
    rssAfter: of((r) => r.rss.after),
    rssGrowth: of((r) => r.rss.growth),
    baselineRssGrowth: of((r) => r.baselineRss.growth)
  }
}

export interface FloodGoal { goal: string, met: boolean, detail: string }

export function floodGoals (runs: FloodRun[], o: Pick<FloodCaseOptions, 'floodRate' | 'floodRequests'>): FloodGoal[] {
  const s = summarizeFlood(runs)
  const worstGrowth = s.rssGrowth.max
  const slowest = s.requestsPerSecond.min
  const fewest = Math.min(...runs.map((r) => r.requests))
  const dropped = runs.every((r) => r.closedBySeeder === r.floods && r.droppedAtQueueCap + r.droppedWhileChoked === r.floods)
  return [
    { goal: `honest rate flooded / unattacked ≥ ${GOAL_RATIO.toFixed(2)}`, met: s.ratio >= GOAL_RATIO, detail: `${s.ratio.toFixed(2)} (runs ${s.runRatios.min.toFixed(2)}–${s.runRatios.max.toFixed(2)})` },
    { goal: `seeder RSS growth < ${formatMiB(GOAL_GROWTH_BYTES)}`, met: worstGrowth < GOAL_GROWTH_BYTES, detail: `worst ${(worstGrowth / MiB).toFixed(1)} MiB` },
    { goal: 'every flood dropped by the seeder, at the queue cap or for requests while choked', met: dropped, detail: runs.map((r) => `${r.droppedAtQueueCap} + ${r.droppedWhileChoked} of ${r.floods}`).join(', ') },
    { goal: `the flood as heavy as the issue's (≥ ${o.floodRequests} requests at ≥ ${o.floodRate}/s)`, met: fewest >= o.floodRequests && slowest >= 0.95 * o.floodRate, detail: `fewest ${fewest}, slowest ${Math.round(slowest)}/s` }
  ]
}

export function formatFlood (runs: FloodRun[], o: Pick<FloodCaseOptions, 'fileBytes' | 'pieceSize' | 'uploadLimit' | 'floodRate' | 'floodRequests' | 'runs'>): string {
  const s = summarizeFlood(runs)
  const range = (x: Summary, unit = 1, digits = 0): string => `${(x.median / unit).toFixed(digits)} (${(x.min / unit).toFixed(digits)}–${(x.max / unit).toFixed(digits)})`
  const each = (pick: (r: FloodRun) => number): string => runs.map(pick).join(', ')
  const lines = [
    `flood: one seeder (${formatMiB(o.fileBytes)}, ${rateArg(o.pieceSize)} pieces, --upload-limit ${rateArg(o.uploadLimit)}) and an honest get, unattacked and while a peer ` +
      `reconnecting under fresh keys sends ${o.floodRate} requests/s (at least ${o.floodRequests}); separate processes on 127.0.0.1`,
    `honest MiB/s over the get's own seconds (from its session start); median (min–max) of ${o.runs} runs, unattacked and flooded interleaved`,
    '',
    `honest unattacked      ${range(s.baselineRate, MiB, 2)} MiB/s`,
    `honest flooded         ${range(s.floodedRate, MiB, 2)} MiB/s`,
    `ratio (goal ≥ ${GOAL_RATIO.toFixed(2)})      ${s.ratio.toFixed(2)} (runs ${s.runRatios.min.toFixed(2)}–${s.runRatios.max.toFixed(2)})`,
    `first byte after, s    unattacked ${range(s.baselineFirstByte, 1, 1)}, flooded ${range(s.floodedFirstByte, 1, 1)} (from the get's spawn)`,
    `floods during the get  ${range(s.floodsDuringGet)} connections, each a fresh key dropped by the seeder`,
    `unchoked at once       ${range(s.unchokedAtOnce)} of ${each((r) => r.floods)} floods`,
    `dropped at queue cap   ${each((r) => r.droppedAtQueueCap)}; while choked ${each((r) => r.droppedWhileChoked)}; other warnings ${each((r) => r.otherWarnings)}`,
    `flooder requests/s     ${range(s.requestsPerSecond)} (${runs.map((r) => `${r.requests} in ${r.floodSeconds.toFixed(1)} s`).join(', ')})`,
    `seeder RSS, MiB        before ${range(s.rssBefore, MiB)}, peak ${range(s.rssPeak, MiB)}, after ${range(s.rssAfter, MiB)}`,
    `seeder RSS growth      ${range(s.rssGrowth, MiB, 1)} MiB flooded, ${range(s.baselineRssGrowth, MiB, 1)} MiB unattacked (goal < ${formatMiB(GOAL_GROWTH_BYTES)})`,
    '',
    ...floodGoals(runs, o).map((g) => `goal ${g.goal}: ${g.met ? 'met' : 'MISSED'} (${g.detail})`)
  ]
  return lines.join('\n')
}

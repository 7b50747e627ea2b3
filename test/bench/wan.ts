// Benchmark case "wan": bitswarm over emulated wide-area links (network namespaces, test/net/),
// against a bare hyperswarm stream of the same bytes on the same links in the same run.
//
//   delay  one downloader, 30±5 ms per backbone traversal (RTT ≈ 60 ms), 1 % loss each way
//   cap    the same, with the downloader's downlink capped (tbf, default 20 Mbit/s)
//   swarm  one seeder and N downloaders (default 4), each downlink capped as in `cap`:
//          time from the first fetching process's start to the last verified copy
//
// Two rates per downloader: from process start (DHT bootstrap, lookup and connection
// included), and while transferring (from the first content byte: how well the link is used).
// bitswarm's first byte is its first `progress` with bytes in it, counted from there.
//
// Every host (bootstrap, seeder, downloaders) is public, attached to the backbone. bitswarm
// runs the README recipe (`bootstrap --host`, `share`, `get --bootstrap`); the raw baseline is
// wan-raw-peer.ts (client–server: the seeder streams the whole file to every fetcher). Needs
// root, iproute2 and gcc, like `npm run test:net`.

import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CLI, startBootstrap } from '../net/bitswarm.js'
import { type NsProcess, ProcessSet, startNode } from '../net/processes.js'
import { type Host, type LinkProfile, Network } from '../net/topology.js'
import { sha256File, writeRandomFile } from './files.js'
import { formatSummary, megabytesPerSecond, summarize, type Summary } from './stats.js'

const RAW_PEER = fileURLToPath(new URL('./wan-raw-peer.js', import.meta.url))
const RUN_TIMEOUT_MS = 180_000

export const WAN_SETTINGS = ['delay', 'cap', 'swarm'] as const
export type WanSetting = typeof WAN_SETTINGS[number]

export interface WanOptions {
  bytes: number
  runs: number
  capMbit: number
  downloaders: number
  link: LinkProfile
  settings: WanSetting[]
  workDir: string
  log: (line: string) => void
}

export interface WanRow {
  setting: WanSetting
  downloaders: number
  capMbit: number | null
  /** Per-downloader MB/s: bytes over the time to the (last) verified copy. */
  raw: Summary
  bitswarm: Summary
  ratio: number
  /** Median rate over the cap, per downloader (null without a cap). */
  rawOfCap: number | null
  bitswarmOfCap: number | null
  rawSeconds: Summary
  bitswarmSeconds: Summary
  /** Median MB/s per downloader from its first content byte to its verified copy. */
  rawTransfer: Summary
  bitswarmTransfer: Summary
  transferRatio: number
  rawTransferOfCap: number | null
  bitswarmTransferOfCap: number | null
}

/** One run: seconds from the first process start to the last copy, and each downloader's
 *  MB/s from its first content byte on. */
interface RunResult { seconds: number, transferRates: number[] }

interface Hosts { seeder: Host, open: Host, capped: Host[] }

export async function wanCase (opts: WanOptions): Promise<WanRow[]> {
  if (process.getuid?.() !== 0) throw new Error('the wan case builds network namespaces: run it as root')
  const source = join(opts.workDir, 'wan-content.bin')
  const digest = await writeRandomFile(source, opts.bytes)
  const net = await Network.create({ link: opts.link })
  const procs = new ProcessSet()
  try {
    const boot = await net.publicHost('boot')
    const hosts: Hosts = { seeder: await net.publicHost('seeder'), open: await net.publicHost('open'), capped: [] }
    for (let i = 1; i <= opts.downloaders; i++) {
      const host = await net.publicHost(`d${i}`)
      await net.capDownlink(host, opts.capMbit)
      hosts.capped.push(host)
    }
    const bootstrap = await startBootstrap(procs, boot)
    const rows: WanRow[] = []
    for (const setting of opts.settings) {
      const targets = setting === 'delay' ? [hosts.open] : setting === 'cap' ? hosts.capped.slice(0, 1) : hosts.capped
      const raw: RunResult[] = []
      const swarm: RunResult[] = []
      for (let run = 1; run <= opts.runs; run++) {
        // Alternate which goes first, so neither always gets the warmer page cache.
        for (const which of run % 2 === 1 ? ['raw', 'bitswarm'] : ['bitswarm', 'raw']) {
          if (which === 'raw') raw.push(await rawRun(hosts.seeder, targets, source, opts.bytes, bootstrap))
          else swarm.push(await bitswarmRun(hosts.seeder, targets, source, digest, bootstrap, join(opts.workDir, 'out')))
        }
        opts.log(`  wan ${setting} run ${run}: raw ${raw.at(-1)!.seconds.toFixed(1)} s, bitswarm ${swarm.at(-1)!.seconds.toFixed(1)} s`)
      }
      const rate = (runs: RunResult[]): Summary => summarize(runs.map((r) => megabytesPerSecond(opts.bytes, r.seconds)))
      const transfer = (runs: RunResult[]): Summary => summarize(runs.flatMap((r) => r.transferRates))
      const capMbit = setting === 'delay' ? null : opts.capMbit
      const ofCap = (s: Summary): number | null => capMbit === null ? null : s.median / (capMbit / 8)
      const rawRate = rate(raw)
      const swarmRate = rate(swarm)
      const rawTransfer = transfer(raw)
      const swarmTransfer = transfer(swarm)
      rows.push({
        setting,
        downloaders: targets.length,
        capMbit,
        raw: rawRate,
        bitswarm: swarmRate,
        ratio: swarmRate.median / rawRate.median,
        rawOfCap: ofCap(rawRate),
        bitswarmOfCap: ofCap(swarmRate),
        rawSeconds: summarize(raw.map((r) => r.seconds)),
        bitswarmSeconds: summarize(swarm.map((r) => r.seconds)),
        rawTransfer,
        bitswarmTransfer: swarmTransfer,
        transferRatio: swarmTransfer.median / rawTransfer.median,
        rawTransferOfCap: ofCap(rawTransfer),
        bitswarmTransferOfCap: ofCap(swarmTransfer)
      })
    }
    return rows
  } finally {
    await procs.stopAll()
    await net.destroy()
    await rm(source, { force: true })
  }
}

/** One `share` on the seeder, one `get` per target at once: seconds from the first get's
 *  start to the last verified copy (each checked by SHA-256). */
async function bitswarmRun (seeder: Host, targets: Host[], source: string, digest: string, bootstrap: string, outDir: string): Promise<RunResult> {
  const procs = new ProcessSet()
  await rm(outDir, { recursive: true, force: true })
  try {
    const share = procs.add(startNode(seeder.ns, 'share', CLI, ['share', source, '--bootstrap', bootstrap, '--json']))
    const link = String((await share.waitFor('ready', (e) => e.event === 'ready', 30_000)).link)
    // --seed: a downloader that is done keeps serving the others until the last one is.
    const seed = targets.length > 1 ? ['--seed'] : []
    const gets = targets.map((h, i) => procs.add(startNode(h.ns, `get ${h.name}`, CLI, ['get', link, '-o', join(outDir, String(i)), '--bootstrap', bootstrap, '--json', '--timeout', '60', ...seed])))
    const done = await Promise.all(gets.map(async (g) => await g.waitFor('done', (e) => e.event === 'done', RUN_TIMEOUT_MS)))
    const seconds = lastDoneSeconds(gets)
    for (const d of done) if ((await sha256File(String(d.path))) !== digest) throw new Error('bitswarm get produced different bytes')
    return { seconds, transferRates: gets.map((g, i) => transferRate(g, Number(done[i]!.size))) }
  } finally {
    await procs.stopAll()
    await rm(outDir, { recursive: true, force: true })
  }
}

/** The raw server on the seeder, one fetcher per target at once. */
async function rawRun (seeder: Host, targets: Host[], source: string, bytes: number, bootstrap: string): Promise<RunResult> {
  const procs = new ProcessSet()
  const topic = randomBytes(32).toString('hex')
  try {
    const serve = procs.add(startNode(seeder.ns, 'raw serve', RAW_PEER, ['serve', source, bootstrap, topic]))
    await serve.waitFor('ready', (e) => e.event === 'ready', 60_000)
    const fetches = targets.map((h) => procs.add(startNode(h.ns, `raw fetch ${h.name}`, RAW_PEER, ['fetch', String(bytes), bootstrap, topic])))
    const done = await Promise.all(fetches.map(async (f) => await f.waitFor('done', (e) => e.event === 'done', RUN_TIMEOUT_MS)))
    for (const d of done) if (Number(d.bytes) < bytes) throw new Error(`raw fetch received ${String(d.bytes)} bytes, expected ${bytes}`)
    return { seconds: lastDoneSeconds(fetches), transferRates: done.map((d) => megabytesPerSecond(bytes, Number(d.transferSeconds))) }
  } finally {
    await procs.stopAll()
  }
}

/** MB/s of one `get` from its first `progress` with content bytes to its `done`: the bytes
 *  after that progress over the time after it. */
function transferRate (get: NsProcess, totalBytes: number): number {
  const first = get.events.findIndex((e) => e.event === 'progress' && Number(e.downloaded) > 0)
  const done = get.events.findIndex((e) => e.event === 'done')
  if (first < 0 || done < first) throw get.failure('no progress with content bytes before done')
  const seconds = (get.eventTimes[done]! - get.eventTimes[first]!) / 1000
  return megabytesPerSecond(totalBytes - Number(get.events[first]!.downloaded), seconds)
}

function lastDoneSeconds (procs: NsProcess[]): number {
  const first = Math.min(...procs.map((p) => p.startedAt))
  const last = Math.max(...procs.map((p) => p.eventTimes[p.events.findIndex((e) => e.event === 'done')] ?? NaN))
  return (last - first) / 1000
}

export function formatWan (rows: WanRow[], opts: Pick<WanOptions, 'bytes' | 'runs' | 'link'>): string {
  const l = opts.link
  const pct = (x: number | null): string => x === null ? '–' : `${(x * 100).toFixed(0)} %`
  const lines = [
    `wan: ${(opts.bytes / 2 ** 20).toFixed(0)} MiB over an emulated backbone, ${l.delayMs}±${l.jitterMs ?? 0} ms and ${l.lossPct ?? 0} % loss per traversal (RTT ≈ ${2 * l.delayMs} ms)`,
    `MB/s per downloader (MB = 10^6 B), median (min–max) of ${opts.runs}: from the first fetching process start to the last verified copy,`,
    'then while transferring (from each downloader\'s first content byte to its verified copy)',
    '',
    'case                          raw hyperswarm      bitswarm            ratio   of cap: raw / bitswarm   seconds: raw / bitswarm'
  ]
  const transferLines = ['', 'while transferring            raw hyperswarm      bitswarm            ratio   of cap: raw / bitswarm']
  for (const r of rows) {
    const name = r.setting === 'delay' ? '1 downloader' : `${r.downloaders} downloader${r.downloaders > 1 ? 's' : ''}, ${r.capMbit} Mbit/s`
    lines.push([
      name.padEnd(29),
      formatSummary(r.raw, 2).padEnd(19),
      formatSummary(r.bitswarm, 2).padEnd(19),
      r.ratio.toFixed(2).padEnd(7),
      `${pct(r.rawOfCap)} / ${pct(r.bitswarmOfCap)}`.padEnd(24),
      `${r.rawSeconds.median.toFixed(1)} / ${r.bitswarmSeconds.median.toFixed(1)}`
    ].join(' '))
    transferLines.push([
      name.padEnd(29),
      formatSummary(r.rawTransfer, 2).padEnd(19),
      formatSummary(r.bitswarmTransfer, 2).padEnd(19),
      r.transferRatio.toFixed(2).padEnd(7),
      `${pct(r.rawTransferOfCap)} / ${pct(r.bitswarmTransferOfCap)}`
    ].join(' '))
  }
  return [...lines, ...transferLines].join('\n')
}

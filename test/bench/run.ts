// `npm run bench`: runs the benchmark cases and prints their tables; the figures are also
// written to bench-results/ (JSON, and an SVG chart for the swarm case).
//
//   --case transfer|swarm|flood   (repeatable; default: transfer, swarm, then flood)
//   transfer: --sizes 256M,1G  --runs 3
//   swarm:    --peers 1,2,4,8,16  --size 32M  --runs 1  --modes swarm,client-server
//             --seeder-upload 4M  --upload 2M  [--download-limit <rate>]
//             --playback-rate 1M (stream mode: each streamer's reads once 4 MiB are buffered; max: no pacing)
//             BENCH_SWARM_NO_LIMITS=1 drops the rate and slot flags (see swarm.ts)
//   flood:    --runs 3  --flood-size 64M  --flood-upload 16M  --flood-rate 20000 (requests/s)
//             --flood-requests 200000
//   daemon (only when asked): --daemon-shares 1000
//   peers (only when asked; issue 14): --peers-size 256M  --peers-downloaders 1,4  --runs 3
//             bitswarm, WebTorrent over TCP and a raw hyperswarm stream, interleaved (peers.ts)
//   rss (only when asked): --rss-sizes 1G,4G  --runs 1  --rss-systems bitswarm[,webtorrent]
//   wan (only when asked, needs root; see wan.ts): --runs 3  --wan-size 16M  --wan-cap 20 (Mbit/s)
//             --wan-downloaders 4  --wan-settings delay,cap,swarm

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { parseByteSize } from '../../src/metadata/piece-size.js'
import { swarmChart } from './chart.js'
import { ROOT } from './processes.js'
import { formatMiB } from './stats.js'
import { daemonScaleCase, formatDaemonScale } from './daemon-scale.js'
import { FLOOD_PIECE_BYTES, floodCase, floodGoals, formatFlood } from './flood.js'
import { boundFor, formatSwarm, goals, type Mode, MODES, swarmCase } from './swarm.js'
import { formatTransfer, transferCase } from './transfer.js'
import { peersCase } from './peers.js'
import { formatPeers, IMPLEMENTATIONS, type Implementation } from './peers-summary.js'
import { formatRss, rssCase } from './rss.js'
import { formatWan, WAN_SETTINGS, wanCase, type WanSetting } from './wan.js'

const CASES = ['transfer', 'swarm', 'flood']
const OPTIONAL_CASES = ['wan', 'daemon', 'peers', 'rss']
const { values } = parseArgs({
  options: {
    case: { type: 'string', multiple: true },
    sizes: { type: 'string', default: '256M,1G' },
    runs: { type: 'string' },
    peers: { type: 'string', default: '1,2,4,8,16' },
    size: { type: 'string', default: '32M' },
    modes: { type: 'string', default: MODES.join(',') },
    'playback-rate': { type: 'string', default: '1M' },
    'seeder-upload': { type: 'string', default: '4M' },
    upload: { type: 'string', default: '2M' },
    'download-limit': { type: 'string' },
    'flood-size': { type: 'string', default: '64M' },
    'flood-upload': { type: 'string', default: '16M' },
    'flood-rate': { type: 'string', default: '20000' },
    'flood-requests': { type: 'string', default: '200000' },
    'wan-size': { type: 'string', default: '16M' },
    'wan-cap': { type: 'string', default: '20' },
    'wan-downloaders': { type: 'string', default: '4' },
    'wan-settings': { type: 'string', default: WAN_SETTINGS.join(',') },
    'daemon-shares': { type: 'string', default: '1000' },
    'peers-size': { type: 'string', default: '256M' },
    'peers-downloaders': { type: 'string', default: '1,4' },
    'rss-sizes': { type: 'string', default: '1G,4G' },
    'rss-systems': { type: 'string', default: 'bitswarm' }
  }
})
const cases = values.case ?? CASES
for (const c of cases) if (!CASES.includes(c) && !OPTIONAL_CASES.includes(c)) throw new Error(`unknown --case ${c}: expected one of ${[...CASES, ...OPTIONAL_CASES].join(', ')}`)
const runsFor = (fallback: number): number => {
  const runs = Number(values.runs ?? fallback)
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer')
  return runs
}
const log = (line: string): void => { process.stderr.write(line + '\n') }

const workDir = await mkdtemp(join(tmpdir(), 'bitswarm-bench-'))
const resultsDir = join(ROOT, 'bench-results')
await mkdir(resultsDir, { recursive: true })
try {
  if (cases.includes('transfer')) {
    const runs = runsFor(3)
    const sizes = values.sizes.split(',').map((s) => parseByteSize(s.trim()))
    const rows = await transferCase({ sizes, runs, workDir, log })
    process.stdout.write(formatTransfer(rows) + '\n')
    await writeFile(join(resultsDir, 'transfer.json'), JSON.stringify({ date: new Date().toISOString(), runs, rows }, null, 2) + '\n')
  }
  if (cases.includes('swarm')) {
    const peers = values.peers.split(',').map((s) => Number(s.trim()))
    if (peers.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--peers must be positive integers, e.g. 1,2,4,8,16')
    const modes = values.modes.split(',').map((s) => s.trim()) as Mode[]
    for (const m of modes) if (!MODES.includes(m)) throw new Error(`unknown mode ${m}: expected ${MODES.join(', ')}`)
    const options = {
      peers,
      fileBytes: parseByteSize(values.size),
      runs: runsFor(1),
      modes,
      seederUpload: parseByteSize(values['seeder-upload']),
      downloaderUpload: parseByteSize(values.upload),
      downloadLimit: values['download-limit'] === undefined ? null : parseByteSize(values['download-limit']),
      playbackRate: values['playback-rate'] === 'max' ? null : parseByteSize(values['playback-rate']),
      limits: process.env.BENCH_SWARM_NO_LIMITS !== '1'
    }
    const { rows, runs } = await swarmCase({ ...options, workDir, log })
    process.stdout.write(formatSwarm(rows, options) + '\n')
    await writeFile(join(resultsDir, 'swarm.json'), JSON.stringify({ date: new Date().toISOString(), parameters: options, goals: options.limits ? goals(rows) : null, rows, runs }, null, 2) + '\n')
    const rate = (b: number): string => `${+(b / 2 ** 20).toFixed(2)} MiB/s`
    const svg = swarmChart(rows.map((r) => ({
      peers: r.peers,
      swarm: r.swarm?.seconds.median ?? null,
      swarmBound: boundFor(options, 'swarm', r.peers),
      clientServer: r.clientServer?.seconds.median ?? null,
      clientServerBound: boundFor(options, 'client-server', r.peers)
    })), {
      subtitle: `${formatMiB(options.fileBytes)} file; seeder ${rate(options.seederUpload)}, downloaders ${rate(options.downloaderUpload)} upload; ` +
        'measured from the first downloader joining' +
        (options.limits ? '' : ' (NOT APPLIED: BENCH_SWARM_NO_LIMITS=1)')
    })
    await writeFile(join(resultsDir, 'swarm.svg'), svg)
    log(`swarm: wrote ${join(resultsDir, 'swarm.json')} and ${join(resultsDir, 'swarm.svg')}`)
  }
  if (cases.includes('flood')) {
    const options = {
      fileBytes: parseByteSize(values['flood-size']),
      pieceSize: FLOOD_PIECE_BYTES,
      uploadLimit: parseByteSize(values['flood-upload']),
      floodRate: Number(values['flood-rate']),
      floodRequests: Number(values['flood-requests']),
      runs: runsFor(3)
    }
    if (!Number.isInteger(options.floodRate) || options.floodRate < 1) throw new Error('--flood-rate must be a positive integer (requests/s)')
    if (!Number.isInteger(options.floodRequests) || options.floodRequests < 1) throw new Error('--flood-requests must be a positive integer')
    const runs = await floodCase({ ...options, workDir, log })
    process.stdout.write(formatFlood(runs, options) + '\n')
    await writeFile(join(resultsDir, 'flood.json'), JSON.stringify({ date: new Date().toISOString(), parameters: options, goals: floodGoals(runs, options), runs }, null, 2) + '\n')
    log(`flood: wrote ${join(resultsDir, 'flood.json')}`)
  }
  if (cases.includes('daemon')) {
    const shares = Number(values['daemon-shares'])
    if (!Number.isInteger(shares) || shares < 1) throw new Error('--daemon-shares must be a positive integer')
    const result = await daemonScaleCase({ shares, workDir, log })
    process.stdout.write(formatDaemonScale(result) + '\n')
    await writeFile(join(resultsDir, 'daemon.json'), JSON.stringify({ date: new Date().toISOString(), result }, null, 2) + '\n')
    log(`daemon: wrote ${join(resultsDir, 'daemon.json')}`)
  }
  if (cases.includes('peers')) {
    const downloaders = values['peers-downloaders'].split(',').map((s) => Number(s.trim()))
    if (downloaders.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--peers-downloaders must be positive integers, e.g. 1,4')
    const options = { bytes: parseByteSize(values['peers-size']), downloaders, runs: runsFor(3) }
    const date = new Date().toISOString()
    const { rows, trials } = await peersCase({ ...options, workDir, log })
    const note = `peers: ${formatMiB(options.bytes)}, one sharer already seeding → 1 or N downloaders, separate processes on 127.0.0.1; ` +
      `seconds from the first downloader's spawn to the last one's exit, median (min–max) of ${options.runs}; ` +
      'RSS: highest peak over the runs (get: the worst downloader); CPU: median user+sys (sharer: within the timed window; gets: summed); ' +
      `1-minute load at the trials' starts ${Math.min(...trials.map((t) => t.load)).toFixed(2)}–${Math.max(...trials.map((t) => t.load)).toFixed(2)} (${date})`
    process.stdout.write(formatPeers(rows, note) + '\n')
    await writeFile(join(resultsDir, 'peers.json'), JSON.stringify({ date, parameters: options, rows, trials }, null, 2) + '\n')
    log(`peers: wrote ${join(resultsDir, 'peers.json')}`)
  }
  if (cases.includes('rss')) {
    const implementations = values['rss-systems'].split(',').map((s) => s.trim()) as Implementation[]
    for (const i of implementations) if (!IMPLEMENTATIONS.includes(i)) throw new Error(`unknown --rss-systems ${i}: expected ${IMPLEMENTATIONS.join(', ')}`)
    const options = { sizes: values['rss-sizes'].split(',').map((s) => parseByteSize(s.trim())), runs: runsFor(1), implementations }
    const date = new Date().toISOString()
    const trials = await rssCase({ ...options, workDir, log })
    process.stdout.write(formatRss(trials) + '\n')
    await writeFile(join(resultsDir, 'rss.json'), JSON.stringify({ date, parameters: options, trials }, null, 2) + '\n')
    log(`rss: wrote ${join(resultsDir, 'rss.json')}`)
  }
  if (cases.includes('wan')) {
    const settings = values['wan-settings'].split(',').map((s) => s.trim()) as WanSetting[]
    for (const w of settings) if (!WAN_SETTINGS.includes(w)) throw new Error(`unknown wan setting ${w}: expected ${WAN_SETTINGS.join(', ')}`)
    const options = {
      bytes: parseByteSize(values['wan-size']),
      runs: runsFor(3),
      capMbit: Number(values['wan-cap']),
      downloaders: Number(values['wan-downloaders']),
      link: { delayMs: 30, jitterMs: 5, lossPct: 1 },
      settings
    }
    if (!(options.capMbit > 0)) throw new Error('--wan-cap must be a positive number of Mbit/s')
    if (!Number.isInteger(options.downloaders) || options.downloaders < 1) throw new Error('--wan-downloaders must be a positive integer')
    const rows = await wanCase({ ...options, workDir, log })
    process.stdout.write(formatWan(rows, options) + '\n')
    await writeFile(join(resultsDir, 'wan.json'), JSON.stringify({ date: new Date().toISOString(), parameters: options, rows }, null, 2) + '\n')
    log(`wan: wrote ${join(resultsDir, 'wan.json')}`)
  }
} finally {
  await rm(workDir, { recursive: true, force: true })
}

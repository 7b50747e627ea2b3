// The README's private-network recipe, as separate CLI processes inside namespaces:
//   bitswarm bootstrap --host <IP> --port P --json
//   bitswarm share <file> --bootstrap IP:P --json
//   bitswarm get <link> -o <dir> --bootstrap IP:P --json --timeout 60
// No --host and no --firewalled flags: the recipe has to work as a user would type it.
// BITSWARM_NET_BIN=<path to bin/bitswarm.js> runs another build (e.g. a checkout of HEAD).

import { BITSWARM, type JsonEvent, NsProcess, ProcessSet, startNode } from './processes.js'
import type { Host } from './topology.js'

export const CLI = process.env.BITSWARM_NET_BIN ?? BITSWARM
export const BOOTSTRAP_PORT = 49737
/** `get --timeout`: gives up when nothing arrived for this long. */
export const GET_TIMEOUT_S = 60
const START_TIMEOUT_MS = 30_000

export interface PeerRow {
  id: string
  seed?: boolean
  downloaded?: number
  uploaded?: number
  connection?: string
  [field: string]: unknown
}

/** `bitswarm bootstrap` on `host`; resolves with its `host:port` once it is ready. */
export async function startBootstrap (procs: ProcessSet, host: Host, port = BOOTSTRAP_PORT): Promise<string> {
  const proc = procs.add(startNode(host.ns, `bootstrap@${host.name}`, CLI, ['bootstrap', '--host', host.ip, '--port', String(port), '--json']))
  const ready = await proc.waitFor('ready', (e) => e.event === 'ready', START_TIMEOUT_MS)
  return String(ready.bootstrap)
}

/** `bitswarm share <file>` on `host`; resolves once it printed its link. */
export async function startShare (procs: ProcessSet, host: Host, file: string, bootstrap: string, extra: string[] = []): Promise<{ proc: NsProcess, link: string }> {
  const proc = procs.add(startNode(host.ns, `share@${host.name}`, CLI, ['share', file, '--bootstrap', bootstrap, '--json', ...extra]))
  const ready = await proc.waitFor('ready', (e) => e.event === 'ready' && typeof e.link === 'string', START_TIMEOUT_MS)
  return { proc, link: String(ready.link) }
}

/** `bitswarm get <link> -o <dir> --timeout 60` on `host` (it runs until done or it gives up). */
export function startGet (procs: ProcessSet, host: Host, link: string, outDir: string, bootstrap: string, extra: string[] = []): NsProcess {
  return procs.add(startNode(host.ns, `get@${host.name}`, CLI, ['get', link, '-o', outDir, '--bootstrap', bootstrap, '--json', '--timeout', String(GET_TIMEOUT_S), ...extra]))
}

/** The `done` event of a get; rejects with what it printed if it exits or stalls first. */
export async function awaitDone (get: NsProcess, timeoutMs = (GET_TIMEOUT_S + 60) * 1000): Promise<{ path: string, size: number }> {
  const done = await get.waitFor('done', (e) => e.event === 'done', timeoutMs)
  return { path: String(done.path), size: Number(done.size) }
}

/** Every peer id this process reported connected (`peer` events and `peers` rows). */
export function peersSeen (proc: NsProcess): Set<string> {
  const ids = new Set<string>()
  for (const e of proc.events) {
    if (e.event === 'peer' && e.connected === true && typeof e.id === 'string') ids.add(e.id)
    for (const row of rowsOf(e)) ids.add(row.id)
  }
  return ids
}

/** The latest `peers` row this process printed for each peer id. */
export function latestRows (proc: NsProcess): Map<string, PeerRow> {
  const rows = new Map<string, PeerRow>()
  for (const e of proc.events) for (const row of rowsOf(e)) rows.set(row.id, row)
  return rows
}

/** Every `peers` row this process printed, in order. */
export function allRows (proc: NsProcess): PeerRow[] {
  return proc.events.flatMap(rowsOf)
}

function rowsOf (e: JsonEvent): PeerRow[] {
  if (e.event !== 'peers' || !Array.isArray(e.peers)) return []
  return (e.peers as unknown[]).filter((r): r is PeerRow => typeof r === 'object' && r !== null && typeof (r as PeerRow).id === 'string')
}

/** A few lines per process: its state, its last events and its latest peer rows, for a
 *  failing scenario's message. */
export function describeAll (procs: NsProcess[]): string {
  return procs.map((p) => {
    const last = p.events.filter((e) => e.event !== 'progress' && e.event !== 'peers').slice(-3).map((e) => JSON.stringify(e).slice(0, 240))
    const rows = [...latestRows(p).values()].map((r) => `${r.id.slice(0, 8)} down ${r.downloaded ?? '?'} up ${r.uploaded ?? '?'}${r.connection !== undefined ? ` ${r.connection}` : ''}`)
    return `  ${p.label}: ${p.running ? 'running' : 'exited'}; peers [${rows.join('; ')}]\n    ${last.join('\n    ')}${p.stderr().trim() !== '' ? `\n    stderr: ${p.stderr().trim().slice(-300)}` : ''}`
  }).join('\n')
}

/** Waits until `proc` has reported at least `count` distinct connected peers. */
export async function awaitPeersSeen (proc: NsProcess, count: number, timeoutMs: number): Promise<Set<string>> {
  await proc.waitFor(`${count} peers seen`, () => peersSeen(proc).size >= count, timeoutMs)
  return peersSeen(proc)
}

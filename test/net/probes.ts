// Measurements across an emulated network with probe.mjs: UDP round trips and losses (and the
// source address each target observed, which shows what a NAT does to ports), TCP throughput.

import { join } from 'node:path'
import { NsProcess, ROOT, startNode } from './processes.js'
import type { Host } from './topology.js'

const PROBE = join(ROOT, 'test', 'net', 'probe.mjs')

export interface PingTarget {
  target: string
  sent: number
  received: number
  rtts: number[]
  /** Source addresses (ip:port) the target saw for our one local socket. */
  observed: string[]
}

export interface PingResult { localPort: number, targets: PingTarget[] }

/** A UDP echo server on `host`:`port`; stop it with `.stop()`. */
export async function udpEcho (host: Host, port: number): Promise<NsProcess> {
  const proc = startNode(host.ns, `udp-echo ${host.name}`, PROBE, ['udp-echo', String(port)])
  await proc.waitFor('ready', (e) => e.event === 'ready', 10_000)
  return proc
}

/** `count` probes to every target from one UDP socket on `from` (bound to `localPort`, 0 =
 *  any), `intervalMs` apart. */
export async function udpPing (from: Host, targets: string[], count: number, intervalMs: number, localPort = 0): Promise<PingResult> {
  const proc = startNode(from.ns, `udp-ping ${from.name}`, PROBE, ['udp-ping', targets.join(','), String(count), String(intervalMs), String(localPort)])
  try {
    const done = await proc.waitFor('done', (e) => e.event === 'done', count * intervalMs + 15_000)
    return done as unknown as PingResult
  } finally {
    await proc.stop()
  }
}

/** TCP goodput from `from` to `to` (port `port`) over `seconds`, in Mbit/s (10^6 bit). */
export async function tcpThroughput (from: Host, to: Host, port: number, seconds: number): Promise<number> {
  const sink = startNode(to.ns, `tcp-sink ${to.name}`, PROBE, ['tcp-sink', String(port)])
  try {
    await sink.waitFor('ready', (e) => e.event === 'ready', 10_000)
    const source = startNode(from.ns, `tcp-source ${from.name}`, PROBE, ['tcp-source', `${to.ip}:${port}`, String(seconds)])
    try {
      const received = await sink.waitFor('received', (e) => e.event === 'received', seconds * 1000 + 20_000)
      return (Number(received.bytes) * 8) / 1e6 / Number(received.seconds)
    } finally {
      await source.stop()
    }
  } finally {
    await sink.stop()
  }
}

export const median = (values: number[]): number => {
  if (values.length === 0) return NaN
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

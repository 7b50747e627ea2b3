// The delay/jitter/loss TUN program (tun-delay.c): compiled with gcc at test time into a cache
// folder keyed by the source's hash (no binary is committed), and started inside a namespace.

import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NsProcess, ROOT } from './processes.js'
import { run } from './shell.js'

const SOURCE = join(ROOT, 'test', 'net', 'tun-delay.c')
const READY_TIMEOUT_MS = 5000

/** What one traversal of the backbone does to a packet. */
export interface LinkProfile {
  /** Mean one-way delay added per traversal, in ms. */
  delayMs: number
  /** Uniform jitter: the delay is drawn from [delay - jitter, delay + jitter]. */
  jitterMs?: number
  /** Percent of packets dropped per traversal. */
  lossPct?: number
}

export const profileKey = (p: LinkProfile): string => `${p.delayMs}/${p.jitterMs ?? 0}/${p.lossPct ?? 0}`

let compiled: Promise<string> | null = null

/** The path of the compiled program (compiled once per source version). */
export async function tunDelayBinary (): Promise<string> {
  compiled ??= (async () => {
    const source = await readFile(SOURCE)
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 16)
    const dir = join(tmpdir(), 'bitswarm-net-cache')
    const binary = join(dir, `tun-delay-${hash}`)
    if (existsSync(binary)) return binary
    await mkdir(dir, { recursive: true })
    const partial = `${binary}.${process.pid}.tmp`
    await run('gcc', ['-O2', '-Wall', '-Wextra', '-o', partial, SOURCE])
    await rename(partial, binary) // atomic: a parallel run sees all or nothing
    return binary
  })()
  try {
    return await compiled
  } catch (err) {
    compiled = null
    throw err
  }
}

/** Starts tun-delay on device `dev` inside `ns`; resolves once the device is attached. */
export async function startTunDelay (ns: string, dev: string, profile: LinkProfile, queuePackets = 8192): Promise<NsProcess> {
  const binary = await tunDelayBinary()
  const proc = new NsProcess(ns, `tun-delay ${dev}`, binary, [
    '-i', dev,
    '-d', String(profile.delayMs),
    '-j', String(profile.jitterMs ?? 0),
    '-l', String(profile.lossPct ?? 0),
    '-q', String(queuePackets)
  ])
  await proc.waitForLine('ready', (l) => l === 'ready', READY_TIMEOUT_MS)
  return proc
}

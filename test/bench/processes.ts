// Child processes for benchmarks: spawned by path, read line by line, their peak RSS (VmHWM)
// and CPU seconds taken from /proc while they run, and stopped by their own PID only.

import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { cpuSecondsFromStat } from './peers-summary.js'

/** The repository root: the nearest folder above this file with a package.json. */
export const ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir)
  return dir
})()
export const BITSWARM = join(ROOT, 'bin', 'bitswarm.js')

const RSS_POLL_MS = 50
/** How long a process stopped with SIGINT may take before it gets SIGKILL. */
export const STOP_GRACE_MS = 10_000

export interface Proc {
  readonly startedAt: number
  readonly pid: number
  /** The next line of standard output (lines are queued until asked for). */
  nextLine (timeoutMs?: number): Promise<string>
  /** The first line for which `match` is true; earlier lines are dropped. */
  lineMatching (match: (line: string) => boolean, timeoutMs?: number): Promise<string>
  /** Highest resident set size seen so far, in bytes. */
  peakRss (): Promise<number>
  /** user+sys CPU seconds so far; once exited, as last sampled (up to RSS_POLL_MS before the end). */
  cpuSeconds (): Promise<number>
  stop (signal?: NodeJS.Signals): Promise<number | null>
  readonly exited: Promise<number | null>
}

export function startProcess (script: string, args: string[]): Proc {
  const startedAt = performance.now()
  const child: ChildProcess = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } })
  const pid = child.pid!
  const lines: string[] = []
  const waiters: Array<(line: string | null) => void> = []
  let stderr = ''
  child.stderr!.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-4000) })
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const waiter = waiters.shift()
    if (waiter !== undefined) waiter(line)
    else lines.push(line)
  })
  let peak = 0
  let cpu = 0
  const sample = async (): Promise<void> => {
    try {
      const [status, stat] = await Promise.all([readFile(`/proc/${pid}/status`, 'utf8'), readFile(`/proc/${pid}/stat`, 'utf8')])
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0)
      peak = Math.max(peak, kb * 1024)
      cpu = Math.max(cpu, cpuSecondsFromStat(stat))
    } catch {} // exited meanwhile: the last sample stands
  }
  const poller = setInterval(() => { void sample() }, RSS_POLL_MS)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    clearInterval(poller)
    for (const waiter of waiters.splice(0)) waiter(null)
    resolve(code)
  }))

  const nextLine = async (timeoutMs = 120_000): Promise<string> => {
    const queued = lines.shift()
    if (queued !== undefined) return queued
    if (child.exitCode !== null) throw new Error(`${script} exited (${child.exitCode}): ${stderr}`)
    const line = await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs)
      waiters.push((l) => { clearTimeout(timer); resolve(l) })
    })
    if (line === null) throw new Error(`${script} ${args[0] ?? ''}: no line within ${timeoutMs} ms or exited; stderr: ${stderr}`)
    return line
  }

  return {
    startedAt,
    pid,
    nextLine,
    async lineMatching (match, timeoutMs) {
      for (;;) {
        const line = await nextLine(timeoutMs)
        if (match(line)) return line
      }
    },
    async peakRss () {
      await sample()
      return peak
    },
    async cpuSeconds () {
      await sample()
      return cpu
    },
    async stop (signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, signal)
      return await exited
    },
    exited
  }
}

/** SIGINT, then SIGKILL if it has not exited after STOP_GRACE_MS. Never throws. */
export async function stopByPid (proc: Proc, log: (line: string) => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const grace = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), STOP_GRACE_MS) })
  try {
    const code = await Promise.race([proc.stop('SIGINT'), grace])
    if (code === 'late') {
      log(`  note: pid ${proc.pid} ignored SIGINT for ${STOP_GRACE_MS / 1000} s; SIGKILL`)
      await proc.stop('SIGKILL')
    } else if (code !== 0 && code !== null) log(`  note: pid ${proc.pid} exited with code ${code}`)
  } catch {} finally {
    clearTimeout(timer)
  }
}

// Commands for building emulated networks (`ip`, `nft`, `tc`, sysctl), and the bookkeeping
// that removes everything a run created: its namespaces and the processes it started, on
// `destroy()`, and from a process 'exit' handler if a run dies before that.
//
// Every namespace of a run is named `bsn-<pid>-<n>-<role>`, so parallel runs never collide and
// a later run can remove the namespaces of a run whose process no longer exists.

import { execFile, execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

export const NS_PREFIX = 'bsn-'
const COMMAND_TIMEOUT_MS = 20_000

export class CommandError extends Error {}

/** Runs a command to completion (bounded by a timeout); resolves with its standard output. */
export async function run (cmd: string, args: string[], input?: string): Promise<string> {
  return await new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: COMMAND_TIMEOUT_MS, maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) => {
      if (err !== null) reject(new CommandError(`${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`))
      else resolve(stdout)
    })
    if (input !== undefined) child.stdin?.end(input)
  })
}

/** `ip netns exec <ns> <cmd> …`: runs a command inside a namespace. */
export async function inNs (ns: string, cmd: string, args: string[], input?: string): Promise<string> {
  return await run('ip', ['netns', 'exec', ns, cmd, ...args], input)
}

export async function sysctl (ns: string, settings: Record<string, string | number>): Promise<void> {
  await inNs(ns, 'sysctl', ['-q', '-w', ...Object.entries(settings).map(([k, v]) => `${k}=${v}`)])
}

// ---- what this process created, removed on exit ----

const liveNamespaces = new Set<string>()
const livePids = new Set<number>()
let counter = 0
let exitHandlerInstalled = false

function installExitHandler (): void {
  if (exitHandlerInstalled) return
  exitHandlerInstalled = true
  // Synchronous on purpose: 'exit' handlers cannot wait.
  process.on('exit', () => {
    for (const pid of livePids) { try { process.kill(pid, 'SIGKILL') } catch {} }
    for (const ns of liveNamespaces) { try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore', timeout: 5000 }) } catch {} }
  })
  // A signal would end the process without 'exit': turn it into an exit (the usual codes).
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    if (process.listenerCount(signal) === 0) process.once(signal, () => process.exit(code))
  }
}

/** Registers a process this run started, so an exit handler kills it (by its PID) if the
 *  run ends before the process does. */
export function trackPid (pid: number): () => void {
  installExitHandler()
  livePids.add(pid)
  return () => { livePids.delete(pid) }
}

/** Creates a namespace `bsn-<pid>-<n>-<role>` with its loopback up. */
export async function createNamespace (role: string): Promise<string> {
  installExitHandler()
  if (counter === 0) await removeStaleNamespaces()
  const name = `${NS_PREFIX}${process.pid}-${++counter}-${role}`
  await run('ip', ['netns', 'add', name])
  liveNamespaces.add(name)
  await run('ip', ['-n', name, 'link', 'set', 'lo', 'up'])
  return name
}

export async function deleteNamespace (name: string): Promise<void> {
  try {
    await run('ip', ['netns', 'del', name])
  } catch (err) {
    if (!String(err).includes('No such file')) throw err
  }
  liveNamespaces.delete(name)
}

/** Namespaces left by runs whose process is gone (killed before its handlers ran). */
async function removeStaleNamespaces (): Promise<void> {
  let names: string[] = []
  try { names = readdirSync('/var/run/netns') } catch { return }
  for (const name of names) {
    const pid = Number(/^bsn-(\d+)-/.exec(name)?.[1] ?? NaN)
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue
    await deleteNamespace(name).catch(() => {})
  }
}

function alive (pid: number): boolean {
  try { process.kill(pid, 0); return true } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM' }
}

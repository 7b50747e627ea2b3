// Runs the built CLI (bin/bitswarm.js) as a separate process, as a user would.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect } from 'vitest'
import { tempDir, type TempDir } from './files.js'

export const BIN = fileURLToPath(new URL('../../bin/bitswarm.js', import.meta.url))

export interface CliProcess {
  child: ChildProcessWithoutNullStreams
  /** Resolves with each line of standard output, in order. */
  nextLine: (timeoutMs?: number) => Promise<string>
  stderr: () => string
  /** Resolves with standard error so far once `test` holds for it. */
  waitForStderr: (test: (stderr: string) => boolean, what: string, timeoutMs?: number) => Promise<string>
  exit: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  /** Sends a signal to this process only (by its PID). */
  kill: (signal?: NodeJS.Signals) => void
}

export function startCli (args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env, NO_COLOR: '1' } })
  const lines: string[] = []
  const waiters: Array<(line: string) => void> = []
  createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiters.shift()
    if (waiter !== undefined) waiter(line)
    else lines.push(line)
  })
  let err = ''
  const stderrWatchers = new Set<() => void>()
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString()
    for (const watcher of [...stderrWatchers]) watcher()
  })
  const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }))
  return {
    child,
    nextLine: async (timeoutMs = 30_000) => {
      const line = lines.shift()
      if (line !== undefined) return line
      return await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no output line within ${timeoutMs} ms; stderr: ${err}`)), timeoutMs)
        const onExit = (): void => { clearTimeout(timer); reject(new Error(`exited before printing a line; stderr: ${err}`)) }
        child.once('exit', onExit)
        waiters.push((l) => { clearTimeout(timer); child.off('exit', onExit); resolve(l) })
      })
    },
    stderr: () => err,
    waitForStderr: async (test, what, timeoutMs = 30_000) => {
      if (test(err)) return err
      return await new Promise<string>((resolve, reject) => {
        const done = (failure: Error | null): void => {
          clearTimeout(timer)
          stderrWatchers.delete(watch)
          child.off('exit', onExit)
          if (failure === null) resolve(err)
          else reject(failure)
        }
        const timer = setTimeout(() => done(new Error(`${what}: not on standard error within ${timeoutMs} ms: ${err}`)), timeoutMs)
        const onExit = (): void => done(new Error(`${what}: exited first; stderr: ${err}`))
        const watch = (): void => { if (test(err)) done(null) }
        stderrWatchers.add(watch)
        child.once('exit', onExit)
      })
    },
    exit,
    kill: (signal = 'SIGTERM') => { if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, signal) }
  }
}

/** Runs a command to completion. */
export async function runCli (args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env, NO_COLOR: '1' } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  const [code] = await once(child, 'exit') as [number | null]
  return { code, stdout, stderr }
}

/** A private network for one describe block: a `bitswarm bootstrap` process started before
 *  its tests and stopped (by PID) after them, with a temporary folder. */
export function useCliNetwork (): { readonly dir: TempDir, readonly address: string, net: () => string[] } {
  let dir: TempDir | null = null
  let bootstrap: CliProcess | null = null
  let address = ''
  beforeAll(async () => {
    dir = await tempDir()
    bootstrap = startCli(['bootstrap', '--host', '127.0.0.1', '--port', '0'])
    address = await bootstrap.nextLine()
  })
  afterAll(async () => {
    bootstrap?.kill('SIGTERM')
    const exit = await bootstrap?.exit
    await dir?.remove()
    expect(exit?.code).toBe(0)
  })
  return {
    get dir () { return dir! },
    get address () { return address },
    net: () => ['--bootstrap', address, '--host', '127.0.0.1']
  }
}

export interface PipedRun {
  code: number | null
  signal: NodeJS.Signals | null
  /** What the pipe's reader printed. */
  stdout: string
  stderr: string
}

/** Runs the CLI with its standard output (and with `both`, its standard error) into a shell
 *  pipe to `reader`, as `bitswarm … | head -1` does. The status is the CLI's own (bash execs
 *  into it); past `timeoutMs` it is killed by its PID and this rejects. */
export async function runCliIntoPipe (args: string[], opts: { reader?: string, both?: boolean, timeoutMs?: number } = {}): Promise<PipedRun> {
  const redirect = `> >(${opts.reader ?? 'head -1'})${opts.both === true ? ' 2>&1' : ''}`
  const child = spawn('bash', ['-c', `exec "$@" ${redirect}`, 'bash', process.execPath, BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  const timeoutMs = opts.timeoutMs ?? 30_000
  const timer = setTimeout(() => { if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL') }, timeoutMs)
  try {
    const [code, signal] = await once(child, 'close') as [number | null, NodeJS.Signals | null]
    if (signal === 'SIGKILL') throw new Error(`still running after ${timeoutMs} ms; stderr: ${stderr}`)
    return { code, signal, stdout, stderr }
  } finally {
    clearTimeout(timer)
  }
}

export interface TerminalCli {
  exit: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  /** Sends a signal to this process only (by its PID). */
  kill: (signal: NodeJS.Signals) => void
}

/** Starts the CLI with `fd` (a terminal, see openTerminal) as its standard input, output and
 *  error. It stays this process's child, so its exit status is known whatever the terminal does. */
export function startCliOnTerminal (args: string[], fd: number, env: NodeJS.ProcessEnv = {}): TerminalCli {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: [fd, fd, fd], env: { ...process.env, TERM: 'xterm-256color', ...env } })
  const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }))
  return {
    exit,
    kill: (signal) => { if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, signal) }
  }
}

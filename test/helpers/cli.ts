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
  child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString() })
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

// Runs the built CLI under a real pseudo-terminal (util-linux `script`), replaying what it
// draws into a virtual terminal of the same size, as a person at a terminal would see it.

import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, constants, openSync } from 'node:fs'
import { readFile, readlink } from 'node:fs/promises'
import { promisify } from 'node:util'
import { BIN } from './cli.js'
import { VirtualTerminal } from './virtual-terminal.js'

const run = promisify(execFile)

export interface PtyProcess {
  screen: VirtualTerminal
  /** Everything written to the terminal so far, escape codes included. */
  raw: () => string
  /** Resolves with the screen lines once `test` holds after some output. */
  waitForScreen: (test: (screen: VirtualTerminal) => boolean, what: string, timeoutMs?: number) => Promise<string[]>
  /** Types into the terminal: '\x03' is Ctrl-C. */
  type: (keys: string) => void
  /** Resizes the terminal, as dragging its window does (the process gets SIGWINCH). */
  resize: (columns: number, rows: number) => Promise<void>
  exit: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  /** Stops `script` (and so the CLI under it) by its PID. */
  kill: (signal?: NodeJS.Signals) => void
}

const quote = (arg: string): string => `'${arg.replace(/'/g, "'\\''")}'`

export function startInPty (args: string[], size: { columns: number, rows: number }, env: NodeJS.ProcessEnv = {}): PtyProcess {
  // The size is set inside the pseudo-terminal before the CLI starts, so it reads it as a
  // real terminal's (TIOCGWINSZ). -echoctl: a typed Ctrl-C is not echoed as "^C" where the
  // cursor is, which past a full-width last line counted as the view overflowing the edge.
  const command = `stty cols ${size.columns} rows ${size.rows} -echoctl; exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}`
  return startShellInPty(command, size, env)
}

/** A shell command under `script`, its terminal replayed into a virtual one. */
function startShellInPty (command: string, size: { columns: number, rows: number }, env: NodeJS.ProcessEnv = {}): PtyProcess {
  const child: ChildProcessWithoutNullStreams = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { ...process.env, TERM: 'xterm-256color', NO_COLOR: undefined, FORCE_COLOR: undefined, ...env }
  })
  const screen = new VirtualTerminal(size.columns, size.rows)
  let raw = ''
  const watchers = new Set<() => void>()
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    raw += chunk
    screen.write(chunk)
    for (const watcher of [...watchers]) watcher()
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }))

  const waitForScreen = async (test: (s: VirtualTerminal) => boolean, what: string, timeoutMs = 30_000): Promise<string[]> => {
    if (test(screen)) return screen.lines()
    return await new Promise<string[]>((resolve, reject) => {
      const done = (err: Error | null): void => {
        clearTimeout(timer)
        watchers.delete(watch)
        child.off('exit', onExit)
        if (err === null) resolve(screen.lines())
        else reject(err)
      }
      const describe = (): string => `${what}; screen:\n${screen.lines().join('\n')}\n${stderr}`
      const timer = setTimeout(() => done(new Error(`not seen within ${timeoutMs} ms: ${describe()}`)), timeoutMs)
      const onExit = (): void => done(new Error(`exited first: ${describe()}`))
      const watch = (): void => { if (test(screen)) done(null) }
      watchers.add(watch)
      child.once('exit', onExit)
    })
  }

  const resize = async (columns: number, rows: number): Promise<void> => {
    // The CLI is `script`'s child (its shell exec'd into node); its stderr is the terminal.
    const children = (await readFile(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')).trim().split(/\s+/)
    const tty = await readlink(`/proc/${children[0]}/fd/2`)
    screen.resize(columns, rows)
    await run('stty', ['-F', tty, 'cols', String(columns), 'rows', String(rows)])
  }

  return {
    screen,
    raw: () => raw,
    waitForScreen,
    type: (keys) => { child.stdin.write(keys) },
    resize,
    exit,
    kill: (signal = 'SIGTERM') => { if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, signal) }
  }
}

export interface Terminal {
  /** The terminal device (/dev/pts/N), open read-write: stdio for a process started on it. */
  fd: number
  screen: VirtualTerminal
  waitForScreen: PtyProcess['waitForScreen']
  /** Closes the terminal as a closed window does: `script`, which holds its other side, is
   *  killed (by its PID), and the device hangs up. */
  hangUp: () => Promise<void>
}

/** A terminal of `size` with nothing running on it but a placeholder (`sleep`): a process
 *  given its `fd` writes to it without being in its session, so no SIGHUP reaches it when
 *  the terminal goes (a background job, a shell that ignores SIGHUP). */
export async function openTerminal (size: { columns: number, rows: number }): Promise<Terminal> {
  const pty = startShellInPty(`stty cols ${size.columns} rows ${size.rows}; tty; exec sleep 300`, size)
  const [device] = await pty.waitForScreen((s) => /^\/dev\/pts\/\d+$/.test(s.lines()[0] ?? ''), 'the terminal device')
  const fd = openSync(device!, constants.O_RDWR | constants.O_NOCTTY)
  return {
    fd,
    screen: pty.screen,
    waitForScreen: pty.waitForScreen,
    hangUp: async () => {
      closeSync(fd)
      pty.kill('SIGKILL')
      await pty.exit
    }
  }
}

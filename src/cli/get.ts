// `bitswarm get <link>`: fetch the content into a folder; exit once it is complete and
// verified, or keep serving it with --seed.

import { mkdir, mkdtemp, access, constants as fsConstants, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { invalidOption, notWritable, timedOut } from '../errors.js'
import { parseLink } from '../metadata/link.js'
import type { BitswarmNode, NodeOptions } from '../node.js'
import { type SelectionRules } from '../selection/file-selection.js'
import { compileGlob } from '../selection/glob.js'
import type { SessionEvents, SessionStats } from '../session/events.js'
import type { Session } from '../session/session.js'
import { EXIT_INTERRUPTED } from './fail.js'
import { type NetworkFlags, parseSeconds, toNodeOptions } from './network-options.js'
import { explainNoPeers } from './no-peers.js'
import { Reporter } from './reporter.js'
import { type TransferFlags, toTransferOptions } from './transfer-options.js'
import { stopExitCode, untilStopped } from './signals.js'
import { copyContentToStdout } from './stdout-content.js'
import { serveStream, type StreamFlags, streamPort } from './stream.js'
import type { StreamServer } from '../stream/http-server.js'

export interface GetFlags extends NetworkFlags, TransferFlags, StreamFlags {
  output: string
  /** Serve the content over HTTP while it downloads, and keep serving once complete. */
  stream?: boolean
  seed?: boolean
  force?: boolean
  quiet?: boolean
  timeout?: string
  only?: string[]
  exclude?: string[]
}

/** How often --timeout looks at the progress. */
const STALL_CHECK_MS = 1_000

export async function get (link: string, flags: GetFlags): Promise<number> {
  parseLink(link) // a malformed link fails before any network work
  const selection = selectionOf(flags) // and so does a malformed pattern
  const timeoutMs = flags.timeout === undefined ? null : parseSeconds(flags.timeout) * 1000
  // `-o -`: the content on standard output, downloaded through a temporary folder that goes
  // with the command (there is no file to resume: the bytes already written are gone).
  const toStdout = flags.output === '-'
  if (toStdout && flags.json === true) throw invalidOption('--json and -o - both write to standard output: give -o a folder, or drop --json')
  if (toStdout && flags.seed === true) throw invalidOption('--seed needs the content kept in a folder: give -o a folder')
  if (toStdout && flags.stream === true) throw invalidOption('--stream serves the content from a folder: give -o a folder')
  if (flags.stream !== true && (flags.file !== undefined || flags.open !== undefined || flags.port !== undefined)) throw invalidOption('--file, --open and --port go with --stream (or `bitswarm stream`)')
  if (flags.stream === true) streamPort(flags)
  const nodeOptions: NodeOptions = { ...toNodeOptions(flags), ...toTransferOptions(flags) }
  // The HyperDHT stack loads only once the input is known good (150–210 ms of a start).
  const { BitswarmNode } = await import('../node.js')
  const outDir = toStdout ? await mkdtemp(join(tmpdir(), 'bitswarm-stdout-')) : resolve(flags.output)
  if (!toStdout) await ensureWritableFolder(outDir)
  return await fetch(new BitswarmNode(nodeOptions), link, flags, outDir, toStdout, timeoutMs, selection)
}

/** --only / --exclude, each pattern checked now; null when neither is given. */
function selectionOf (flags: GetFlags): SelectionRules | null {
  const only = flags.only ?? []
  const exclude = flags.exclude ?? []
  // The file streamed comes first; the rest downloads as usual.
  const priorities = flags.stream === true && flags.file !== undefined ? { priorities: { [flags.file]: 'high' as const } } : {}
  if (only.length === 0 && exclude.length === 0) return flags.file !== undefined && flags.stream === true ? priorities : null
  for (const pattern of [...only, ...exclude]) compileGlob(pattern)
  return { only, exclude, ...priorities }
}

async function fetch (node: BitswarmNode, link: string, flags: GetFlags, outDir: string, toStdout: boolean, timeoutMs: number | null, selection: SelectionRules | null): Promise<number> {
  const reporter = new Reporter({ json: flags.json === true, quiet: flags.quiet === true, role: 'get', contentOnStdout: toStdout })
  // Stopped before completing: the partial is kept for resuming.
  const stop = untilStopped((reason) => stopExitCode(reason, EXIT_INTERRUPTED))
  const stopped = stop.reason.then((reason) => ({ stopped: reason }))
  let failure: unknown = null
  const streamAborter = new AbortController()
  let streaming: Promise<StreamServer> | null = null
  try {
    reporter.watchNode(node)
    const started = await Promise.race([node.get(link, { outDir, force: flags.force === true, ...(selection !== null ? { selection } : {}) }), stopped])
    if ('stopped' in started) return stopExitCode(started.stopped, EXIT_INTERRUPTED)
    const session = started
    reporter.watch(session, link)
    if (flags.stream === true) streaming = serveStream(session, reporter, flags, streamAborter.signal)
    // completed(), not a `done` listener: a peer on the same LAN can deliver a small share
    // while node.get() still waits for its announce to land, before any listener is here.
    const copying = new AbortController()
    const finished = new Promise<SessionEvents['done']>((resolve, reject) => {
      const completed = session.completed()
      if (toStdout) {
        // Standard output gone: the stop watcher ends the command as SIGPIPE would.
        Promise.all([completed, copyContentToStdout(session, copying.signal)]).then(([done, written]) => { if (written) resolve(done) }, reject)
      } else {
        completed.then(resolve, reject)
      }
      if (timeoutMs !== null) giveUpWhenStalled(session, timeoutMs, reporter, reject)
      streaming?.catch(reject) // no such --file, the port taken
    })
    finished.catch(() => {}).finally(() => copying.abort())
    const first = await Promise.race([finished, stopped])
    if ('stopped' in first) return stopExitCode(first.stopped, EXIT_INTERRUPTED)
    const keepServing = flags.seed === true || flags.stream === true
    if (!keepServing) reporter.stop() // the summary; `done` is the last event when the command ends here
    reporter.done({ path: toStdout ? 'standard output' : first.path, size: first.totalBytes, downloaded: first.downloaded, uploaded: first.uploaded, seconds: first.seconds })
    if (keepServing) {
      reporter.say(flags.stream === true ? 'complete; still streaming and seeding, press Ctrl-C to stop' : 'seeding; press Ctrl-C to stop')
      return stopExitCode((await stopped).stopped, 0) // complete: stopping the seeding is no failure
    }
    return 0
  } catch (err) {
    failure = err
    throw err
  } finally {
    reporter.stop(failure)
    streamAborter.abort()
    await (await streaming?.catch(() => null))?.close()
    await node.close()
    // Before dispose(): after a stop, that exits as soon as the output is written.
    if (toStdout) await rm(outDir, { recursive: true, force: true })
    stop.dispose()
  }
}

/** --timeout: gives up once nothing has arrived for `ms` (no peer at all, or peers that send
 *  nothing), saying why there are no peers when there are none. The partial stays for resuming. */
function giveUpWhenStalled (session: Session, ms: number, reporter: Reporter, reject: (err: unknown) => void): void {
  // The most good bytes seen: bytes of pieces that failed their hash are no progress.
  let received = -1
  let since = Date.now()
  const timer = setInterval(() => {
    const stats = session.stats()
    if (stats.downloaded - stats.wasted > received || session.status === 'seeding') {
      received = stats.downloaded - stats.wasted
      since = Date.now()
      if (session.status === 'seeding') clearInterval(timer)
      return
    }
    if (Date.now() - since < ms) return
    clearInterval(timer)
    const liars = session.onlyBadPeers()
    if (liars !== null) {
      reject(liars)
      return
    }
    reject(timedOut(whyStalled(session, stats, ms, reporter)))
  }, STALL_CHECK_MS)
  timer.unref()
  session.once('close', () => clearInterval(timer))
}

/** What the wait came to, in the words of what did not happen: no peer, no metadata, no
 *  piece anyone holds, or no bytes. */
function whyStalled (session: Session, stats: SessionStats, ms: number, reporter: Reporter): string {
  const seconds = `${ms / 1000} s`
  if (stats.peers === 0) return reporter.lastLookup !== null ? explainNoPeers(reporter.lastLookup, 'get') : `no peer found in ${seconds}`
  const connected = `${stats.peers} ${stats.peers === 1 ? 'peer' : 'peers'} connected`
  if (session.meta === null) return `${connected} but none sent the metadata in ${seconds}`
  if (session.sources.starved) return `${connected} but none holds any of the ${stats.pieceCount - stats.have} missing pieces (the sharer may be gone)`
  return `${connected} but nothing received for ${seconds}`
}

/** Creates the output folder if needed and proves we may write there, before any network work. */
async function ensureWritableFolder (dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true })
    await access(dir, fsConstants.W_OK)
  } catch (err) {
    throw notWritable(dir, err)
  }
}

// `bitswarm get <link>`: fetch the content into a folder; exit once it is complete and
// verified, or keep serving it with --seed.

import { mkdir, access, constants as fsConstants } from 'node:fs/promises'
import { resolve } from 'node:path'
import { invalidOption, notWritable, timedOut } from '../errors.js'
import { parseLink } from '../metadata/link.js'
import { BitswarmNode } from '../node.js'
import type { SessionEvents } from '../session/events.js'
import type { Session } from '../session/session.js'
import { EXIT_INTERRUPTED } from './fail.js'
import { type NetworkFlags, toNodeOptions } from './network-options.js'
import { explainNoPeers } from './no-peers.js'
import { Reporter } from './reporter.js'
import { type TransferFlags, toTransferOptions } from './transfer-options.js'
import { untilSignal } from './signals.js'

export interface GetFlags extends NetworkFlags, TransferFlags {
  output: string
  seed?: boolean
  force?: boolean
  quiet?: boolean
  timeout?: string
}

/** How often --timeout looks at the progress. */
const STALL_CHECK_MS = 1_000

export async function get (link: string, flags: GetFlags): Promise<number> {
  parseLink(link) // a malformed link fails before any network work
  const timeoutMs = flags.timeout === undefined ? null : parseSeconds(flags.timeout) * 1000
  const outDir = resolve(flags.output)
  await ensureWritableFolder(outDir)
  const reporter = new Reporter({ json: flags.json === true, quiet: flags.quiet === true, role: 'get' })
  const node = new BitswarmNode({ ...toNodeOptions(flags), ...toTransferOptions(flags) })
  const stop = untilSignal()
  try {
    reporter.watchNode(node)
    const session = await node.get(link, { outDir, force: flags.force === true })
    reporter.watch(session, link)
    // completed(), not a `done` listener: a peer on the same LAN can deliver a small share
    // while node.get() still waits for its announce to land, before any listener is here.
    const finished = new Promise<SessionEvents['done']>((resolve, reject) => {
      session.completed().then(resolve, reject)
      if (timeoutMs !== null) giveUpWhenStalled(session, timeoutMs, reporter, reject)
    })
    finished.catch(() => {}) // it also rejects when the session closes after a signal won the race
    const first = await Promise.race([finished, stop.signal])
    if (typeof first === 'string') return EXIT_INTERRUPTED // a signal: the partial is kept for resuming
    if (flags.seed !== true) reporter.stop() // the summary; `done` is the last event when the command ends here
    reporter.done({ path: first.path, size: first.totalBytes, downloaded: first.downloaded, uploaded: first.uploaded, seconds: first.seconds })
    if (flags.seed === true) {
      reporter.say('seeding; press Ctrl-C to stop')
      await stop.signal
    }
    return 0
  } finally {
    stop.dispose()
    reporter.stop()
    await node.close()
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
    const why = stats.peers > 0 && session.sources.starved
      ? `${stats.peers} peers connected but none holds any of the ${stats.pieceCount - stats.have} missing pieces (the sharer may be gone)`
      : stats.peers > 0
      ? `${stats.peers} peers connected but nothing received for ${ms / 1000} s`
      : reporter.lastLookup !== null ? explainNoPeers(reporter.lastLookup, 'get') : `no peers found in ${ms / 1000} s`
    reject(timedOut(why))
  }, STALL_CHECK_MS)
  timer.unref()
  session.once('close', () => clearInterval(timer))
}

function parseSeconds (text: string): number {
  const seconds = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds > 0)) throw invalidOption(`--timeout needs a number of seconds above zero, not "${text}"`)
  return seconds
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

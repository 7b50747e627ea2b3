// `bitswarm share <path>`: hash, print the link, seed until stopped.

import { BitswarmNode } from '../node.js'
import { parseByteSize } from '../metadata/piece-size.js'
import { type NetworkFlags, toNodeOptions } from './network-options.js'
import { writeOut } from './output.js'
import { Reporter } from './reporter.js'
import { type TransferFlags, toTransferOptions } from './transfer-options.js'
import { stopExitCode, untilStopped } from './signals.js'

export interface ShareFlags extends NetworkFlags, TransferFlags {
  pieceSize?: string
  quiet?: boolean
}

/** Seeding has no end of its own: a signal is the normal way to stop, and exits 0. */
const EXIT_STOPPED = 0

export async function share (path: string, flags: ShareFlags): Promise<number> {
  const json = flags.json === true
  const reporter = new Reporter({ json, quiet: flags.quiet === true, role: 'share' })
  const pieceSize = flags.pieceSize !== undefined ? parseByteSize(flags.pieceSize) : undefined
  const node = new BitswarmNode({ ...toNodeOptions(flags), ...toTransferOptions(flags) })
  const stop = untilStopped((reason) => stopExitCode(reason, EXIT_STOPPED))
  const stopped = stop.reason.then((reason) => ({ stopped: reason }))
  let failure: unknown = null
  try {
    reporter.watchNode(node)
    // Hashing a large share takes a while: a signal meanwhile stops it too.
    const started = await Promise.race([node.share(path, pieceSize !== undefined ? { pieceSize } : {}), stopped])
    if ('stopped' in started) return stopExitCode(started.stopped, EXIT_STOPPED)
    const session = started
    const link = session.link
    // The link is the first line of standard output, whatever else is printed.
    if (!json) writeOut(link + '\n')
    reporter.watch(session, link) // emits `ready`: a share knows its metadata from the start
    reporter.say(`seeding ${session.meta!.name}; press Ctrl-C to stop`)
    const { stopped: reason } = await Promise.race([
      stopped,
      new Promise<never>((_resolve, reject) => session.once('error', reject))
    ])
    reporter.say(`stopping (${reason.kind === 'signal' ? reason.signal : `${reason.stream} closed`})`)
    return stopExitCode(reason, EXIT_STOPPED)
  } catch (err) {
    failure = err
    throw err
  } finally {
    reporter.stop(failure)
    await node.close()
    stop.dispose()
  }
}

// `bitswarm share <path...>`: hash each, print the links, seed them all until stopped.

import type { Session } from '../session/session.js'
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

/** Shares every path over one node (one DHT node, one connection per peer, a channel per
 *  share). The links come first on standard output, one line each in the order given; a
 *  path given twice is one share. */
export async function share (paths: string[], flags: ShareFlags): Promise<number> {
  const json = flags.json === true
  const several = paths.length > 1
  const pieceSize = flags.pieceSize !== undefined ? parseByteSize(flags.pieceSize) : undefined
  const nodeOptions = { ...toNodeOptions(flags), ...toTransferOptions(flags) }
  // The HyperDHT stack loads only once the options are known good.
  const { BitswarmNode } = await import('../node.js')
  const node = new BitswarmNode(nodeOptions)
  const stop = untilStopped((reason) => stopExitCode(reason, EXIT_STOPPED))
  const stopped = stop.reason.then((reason) => ({ stopped: reason }))
  const reporters: Reporter[] = []
  const nodeReporter = new Reporter({ json, quiet: flags.quiet === true, role: 'share', lines: several })
  let failure: unknown = null
  try {
    nodeReporter.watchNode(node)
    const sessions: Session[] = []
    for (const path of paths) {
      // Hashing a large share takes a while: a signal meanwhile stops it too.
      const started = await Promise.race([node.share(path, pieceSize !== undefined ? { pieceSize } : {}), stopped])
      if ('stopped' in started) return stopExitCode(started.stopped, EXIT_STOPPED)
      if (sessions.includes(started)) continue
      sessions.push(started)
      const link = started.link
      // The links are the first lines of standard output, whatever else is printed.
      if (!json) writeOut(link + '\n')
      const reporter = several
        ? new Reporter({ json, quiet: flags.quiet === true, role: 'share', lines: true, infoHash: started.infoHash.toString('hex') })
        : nodeReporter
      if (reporter !== nodeReporter) reporters.push(reporter)
      reporter.watch(started, link) // emits `ready`: a share knows its metadata from the start
      reporter.say(`seeding ${started.meta!.name}; press Ctrl-C to stop`)
    }
    const { stopped: reason } = await Promise.race([
      stopped,
      ...sessions.map(async (session) => await new Promise<never>((_resolve, reject) => session.once('error', reject)))
    ])
    nodeReporter.say(`stopping (${reason.kind === 'signal' ? reason.signal : `${reason.stream} closed`})`)
    return stopExitCode(reason, EXIT_STOPPED)
  } catch (err) {
    failure = err
    throw err
  } finally {
    for (const reporter of reporters) reporter.stop(failure)
    nodeReporter.stop(failure)
    await node.close()
    stop.dispose()
  }
}

// `bitswarm share <path>`: hash, print the link, seed until interrupted.

import { BitswarmNode } from '../node.js'
import { parseByteSize } from '../metadata/piece-size.js'
import { type NetworkFlags, toNodeOptions } from './network-options.js'
import { Reporter } from './reporter.js'
import { type TransferFlags, toTransferOptions } from './transfer-options.js'
import { untilSignal } from './signals.js'

export interface ShareFlags extends NetworkFlags, TransferFlags {
  pieceSize?: string
  quiet?: boolean
}

export async function share (path: string, flags: ShareFlags): Promise<number> {
  const json = flags.json === true
  const reporter = new Reporter({ json, quiet: flags.quiet === true, role: 'share' })
  const pieceSize = flags.pieceSize !== undefined ? parseByteSize(flags.pieceSize) : undefined
  const node = new BitswarmNode({ ...toNodeOptions(flags), ...toTransferOptions(flags) })
  const stop = untilSignal()
  try {
    reporter.watchNode(node)
    const session = await node.share(path, pieceSize !== undefined ? { pieceSize } : {})
    const link = session.link
    // The link is the first line of standard output, whatever else is printed.
    if (!json) process.stdout.write(link + '\n')
    reporter.watch(session, link) // emits `ready`: a share knows its metadata from the start
    reporter.say(`seeding ${session.meta!.name}; press Ctrl-C to stop`)
    const outcome = await Promise.race([
      stop.signal.then(() => 'signal' as const),
      new Promise<'error'>((resolve, reject) => session.once('error', reject))
    ])
    reporter.say(`stopping (${outcome})`)
    return 0
  } finally {
    stop.dispose()
    reporter.stop()
    await node.close()
  }
}

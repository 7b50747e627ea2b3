// `bitswarm get <link>`: fetch the content into a folder; exit once it is complete and
// verified, or keep serving it with --seed.

import { mkdir, access, constants as fsConstants } from 'node:fs/promises'
import { resolve } from 'node:path'
import { notWritable } from '../errors.js'
import { parseLink } from '../metadata/link.js'
import { BitswarmNode } from '../node.js'
import type { SessionEvents } from '../session/events.js'
import { EXIT_INTERRUPTED } from './fail.js'
import { type NetworkFlags, toNodeOptions } from './network-options.js'
import { Reporter } from './reporter.js'
import { type TransferFlags, toTransferOptions } from './transfer-options.js'
import { untilSignal } from './signals.js'

export interface GetFlags extends NetworkFlags, TransferFlags {
  output: string
  seed?: boolean
  force?: boolean
  quiet?: boolean
}

export async function get (link: string, flags: GetFlags): Promise<number> {
  parseLink(link) // a malformed link fails before any network work
  const outDir = resolve(flags.output)
  await ensureWritableFolder(outDir)
  const reporter = new Reporter({ json: flags.json === true, quiet: flags.quiet === true })
  const node = new BitswarmNode({ ...toNodeOptions(flags), ...toTransferOptions(flags) })
  const stop = untilSignal()
  try {
    reporter.watchNode(node)
    const session = await node.get(link, { outDir, force: flags.force === true })
    reporter.watch(session, link)
    const finished = new Promise<SessionEvents['done']>((resolve, reject) => {
      session.once('done', resolve)
      session.once('error', reject)
    })
    const first = await Promise.race([finished, stop.signal])
    if (typeof first === 'string') return EXIT_INTERRUPTED // a signal: the partial is kept for resuming
    if (flags.seed !== true) reporter.stop() // `done` is the last event when the command ends here
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

/** Creates the output folder if needed and proves we may write there, before any network work. */
async function ensureWritableFolder (dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true })
    await access(dir, fsConstants.W_OK)
  } catch (err) {
    throw notWritable(dir, err)
  }
}

// `bitswarm bootstrap`: run a private network's bootstrap node until interrupted.

import { startBootstrapNode, formatAddress, parsePort } from '../bootstrap.js'
import { invalidOption } from '../errors.js'
import { writeErr, writeOut } from './output.js'
import { jsonLine } from './printable.js'
import { stopExitCode, untilStopped } from './signals.js'

export interface BootstrapFlags {
  host?: string
  port?: string
  json?: boolean
}

export async function bootstrap (flags: BootstrapFlags): Promise<number> {
  const port = flags.port === undefined ? undefined : parsePort(flags.port)
  if (port === null) throw invalidOption(`--port needs a number from 0 to 65535, not "${flags.port}"`)
  const stop = untilStopped((reason) => stopExitCode(reason, 0))
  try {
    const node = await startBootstrapNode({ ...(flags.host !== undefined ? { host: flags.host } : {}), ...(port !== undefined ? { port } : {}) })
    const address = formatAddress(node.address)
    // The address is the first line of standard output: other nodes pass it to --bootstrap.
    writeOut(flags.json === true ? jsonLine({ event: 'ready', bootstrap: address }) : address + '\n')
    if (flags.json !== true) writeErr(`bootstrap node running; use --bootstrap ${address} on the other nodes; Ctrl-C to stop\n`)
    const reason = await stop.reason
    await node.destroy()
    return stopExitCode(reason, 0)
  } finally {
    stop.dispose()
  }
}

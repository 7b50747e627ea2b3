// `bitswarm bootstrap`: run a private network's bootstrap node until interrupted.

import { startBootstrapNode, formatAddress, parsePort } from '../bootstrap.js'
import { invalidOption } from '../errors.js'
import { untilSignal } from './signals.js'

export interface BootstrapFlags {
  host?: string
  port?: string
  json?: boolean
}

export async function bootstrap (flags: BootstrapFlags): Promise<number> {
  const port = flags.port === undefined ? undefined : parsePort(flags.port)
  if (port === null) throw invalidOption(`--port needs a number from 0 to 65535, not "${flags.port}"`)
  const stop = untilSignal()
  try {
    const node = await startBootstrapNode({ ...(flags.host !== undefined ? { host: flags.host } : {}), ...(port !== undefined ? { port } : {}) })
    const address = formatAddress(node.address)
    // The address is the first line of standard output: other nodes pass it to --bootstrap.
    process.stdout.write(flags.json === true ? JSON.stringify({ event: 'ready', bootstrap: address }) + '\n' : address + '\n')
    if (flags.json !== true) process.stderr.write(`bootstrap node running; use --bootstrap ${address} on the other nodes; Ctrl-C to stop\n`)
    await stop.signal
    await node.destroy()
    return 0
  } finally {
    stop.dispose()
  }
}

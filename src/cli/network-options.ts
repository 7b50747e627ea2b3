// The options every networked command shares: where the DHT starts and what it binds to.

import { Command, Option } from 'commander'
import { type BootstrapAddress, parseBootstrapList } from '../network/bootstrap-address.js'
import type { NodeOptions } from '../node.js'
import { isIP } from 'node:net'
import { invalidOption } from '../errors.js'

export interface NetworkFlags {
  bootstrap?: string
  host?: string
  firewalled?: boolean
  relay?: boolean
  json?: boolean
}

export function addNetworkOptions (command: Command): Command {
  return command
    .addOption(new Option('--bootstrap <host:port,...>', 'DHT bootstrap nodes of a private network (default: the public HyperDHT)').env('BITSWARM_BOOTSTRAP'))
    .addOption(new Option('--host <ip>', 'address the DHT binds to (e.g. 127.0.0.1)').env('BITSWARM_HOST'))
    .addOption(new Option('--firewalled', 'treat this node as behind a NAT (default: the DHT finds out)'))
    .addOption(new Option('--no-firewalled', 'treat this node as directly reachable (default: the DHT finds out)'))
    .addOption(new Option('--no-relay', 'never relay connections between other peers (a reachable node does by default; relayed bytes are not counted under --upload-limit)'))
    .option('--json', 'print one JSON event per line on standard output')
}

export function toNodeOptions (flags: NetworkFlags): NodeOptions {
  const opts: NodeOptions = {}
  if (flags.bootstrap !== undefined) opts.bootstrap = parseBootstrapList(flags.bootstrap)
  if (flags.host !== undefined) {
    if (isIP(flags.host) === 0) throw invalidOption(`--host needs an IP address, not "${flags.host}"`)
    opts.host = flags.host
  }
  if (flags.firewalled !== undefined) opts.firewalled = flags.firewalled
  if (flags.relay === false) opts.relay = false
  return opts
}

/** --timeout: a number of seconds above zero. */
export function parseSeconds (text: string): number {
  const seconds = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds > 0)) throw invalidOption(`--timeout needs a number of seconds above zero, not "${text}"`)
  return seconds
}

/** --port / --stream-port: a TCP port, 0 for any free one. */
export function parsePort (text: string, option: string): number {
  const port = Number(text)
  if (!/^\d+$/.test(text.trim()) || port > 65535) throw invalidOption(`${option} ${text}: expected a port number from 0 to 65535`)
  return port
}

export type { BootstrapAddress }

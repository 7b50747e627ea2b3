// `host:port` lists that point nodes at a private network's bootstrap node. Pure, and apart
// from bootstrap.ts so parsing the command line does not load the HyperDHT stack (the CLI's
// daemon clients and --help never need it).

import { invalidOption } from '../errors.js'

export interface BootstrapAddress {
  host: string
  port: number
}

export const formatAddress = ({ host, port }: BootstrapAddress): string => `${host}:${port}`

/** Parses `host:port[,host:port…]`; hosts may be names or IPv4 addresses. */
export function parseBootstrapList (text: string): BootstrapAddress[] {
  const entries = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0)
  if (entries.length === 0) throw invalidOption('--bootstrap needs at least one host:port')
  return entries.map((entry) => {
    const colon = entry.lastIndexOf(':')
    const host = entry.slice(0, colon)
    const port = parsePort(entry.slice(colon + 1))
    if (colon <= 0 || port === null || port === 0) throw invalidOption(`invalid bootstrap address "${entry}" (expected host:port)`)
    return { host, port }
  })
}

export function parsePort (text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null
  const port = Number(text)
  return port <= 65535 ? port : null
}

// The options every transferring command shares: how fast, and with how many peers.

import { Command, Option } from 'commander'
import { invalidOption } from '../errors.js'
import { parseByteSize } from '../metadata/piece-size.js'
import type { NodeOptions } from '../node.js'

export interface TransferFlags {
  uploadLimit?: string
  downloadLimit?: string
  uploadSlots?: string
  maxPeers?: string
}

export function addTransferOptions (command: Command): Command {
  return command
    .addOption(new Option('--upload-limit <rate>', 'most bytes per second sent, in all (e.g. 500K, 2M; 0 = no limit)'))
    .addOption(new Option('--download-limit <rate>', 'most bytes per second received, in all (e.g. 10M; 0 = no limit)'))
    .addOption(new Option('--upload-slots <n>', 'peers served at once, plus one optimistic (default 4; 0 = serve nobody)'))
    .addOption(new Option('--max-peers <n>', 'most peers connected at once (default 64)'))
}

export function toTransferOptions (flags: TransferFlags): NodeOptions {
  const opts: NodeOptions = {}
  if (flags.uploadLimit !== undefined) opts.uploadLimit = parseRate('--upload-limit', flags.uploadLimit)
  if (flags.downloadLimit !== undefined) opts.downloadLimit = parseRate('--download-limit', flags.downloadLimit)
  if (flags.uploadSlots !== undefined) opts.uploadSlots = parseCount('--upload-slots', flags.uploadSlots, 0)
  if (flags.maxPeers !== undefined) opts.maxPeers = parseCount('--max-peers', flags.maxPeers, 1)
  return opts
}

/** Bytes per second with the size suffixes of --piece-size ("2M" = 2 MiB/s). */
function parseRate (option: string, text: string): number {
  try {
    return parseByteSize(text)
  } catch {
    throw invalidOption(`${option} needs bytes per second, like 500K or 2M, not "${text}"`)
  }
}

function parseCount (option: string, text: string, min: number): number {
  const n = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw invalidOption(`${option} needs a whole number${min > 0 ? ` of at least ${min}` : ''}, not "${text}"`)
  }
  return n
}

// `bitswarm info <link|path>`: the files a link names, fetched from its peers (nothing is
// downloaded or announced), or what sharing a path would produce.

import { stat } from 'node:fs/promises'
import { createMetadata } from '../metadata/create.js'
import { formatLink, parseLink } from '../metadata/link.js'
import type { Metadata } from '../metadata/metadata.js'
import { parseByteSize } from '../metadata/piece-size.js'
import { formatBytes } from './format.js'
import { type NetworkFlags, parseSeconds, toNodeOptions } from './network-options.js'
import { explainNoPeers } from './no-peers.js'
import { writeOut } from './output.js'
import { jsonLine, printable } from './printable.js'
import { stopExitCode, untilStopped } from './signals.js'
import { EXIT_INTERRUPTED } from './fail.js'
import { timedOut, isBitswarmError } from '../errors.js'
import { INFO_TIMEOUT_S } from '../constants.js'

export interface InfoFlags extends NetworkFlags {
  pieceSize?: string
  timeout?: string
}

interface Described {
  link: string
  infoHash: string
  name: string
  size: number
  pieces: number
  pieceSize: number
  metadataSize: number
  files: Array<{ path: string, size: number }>
}

export async function info (target: string, flags: InfoFlags): Promise<number> {
  const timeoutMs = parseSeconds(flags.timeout ?? String(INFO_TIMEOUT_S)) * 1000
  let meta: Metadata
  if (await isPath(target)) {
    const pieceSize = flags.pieceSize !== undefined ? parseByteSize(flags.pieceSize) : undefined
    meta = await createMetadata(target, pieceSize !== undefined ? { pieceSize } : {})
  } else {
    const fetched = await fetchMetadata(target, flags, timeoutMs)
    if (typeof fetched === 'number') return fetched
    meta = fetched
  }
  const fields = describe(meta)
  if (flags.json === true) {
    writeOut(jsonLine({ event: 'info', ...fields }))
    return 0
  }
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'files') continue
    const shown = typeof value === 'number' && /size$/i.test(key) ? `${value} (${formatBytes(value)})` : printable(String(value))
    writeOut(`${key.padEnd(12)} ${shown}\n`)
  }
  writeOut(`${'files'.padEnd(12)} ${fields.files.length}\n`)
  for (const file of fields.files) writeOut(`  ${formatBytes(file.size).padStart(10)}  ${printable(file.path)}\n`)
  return 0
}

/** Asks the link's peers for its metadata; the exit status instead when a signal stops it. */
async function fetchMetadata (link: string, flags: InfoFlags, timeoutMs: number): Promise<Metadata | number> {
  parseLink(link) // a malformed link fails before any network work
  const nodeOptions = toNodeOptions(flags)
  // The HyperDHT stack loads only once the input is known good.
  const { BitswarmNode } = await import('../node.js')
  const node = new BitswarmNode(nodeOptions)
  let lastLookup: Parameters<typeof explainNoPeers>[0] | null = null
  node.on('lookup', (report) => { lastLookup = report })
  const stop = untilStopped((reason) => stopExitCode(reason, EXIT_INTERRUPTED))
  try {
    const fetched = node.fetchMetadata(link, { timeoutMs }).catch((err: unknown) => {
      // A timeout says why no peer answered, as `get` does.
      if (isBitswarmError(err) && err.code === 'ERR_TIMEOUT' && lastLookup !== null) throw timedOut(explainNoPeers(lastLookup, 'get'))
      throw err
    })
    const first = await Promise.race([fetched, stop.reason.then((reason) => ({ stopped: reason }))])
    if ('stopped' in first) return stopExitCode(first.stopped, EXIT_INTERRUPTED)
    return first
  } finally {
    await node.close()
    stop.dispose()
  }
}

function describe (meta: Metadata): Described {
  const single = meta.info.files.length === 1 && meta.info.files[0]!.path.length === 0
  return {
    link: formatLink(meta.infoHash, meta.name),
    infoHash: meta.infoHash.toString('hex'),
    name: meta.name,
    size: meta.totalBytes,
    pieces: meta.pieceCount,
    pieceSize: meta.pieceSize,
    metadataSize: meta.bytes.length,
    files: meta.info.files.map((f) => ({ path: single ? meta.name : f.path.join('/'), size: f.length }))
  }
}

/** A link never names an existing path; anything that exists on disk is a path. */
async function isPath (target: string): Promise<boolean> {
  if (target.startsWith('bitswarm:')) return false
  try {
    await stat(target)
    return true
  } catch {
    return !/^[0-9a-f]{64}$/i.test(target.trim())
  }
}

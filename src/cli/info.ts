// `bitswarm info <link|path>`: what a link names, or what sharing a path would produce.

import { stat } from 'node:fs/promises'
import { createMetadata } from '../metadata/create.js'
import { formatLink, parseLink } from '../metadata/link.js'
import { parseByteSize } from '../metadata/piece-size.js'
import { formatBytes } from './format.js'
import { writeOut } from './output.js'
import { jsonLine, printable } from './printable.js'

export interface InfoFlags {
  json?: boolean
  pieceSize?: string
}

export async function info (target: string, flags: InfoFlags): Promise<number> {
  const fields = await describe(target, flags)
  if (flags.json === true) {
    writeOut(jsonLine({ event: 'info', ...fields }))
    return 0
  }
  for (const [key, value] of Object.entries(fields)) {
    const shown = typeof value === 'number' && key.endsWith('size') ? `${value} (${formatBytes(value)})` : printable(String(value))
    writeOut(`${key.padEnd(10)} ${shown}\n`)
  }
  return 0
}

async function describe (target: string, flags: InfoFlags): Promise<Record<string, string | number | null>> {
  if (!(await isPath(target))) {
    const { infoHash, name } = parseLink(target)
    return { link: formatLink(infoHash, name ?? undefined), infoHash: infoHash.toString('hex'), name }
  }
  const pieceSize = flags.pieceSize !== undefined ? parseByteSize(flags.pieceSize) : undefined
  const meta = await createMetadata(target, pieceSize !== undefined ? { pieceSize } : {})
  return {
    link: formatLink(meta.infoHash, meta.name),
    infoHash: meta.infoHash.toString('hex'),
    name: meta.name,
    size: meta.totalBytes,
    files: meta.info.files.length,
    pieces: meta.pieceCount,
    pieceSize: meta.pieceSize,
    metadataSize: meta.bytes.length
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

// The metadata of shares already hashed, so `share` of unchanged content starts at once.
// An entry is keyed by the share's absolute path and the piece size asked for, and holds
// every file's size and modification time as they were when it was hashed: it is used only
// when all of them still match, and its metadata is decoded and checked against the files
// again. Anything that does not decode or match is ignored (the share is hashed again).
// Bounded: METADATA_CACHE_MAX_ENTRIES entries and METADATA_CACHE_MAX_BYTES, the least
// recently used removed first.

import { createHash } from 'node:crypto'
import { mkdir, readdir, rm, stat, utimes } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, join } from 'node:path'
import { HASH_BYTES, MAX_METADATA_BYTES, METADATA_CACHE_MAX_BYTES, METADATA_CACHE_MAX_ENTRIES } from '../constants.js'
import { readSmallFile, replaceFile } from '../storage/atomic-file.js'
import type { ShareFile, ShareLayout } from './create.js'
import { Metadata } from './metadata.js'
import { choosePieceSize } from './piece-size.js'

const MAGIC = Buffer.from('BSWMETA1', 'latin1')
const ENTRY_SUFFIX = '.meta'

/** The cache folder: BITSWARM_CACHE_DIR, else $XDG_CACHE_HOME/bitswarm, else ~/.cache/bitswarm. */
export function defaultCacheDir (env: NodeJS.ProcessEnv = process.env): string {
  if (env.BITSWARM_CACHE_DIR !== undefined && env.BITSWARM_CACHE_DIR !== '') return env.BITSWARM_CACHE_DIR
  const base = env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache')
  return join(base, 'bitswarm')
}

interface Entry {
  root: string
  /** The piece size asked for; 0 for the automatic choice. */
  pieceSize: number
  files: Array<{ size: number, mtimeNs: bigint }>
  metadata: Buffer
}

export class MetadataCache {
  readonly dir: string
  private readonly maxEntries: number
  private readonly maxBytes: number

  constructor (dir: string, limits: { maxEntries?: number, maxBytes?: number } = {}) {
    this.dir = dir
    this.maxEntries = limits.maxEntries ?? METADATA_CACHE_MAX_ENTRIES
    this.maxBytes = limits.maxBytes ?? METADATA_CACHE_MAX_BYTES
  }

  /** The metadata hashed before for exactly these files, or null. Never throws. */
  async load (share: ShareLayout, pieceSize?: number): Promise<Metadata | null> {
    const path = this.entryPath(share.root, pieceSize)
    try {
      const bytes = await readSmallFile(path, entryBytesBound(share.root, share.files.length))
      const entry = bytes === null ? null : decodeEntry(bytes)
      if (entry === null || !matches(entry, share, pieceSize)) return null
      const meta = Metadata.fromBytes(entry.metadata)
      if (!describes(meta, share, pieceSize)) return null
      const now = new Date()
      await utimes(path, now, now).catch(() => {}) // most recently used: kept longest
      return meta
    } catch {
      return null
    }
  }

  /** Remembers `meta` for these files; a cache that cannot be written is simply not used. */
  async store (share: ShareLayout, pieceSize: number | undefined, meta: Metadata): Promise<void> {
    const bytes = encodeEntry({ root: share.root, pieceSize: pieceSize ?? 0, files: share.files.map(toState), metadata: meta.bytes })
    if (bytes.byteLength > this.maxBytes) return
    try {
      await mkdir(this.dir, { recursive: true })
      await replaceFile(this.entryPath(share.root, pieceSize), bytes, false)
      await this.prune()
    } catch {
      // Best effort: the share is just hashed again next time.
    }
  }

  /** Removes the least recently used entries past the bounds (none to look for without). */
  private async prune (): Promise<void> {
    if (this.maxEntries === Infinity && this.maxBytes === Infinity) return
    const names = (await readdir(this.dir)).filter((name) => name.endsWith(ENTRY_SUFFIX))
    const entries = (await Promise.all(names.map(async (name) => {
      const stats = await stat(join(this.dir, name)).catch(() => null)
      return stats === null ? null : { name, bytes: stats.size, usedAt: stats.mtimeMs }
    }))).filter((e) => e !== null).sort((a, b) => b.usedAt - a.usedAt)
    let count = 0
    let bytes = 0
    for (const entry of entries) {
      count++
      bytes += entry.bytes
      if (count > this.maxEntries || bytes > this.maxBytes) await rm(join(this.dir, entry.name), { force: true })
    }
  }

  private entryPath (root: string, pieceSize: number | undefined): string {
    const key = createHash('sha256').update(`${root}\0${pieceSize ?? 'auto'}`).digest('hex')
    return join(this.dir, key + ENTRY_SUFFIX)
  }
}

export function encodeEntry (entry: Entry): Buffer {
  const root = Buffer.from(entry.root, 'utf8')
  const body = Buffer.alloc(MAGIC.byteLength + 4 + root.byteLength + 8 + entry.files.length * 16 + 4 + entry.metadata.byteLength)
  let at = MAGIC.copy(body, 0)
  at = body.writeUInt32LE(root.byteLength, at)
  at += root.copy(body, at)
  at = body.writeUInt32LE(entry.pieceSize, at)
  at = body.writeUInt32LE(entry.files.length, at)
  for (const file of entry.files) {
    at = body.writeBigUInt64LE(BigInt(file.size), at)
    at = body.writeBigUInt64LE(file.mtimeNs, at)
  }
  at = body.writeUInt32LE(entry.metadata.byteLength, at)
  entry.metadata.copy(body, at)
  return Buffer.concat([body, createHash('sha256').update(body).digest()])
}

/** The entry in `bytes`, or null when they are not a whole, intact entry. */
export function decodeEntry (bytes: Buffer): Entry | null {
  try {
    if (bytes.byteLength < MAGIC.byteLength + HASH_BYTES) return null
    const body = bytes.subarray(0, bytes.byteLength - HASH_BYTES)
    if (!createHash('sha256').update(body).digest().equals(bytes.subarray(body.byteLength))) return null
    if (!body.subarray(0, MAGIC.byteLength).equals(MAGIC)) return null
    let at = MAGIC.byteLength
    const rootBytes = body.readUInt32LE(at)
    at += 4
    const root = body.subarray(at, at + rootBytes).toString('utf8')
    at += rootBytes
    const pieceSize = body.readUInt32LE(at)
    const fileCount = body.readUInt32LE(at + 4)
    at += 8
    const files: Entry['files'] = []
    for (let i = 0; i < fileCount; i++) {
      files.push({ size: Number(body.readBigUInt64LE(at)), mtimeNs: body.readBigUInt64LE(at + 8) })
      at += 16
    }
    const metadataBytes = body.readUInt32LE(at)
    at += 4
    if (at + metadataBytes !== body.byteLength) return null
    return { root, pieceSize, files, metadata: Buffer.from(body.subarray(at)) }
  } catch {
    return null // a length that runs past the end: not an entry
  }
}

function matches (entry: Entry, share: ShareLayout, pieceSize: number | undefined): boolean {
  return entry.root === share.root && entry.pieceSize === (pieceSize ?? 0) && entry.files.length === share.files.length &&
    entry.files.every((file, i) => file.size === share.files[i]!.length && file.mtimeNs === share.files[i]!.mtimeNs)
}

/** The metadata is of these files, in this order, under this name, at the piece size this
 *  version would choose. */
function describes (meta: Metadata, share: ShareLayout, pieceSize: number | undefined): boolean {
  const total = share.files.reduce((sum, f) => sum + f.length, 0)
  if (meta.name !== basename(share.root) || meta.pieceSize !== (pieceSize ?? choosePieceSize(total))) return false
  if (meta.info.files.length !== share.files.length) return false
  // The executable bit and the empty folders change neither a size nor an mtime: compared here.
  const folders = meta.info.folders ?? []
  if (folders.length !== share.folders.length || !folders.every((f, i) => samePath(f, share.folders[i]!))) return false
  return meta.info.files.every((file, i) => {
    const walked = share.files[i]!
    return file.length === walked.length && samePath(file.path, walked.path) && (file.executable === true) === walked.executable
  })
}

function samePath (a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, j) => part === b[j])
}

function toState (file: ShareFile): { size: number, mtimeNs: bigint } {
  return { size: file.length, mtimeNs: file.mtimeNs }
}

function entryBytesBound (root: string, fileCount: number): number {
  return MAGIC.byteLength + 16 + Buffer.byteLength(root) + fileCount * 16 + MAX_METADATA_BYTES + HASH_BYTES
}

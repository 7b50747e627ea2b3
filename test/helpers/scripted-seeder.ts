// Scripted peers that behave as seeders of a memory share: honest by default, or lying,
// silent or slow as a test asks. They speak the real protocol (see scripted-peer.ts).

import { BLOCK_BYTES, METADATA_CHUNK_BYTES } from '../../src/constants.js'
import { Bitfield } from '../../src/bitfield.js'
import type { BlockRange } from '../../src/types.js'
import { pieceBytes, type MemoryShare } from './memory-share.js'
import type { ScriptedPeer } from './scripted-peer.js'

export interface ServeOptions {
  /** The bytes to send for a request; the true bytes by default. */
  tamper?: (range: BlockRange, data: Buffer) => Buffer
  /** Whether to answer this request at all (a silent peer answers none). */
  answers?: (range: BlockRange) => boolean
  /** Delay before each answer, ms (a trickling peer). */
  delayMs?: number
  /** Whether to serve the metadata (default true). */
  metadata?: boolean
}

/** Flips one byte in the middle of a block. */
export function flipByte (data: Buffer): Buffer {
  const copy = Buffer.from(data)
  copy[copy.byteLength >> 1]! ^= 0xff
  return copy
}

/** Makes `peer` a seeder of `share`: a full bitfield at once, an unchoke as soon as the
 *  session is interested, metadata chunks and blocks on request. */
export function serveShare (peer: ScriptedPeer, share: MemoryShare, opts: ServeOptions = {}): void {
  const { meta } = share
  peer.send('bitfield', { bytes: Bitfield.full(meta.pieceCount).toBytes() })
  peer.on('interested', () => peer.send('unchoke', null))
  peer.on('metadata-request', ({ index }) => {
    if (opts.metadata === false) {
      peer.send('metadata-reject', { index })
      return
    }
    const data = meta.bytes.subarray(index * METADATA_CHUNK_BYTES, (index + 1) * METADATA_CHUNK_BYTES)
    peer.send('metadata-data', { index, totalBytes: meta.bytes.length, data })
  })
  peer.on('request', (range) => {
    if (opts.answers !== undefined && !opts.answers(range)) return
    const answer = (): void => {
      if (peer.stream.destroyed) return
      const data = pieceBytes(share, range.piece, range.offset, range.length)
      peer.send('block', { piece: range.piece, offset: range.offset, data: opts.tamper?.(range, data) ?? data })
    }
    // Never inside the batch being handled: a conforming peer keeps every frame under
    // MAX_FRAME_BYTES, and protomux would batch the answers to a batch of requests.
    if (opts.delayMs === undefined) setImmediate(answer)
    else setTimeout(answer, opts.delayMs).unref()
  })
}

/** Blocks per piece of a share. */
export const blocksPerPiece = (share: MemoryShare): number => Math.ceil(share.meta.pieceSize / BLOCK_BYTES)

// What a session needs from storage, and what storage needs from the metadata.

import type { Info } from '../types.js'

export interface PieceStorage {
  /** Reads `length` bytes at `offset` inside `piece` (a block for a peer), into `into` when
   *  given (of exactly `length` bytes) if the storage reads at all: the caller may reuse it. */
  read (piece: number, offset: number, length: number, into?: Buffer): Promise<Buffer>
  /** Writes a whole verified piece at its place. */
  writePiece (piece: number, data: PieceData): Promise<void>
  close (): Promise<void>
}

/** A piece as one buffer, or as its blocks in order (written without copying them together). */
export type PieceData = Uint8Array | readonly Uint8Array[]

export const chunksOf = (data: PieceData): readonly Uint8Array[] => data instanceof Uint8Array ? [data] : data

/** A file's size and modification time (nanoseconds), or null when it is missing. */
export type FileState = { size: number, mtimeNs: bigint } | null

/** The part of the metadata storage relies on; metadata/Metadata satisfies it. */
export interface StorageMetadata {
  readonly info: Info
  readonly totalBytes: number
  readonly pieceCount: number
  readonly pieceSize: number
  readonly name: string
  pieceLength (piece: number): number
  verifyPiece (piece: number, data: Uint8Array): boolean
  /** True when `digest` is the hash of piece `piece`. */
  matchesPieceHash (piece: number, digest: Uint8Array): boolean
}

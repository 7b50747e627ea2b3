// What a session needs from storage, and what storage needs from the metadata.

import type { Info } from '../types.js'

export interface PieceStorage {
  /** Reads `length` bytes at `offset` inside `piece` (a block for a peer). */
  read (piece: number, offset: number, length: number): Promise<Buffer>
  /** Writes a whole verified piece at its place. */
  writePiece (piece: number, data: Uint8Array): Promise<void>
  close (): Promise<void>
}

/** The part of the metadata storage relies on; metadata/Metadata satisfies it. */
export interface StorageMetadata {
  readonly info: Info
  readonly totalBytes: number
  readonly pieceCount: number
  readonly pieceSize: number
  readonly name: string
  pieceLength (piece: number): number
  verifyPiece (piece: number, data: Uint8Array): boolean
}

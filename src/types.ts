// Shapes shared by the pure modules. Buffers are node Buffers (b4a returns them on Node).

/** One file of a share. `path` is relative to the share's root folder; a single-file share
 *  has exactly one entry with an empty path (the root is the file itself). */
export interface FileEntry {
  path: string[]
  length: number
  /** Whether the file is executable (its owner may run it); absent means not. */
  executable?: boolean
}

/** What the info hash covers: everything needed to fetch and verify the content. */
export interface Info {
  name: string
  pieceSize: number
  files: FileEntry[]
  /** pieces × HASH_BYTES, concatenated: one allocation however many pieces. */
  pieceHashes: Buffer
  /** Empty folders of a folder share, in canonical order (a folder holding anything is
   *  implied by its files); absent means none. */
  folders?: string[][]
}

/** A byte range inside one file, as a piece or block maps onto the files. */
export interface FileSpan {
  file: number
  fileOffset: number
  length: number
}

/** A block request: `length` bytes at `offset` inside `piece`. */
export interface BlockRange {
  piece: number
  offset: number
  length: number
}

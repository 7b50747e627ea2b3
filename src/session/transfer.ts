// What a session trades with once the metadata is known: where its pieces live, the node's
// rate limits, and the downloader and uploader built over them.

import type { Bitfield } from '../bitfield.js'
import type { Metadata } from '../metadata/metadata.js'
import type { HashProgress } from '../piece-hashing.js'
import type { Renamed } from '../storage/portable-names.js'
import type { PieceStorage } from '../storage/storage.js'
import { TokenBucket } from '../token-bucket.js'
import type { Downloader } from './downloader.js'
import type { SessionEvents } from './events.js'
import type { StreamReaders } from './stream-readers.js'
import type { Uploader } from './uploader.js'

/** Where a session's pieces live: the original files when sharing, a partial when fetching. */
export interface StorageProvider {
  /** Opens the storage and says which pieces it already holds (verified); `onChecking`
   *  follows the re-hash of pieces an interrupted run left, when there is one (the first,
   *  the last, at most one every PROGRESS_INTERVAL_MS between). `skipped` files are not
   *  wanted: they do not become files of the finished download. */
  open (meta: Metadata, onChecking?: (progress: HashProgress) => void, skipped?: ReadonlySet<number>): Promise<OpenedStorage>
  /** Called once every piece is held and verified; returns the content's final path. */
  finalize (): Promise<string>
}

export interface OpenedStorage {
  storage: PieceStorage
  have: Bitfield
  /** What an interrupted download found, when there was one. */
  resumed?: SessionEvents['resumed'] | null
  /** Paths in the share that this file system cannot hold, and the names written instead. */
  renamed?: Renamed[]
}

/** The node's byte-rate limits, shared by all its sessions and peers. */
export interface TransferLimits {
  upload: TokenBucket
  download: TokenBucket
}

/** The parts that exist once the metadata is known and the storage open. */
export interface Transfer {
  meta: Metadata
  storage: PieceStorage
  downloader: Downloader
  uploader: Uploader
  /** Readers streaming the content, whose positions make pieces urgent. */
  readers: StreamReaders
}

/** Limits that limit nothing: a session alone (tests). */
export function unlimited (): TransferLimits {
  return { upload: new TokenBucket({ rate: Infinity }), download: new TokenBucket({ rate: Infinity }) }
}

// The events a session emits: the one contract between the node and everything that
// watches it (the CLI's views, the --json stream, the tests). Kebab-case names.

import type { BitswarmError } from '../errors.js'
import type { HashProgress } from '../piece-hashing.js'
import type { SessionStatus } from './status.js'
import type { ReaderEvent, ReaderStats } from './stream-readers.js'

export type { ReaderEvent, ReaderStats } from './stream-readers.js'

export interface ContentDescription {
  infoHash: string
  name: string
  totalBytes: number
  pieceCount: number
  pieceSize: number
}

/** How a connection reaches a peer: straight to its address, through a hole punched in
 *  NATs, or forwarded (still end-to-end encrypted) by a relay peer. */
export type ConnectionRoute = 'direct' | 'holepunched' | 'relayed'

export interface PeerStats {
  id: string
  /** Payload bytes received from / sent to this peer in this run. */
  downloaded: number
  uploaded: number
  downloadRate: number
  uploadRate: number
  piecesReceived: number
  piecesSent: number
  /** Whether the remote chokes us / we choke it. */
  choked: boolean
  choking: boolean
  /** Whether we want pieces it has / it wants pieces we have. */
  interested: boolean
  remoteInterested: boolean
  /** Pieces it holds, as far as it told us (0 until its bitfield is known). */
  have: number
  /** It held every piece when we first learnt its pieces. */
  seed: boolean
  /** Requests we have outstanding with this peer, and the bytes they add up to. */
  requests: number
  inflight: number
  /** Smoothed round-trip time of the connection, ms (0 when unknown). */
  rtt: number
  connection: ConnectionRoute
}

export interface SessionStats {
  have: number
  pieceCount: number
  totalBytes: number
  /** Payload bytes received from the network in this run (not counting resumed data). */
  downloaded: number
  uploaded: number
  downloadRate: number
  uploadRate: number
  peers: number
  hashFailures: number
  /** Bytes received in pieces that failed their hash (counted in `downloaded`, not progress). */
  wasted: number
  /** Pieces in flight (started, not yet verified), for a piece map. */
  partial: number[]
  /** A selective download: the pieces its files need, how many of them are held, and the
   *  selected files' bytes (progress is of these); null when every file is wanted. */
  selected: { pieces: number, have: number, bytes: number } | null
  /** Readers streaming the content (the stream server's responses), each with its window. */
  readers: ReaderStats[]
}

export interface SessionEvents {
  status: { status: SessionStatus, previous: SessionStatus }
  /** The content is known: at once when sharing, after the metadata exchange when fetching. */
  metadata: ContentDescription
  /** An interrupted download re-hashes pieces it found on disk (status `checking`): pieces
   *  and bytes checked so far, of those to check. The first, the last, and at most one
   *  every PROGRESS_INTERVAL_MS between. None when the resume record vouches for them all. */
  checking: HashProgress
  /** An interrupted download was found and resumed: `have` pieces held, `trusted` of them
   *  on its resume record's word (not read again), `checked` pieces re-hashed. */
  resumed: { have: number, trusted: number, checked: number }
  'peer-add': { id: string }
  /** With the peer's final statistics, so nothing it sent since the last `peer-stats` is lost. */
  'peer-remove': { id: string, reason: string, stats: PeerStats }
  'piece-verified': { piece: number, from: string | null }
  /** A piece failed its hash and was thrown away: `from` sent its blocks, `blamed` are the
   *  ones known to have lied so far (smart-ban may name others once a good copy arrives). */
  'piece-failed': { piece: number, from: string[], blamed: string[] }
  /** Emitted at most every PROGRESS_INTERVAL_MS while the session is active. */
  stats: SessionStats
  'peer-stats': PeerStats[]
  /** A reader of the content opened, seeked or left (not emitted for its ordinary reads). */
  reader: ReaderEvent
  done: { path: string, totalBytes: number, downloaded: number, uploaded: number, seconds: number }
  /** Something went wrong with one peer or one attempt; the session goes on. */
  warning: { code: string, message: string, peer?: string }
  /** The session cannot go on (output exists, a link inside the partial…); it closes after
   *  this. Except when the disk refuses a piece (ERR_DISK_FULL, ERR_IO, ERR_NOT_WRITABLE,
   *  with the path): then nothing more is requested, the pieces held are still served, the
   *  refused piece is written again every WRITE_RETRY_MS, and downloading goes on by itself
   *  once it fits. `completed()` rejects either way. */
  error: BitswarmError
  close: { reason: string }
}

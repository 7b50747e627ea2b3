// A session's figures at this moment, summed over its peers: what the `stats` event carries.

import type { Metadata } from '../metadata/metadata.js'
import type { ResolvedSelection } from '../selection/file-selection.js'
import type { SessionStats } from './events.js'
import type { Peer } from './peer.js'
import type { Transfer } from './session.js'

export function sessionStats (peers: Iterable<Peer>, meta: Metadata | null, t: Transfer | null, selection: ResolvedSelection | null = null): SessionStats {
  let downloadRate = 0
  let uploadRate = 0
  let count = 0
  for (const peer of peers) {
    downloadRate += peer.download.rate
    uploadRate += peer.upload.rate
    count++
  }
  return {
    have: t?.downloader.have.size ?? 0,
    pieceCount: meta?.pieceCount ?? 0,
    totalBytes: meta?.totalBytes ?? 0,
    downloaded: t?.downloader.downloaded ?? 0,
    uploaded: t?.uploader.uploaded ?? 0,
    downloadRate,
    uploadRate,
    peers: count,
    hashFailures: t?.downloader.hashFailures ?? 0,
    wasted: t?.downloader.wasted ?? 0,
    partial: t?.downloader.partialPieces() ?? [],
    selected: t !== null && selection !== null ? { pieces: t.downloader.selectedPieces, have: t.downloader.selectedPieces - t.downloader.missingPieces, bytes: selection.selectedBytes } : null,
    readers: t?.readers.stats() ?? []
  }
}

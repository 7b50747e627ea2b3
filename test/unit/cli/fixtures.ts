// View states for the rendering tests, built through the reducer as the CLI builds them.

import { afterEach, beforeEach, vi } from 'vitest'
import type { PeerStats, SessionStats } from '../../../src/session/events.js'
import { createViewState, reduce, type Role, type ViewEvent, type ViewState } from '../../../src/cli/view/state.js'

/** For each test of the describe block: fake timers at T0, and what is written to standard
 *  output parsed as JSON lines (the array is emptied before each test). */
export function captureJsonLines (): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = []
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 })
    lines.length = 0
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>)
      return true
    })
  })
  afterEach(() => {
    vi.restoreAllMocks()
    vi.useRealTimers()
  })
  return lines
}

export const KiB = 1024
export const MiB = 1024 * KiB
export const T0 = 1_700_000_000_000
export const LINK = `bitswarm://${'3f5c'.repeat(16)}?dn=holiday.mp4`

export function peer (id: string, fields: Partial<PeerStats> = {}): PeerStats {
  return {
    id: id.padEnd(64, '0'),
    downloaded: 0,
    uploaded: 0,
    downloadRate: 0,
    uploadRate: 0,
    piecesReceived: 0,
    piecesSent: 0,
    choked: false,
    choking: false,
    interested: true,
    remoteInterested: true,
    have: 0,
    seed: false,
    requests: 0,
    inflight: 0,
    rtt: 0,
    connection: 'direct',
    ...fields
  }
}

export function stats (fields: Partial<SessionStats> = {}): SessionStats {
  return {
    have: 0,
    pieceCount: 0,
    totalBytes: 0,
    downloaded: 0,
    uploaded: 0,
    downloadRate: 0,
    uploadRate: 0,
    peers: 0,
    hashFailures: 0,
    wasted: 0,
    partial: [],
    selected: null,
    readers: [],
    ...fields
  }
}

export function metadata (pieceCount: number, pieceSize = 256 * KiB, name = 'holiday.mp4'): ViewEvent {
  return { type: 'metadata', data: { infoHash: '3f5c'.repeat(16), name, totalBytes: pieceCount * pieceSize - 1000, pieceCount, pieceSize } }
}

export function fold (events: ViewEvent[], role: Role = 'get'): ViewState {
  return events.reduce(reduce, createViewState(role, LINK, T0))
}

/** A download a third of the way in: rarest-first holes, a few pieces in flight, peers of
 *  every kind (a seed that serves us, a leecher we trade with, one that chokes us). */
export function midDownload (pieceCount = 1000, peerCount = 3): ViewState {
  const held = Array.from({ length: pieceCount }, (_, i) => i).filter((i) => Math.floor(i / 37) % 3 === 0)
  const peers = [
    peer('a1b2c3d4', { downloadRate: 2 * MiB, downloaded: 40 * MiB, piecesReceived: 160, have: pieceCount, seed: true, remoteInterested: false, choking: true }),
    peer('e5f6a7b8', { downloadRate: 300 * KiB, uploadRate: 512 * KiB, downloaded: 9 * MiB, uploaded: 12 * MiB, piecesReceived: 36, piecesSent: 48, have: 420 }),
    peer('c9d0e1f2', { choked: true, choking: true, have: 10 })
  ]
  for (let i = peers.length; i < peerCount; i++) peers.push(peer(`f${String(i).padStart(7, '0')}`, { uploadRate: i * KiB, have: i }))
  return fold([
    { type: 'status', data: { status: 'downloading', previous: 'fetching-metadata' } },
    metadata(pieceCount),
    ...peers.map((p): ViewEvent => ({ type: 'peer-add', data: { id: p.id } })),
    ...held.map((piece): ViewEvent => ({ type: 'piece-verified', data: { piece, from: peers[0]!.id } })),
    { type: 'stats', data: stats({ have: held.length, pieceCount, totalBytes: pieceCount * 256 * KiB - 1000, downloaded: 49 * MiB, uploaded: 12 * MiB, downloadRate: 2.3 * MiB, uploadRate: 512 * KiB, peers: peers.length, partial: [1, 2, 500, 501, 502, 998] }) },
    { type: 'peer-stats', data: peers }
  ])
}

// The JSON lines a watched session's events become (--json): most one for one, `peers` and
// `progress` only when their figures changed (or as a heartbeat), `progress` carrying the
// pieces verified since the last one, for programs drawing a piece map.

import { PROGRESS_INTERVAL_MS } from '../constants.js'
import type { PeerStats, SessionStats } from '../session/events.js'
import { ChangeGate, peersChanged, progressChanged, type ProgressFigures } from './change-gate.js'
import { etaSeconds, type ViewEvent, type ViewState } from './view/state.js'

/** `peers` events at most once a second (and only when a row changed, or as a heartbeat). */
const PEERS_EVENT_INTERVAL_MS = 1_000

export type WriteEvent = (name: string, fields: Record<string, unknown>) => void

export class JsonEvents {
  private readonly write: WriteEvent
  private readonly progressGate = new ChangeGate<ProgressFigures>(progressChanged, PROGRESS_INTERVAL_MS)
  private readonly peersGate = new ChangeGate<PeerStats[]>(peersChanged, PEERS_EVENT_INTERVAL_MS)
  private latestStats: SessionStats | null = null
  /** Pieces verified since the last `progress` event. */
  private verified: number[] = []

  constructor (write: WriteEvent) {
    this.write = write
  }

  /** Writes what `event` (already folded into `state`) says to programs. */
  apply (event: ViewEvent, state: ViewState): void {
    const now = Date.now()
    switch (event.type) {
      case 'metadata': {
        const m = event.data
        this.write('ready', { link: state.link, infoHash: m.infoHash, name: m.name, size: m.totalBytes, pieces: m.pieceCount, pieceSize: m.pieceSize })
        break
      }
      case 'checking': this.write('checking', { ...event.data }); break
      case 'resumed': this.write('resumed', { ...event.data }); break
      case 'peer-add': this.write('peer', { id: event.data.id, connected: true }); break
      case 'peer-remove': this.write('peer', { id: event.data.id, connected: false, reason: event.data.reason }); break
      case 'warning': this.write('warning', { ...event.data }); break
      case 'piece-verified': this.verified.push(event.data.piece); break
      case 'stats':
        this.latestStats = event.data
        this.progress(state, false)
        break
      case 'peer-stats':
        if (this.peersGate.admit(event.data, now)) this.write('peers', { peers: event.data })
        break
      case 'reader': this.write('reader', { ...event.data }); break
      case 'done': this.progress(state, true); break
      default: break
    }
  }

  /** The latest stats as a `progress` event when they changed (or as a heartbeat); `final`:
   *  the last one, written whenever it says something new. */
  progress (state: ViewState, final: boolean): void {
    const stats = this.latestStats
    if (stats === null) return
    const eta = etaSeconds(state)
    const figures: ProgressFigures = {
      have: stats.have,
      pieces: stats.pieceCount,
      downloaded: stats.downloaded,
      uploaded: stats.uploaded,
      downloadRate: Math.round(stats.downloadRate),
      uploadRate: Math.round(stats.uploadRate),
      peers: stats.peers,
      hashFailures: stats.hashFailures,
      eta: eta === null ? null : Math.ceil(eta),
      verified: [...this.verified],
      partial: stats.partial,
      ...(stats.selected !== null ? { selected: stats.selected } : {})
    }
    const now = Date.now()
    if (!(final ? this.progressGate.admitFinal(figures, now) : this.progressGate.admit(figures, now))) return
    this.verified = []
    this.write('progress', { ...figures })
  }
}

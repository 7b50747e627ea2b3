// Verified pieces the disk refused (full, an I/O error, permissions). They stay in memory
// (bounded: they still count among the picker's partial pieces) and are written again every
// WRITE_RETRY_MS; once every one of them is on disk the download goes on by itself. While
// any is waiting, the downloader asks for nothing and the uploader serves what is held.

import { WRITE_RETRY_MS } from '../constants.js'
import type { PieceData } from '../storage/storage.js'

export interface StalledWrite {
  piece: number
  data: PieceData
  from: string[]
}

export interface StalledWritesHooks {
  write: (piece: number, data: PieceData) => Promise<void>
  /** A waiting piece is on disk at last. */
  onWritten: (write: StalledWrite) => void
  /** Every waiting piece is written: downloading may resume. */
  onCleared: () => void
  /** A retry failed with something other than the disk refusing (the session stops). */
  onFatal: (err: unknown) => void
  isStall: (err: unknown) => boolean
}

export class StalledWrites {
  private readonly hooks: StalledWritesHooks
  private readonly waiting: StalledWrite[] = []
  private timer: NodeJS.Timeout | null = null
  private retrying = false
  private stopped = false

  constructor (hooks: StalledWritesHooks) {
    this.hooks = hooks
  }

  /** Whether the disk refused a piece that is still waiting. */
  get stalled (): boolean { return this.waiting.length > 0 }

  add (write: StalledWrite): void {
    this.waiting.push(write)
    this.schedule()
  }

  stop (): void {
    this.stopped = true
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
  }

  private schedule (): void {
    if (this.timer !== null || this.retrying || this.stopped) return
    this.timer = setTimeout(() => {
      this.timer = null
      void this.retry()
    }, WRITE_RETRY_MS)
  }

  /** Writes the waiting pieces one by one until one fails again or none is left. */
  private async retry (): Promise<void> {
    this.retrying = true
    try {
      while (this.waiting.length > 0 && !this.stopped) {
        const next = this.waiting[0]!
        try {
          await this.hooks.write(next.piece, next.data)
        } catch (err) {
          if (!this.hooks.isStall(err)) {
            this.stop()
            this.hooks.onFatal(err)
          }
          return
        }
        this.waiting.shift()
        this.hooks.onWritten(next)
      }
    } finally {
      this.retrying = false
      if (this.waiting.length > 0) this.schedule()
    }
    if (!this.stopped) this.hooks.onCleared()
  }
}

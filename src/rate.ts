// Bytes per second over a sliding window of one-second buckets, with an injectable clock so
// it is tested without waiting.

const BUCKET_MS = 1000
const WINDOW_BUCKETS = 5

export class RateMeter {
  private readonly now: () => number
  private readonly buckets = new Float64Array(WINDOW_BUCKETS)
  private lastBucket: number
  private readonly startedAt: number
  total = 0

  constructor (now: () => number = Date.now) {
    this.now = now
    this.startedAt = now()
    this.lastBucket = Math.floor(this.startedAt / BUCKET_MS)
  }

  add (bytes: number): void {
    this.advance()
    this.buckets[this.lastBucket % WINDOW_BUCKETS]! += bytes
    this.total += bytes
  }

  /** Average over the window, or over the time since creation while that is shorter. */
  get rate (): number {
    this.advance()
    let sum = 0
    for (const b of this.buckets) sum += b
    const now = this.now()
    // The newest bucket is still filling: the window spans the full ones plus its part.
    const windowMs = (WINDOW_BUCKETS - 1) * BUCKET_MS + (now % BUCKET_MS)
    const elapsedMs = Math.min(windowMs, Math.max(now - this.startedAt, BUCKET_MS))
    return sum / (elapsedMs / 1000)
  }

  private advance (): void {
    const bucket = Math.floor(this.now() / BUCKET_MS)
    const steps = Math.min(bucket - this.lastBucket, WINDOW_BUCKETS)
    for (let i = 1; i <= steps; i++) this.buckets[(this.lastBucket + i) % WINDOW_BUCKETS] = 0
    this.lastBucket = bucket
  }
}

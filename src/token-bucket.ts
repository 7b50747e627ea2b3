// Limits a byte stream to a rate: a token bucket that refills at `rate` bytes per second up
// to `burst`, with an injectable clock so it is tested without waiting.
//
// Debt model: a block larger than the balance may still go at once (take), leaving the
// balance negative; nothing more goes until the debt is paid. The average then holds at the
// rate whatever the block size, where refusing a block bigger than the bucket would stall
// and rounding it down would overshoot.

const KiB = 1024

/** Default burst as time at the rate: absorbs timers that fire late without losing tokens. */
const DEFAULT_BURST_SECONDS = 0.25
/** Floor of the default burst: a block plus slack for timer lateness at low rates. Kept small
 *  because a fresh bucket starts full: a 64 KiB floor would be a whole extra second at 64 KiB/s. */
const MIN_DEFAULT_BURST_BYTES = 32 * KiB
/** Float rounding of a refill must not leave a waiter a fraction of a byte short. */
const EPSILON_BYTES = 1e-6

export interface TokenBucketOptions {
  /** Bytes per second; 0 or Infinity means unlimited. */
  rate: number
  /** Most bytes that may accumulate while idle; default max(rate × 0.25 s, 32 KiB). */
  burst?: number
  /** Milliseconds. */
  now?: () => number
}

export class TokenBucket {
  private readonly now: () => number
  /** An explicit burst is kept across setRate; a default one follows the rate. */
  private readonly fixedBurst: number | null
  private currentRate = 0
  private capacity = 0
  /** Bytes that may go now; negative while a block taken at once is being paid off. */
  private balance = 0
  private last: number

  constructor (opts: TokenBucketOptions) {
    if (opts.burst !== undefined && !(opts.burst > 0 && Number.isFinite(opts.burst))) throw new RangeError(`burst ${opts.burst} is not a positive byte count`)
    this.now = opts.now ?? Date.now
    this.fixedBurst = opts.burst ?? null
    this.last = this.now()
    this.setRate(opts.rate)
    this.balance = this.capacity // a fresh bucket may burst at once
  }

  get unlimited (): boolean { return this.currentRate === Infinity }
  /** Bytes per second (Infinity when unlimited). */
  get rate (): number { return this.currentRate }
  get burst (): number { return this.capacity }

  /** Takes `bytes` if available now; returns true, else false (nothing taken). A request
   *  larger than the burst is available once the bucket is full, and leaves a debt. */
  tryTake (bytes: number): boolean {
    if (this.delayFor(bytes) > 0) return false
    this.take(bytes)
    return true
  }

  /** Takes `bytes` now even if that drives the balance negative (debt); used when a whole
   *  block must go at once. Returns the ms to wait until the balance is back to >= 0. */
  take (bytes: number): number {
    if (this.unlimited) return 0
    this.refill()
    this.balance -= bytes
    return this.msUntil(0)
  }

  /** Ms until `bytes` could be taken (0 if now): until the balance covers them, or for more
   *  than the burst, until the bucket is full. */
  delayFor (bytes: number): number {
    if (this.unlimited) return 0
    this.refill()
    return this.msUntil(Math.min(bytes, this.capacity))
  }

  /** Applies from now on, to a debt being paid off too. 0 or Infinity lifts the limit. */
  setRate (rate: number): void {
    if (!(rate >= 0)) throw new RangeError(`rate ${rate} is not a byte count per second`)
    const wasUnlimited = this.unlimited
    this.refill() // tokens earned so far accrue at the old rate
    this.currentRate = rate === 0 ? Infinity : rate
    if (this.unlimited) return
    this.capacity = this.fixedBurst ?? Math.max(this.currentRate * DEFAULT_BURST_SECONDS, MIN_DEFAULT_BURST_BYTES)
    // Out of unlimited mode the bucket starts full, as a new one would.
    this.balance = wasUnlimited ? this.capacity : Math.min(this.balance, this.capacity)
  }

  private refill (): void {
    const now = this.now()
    // A clock stepping backwards earns nothing, and the next refill counts from there.
    const elapsed = Math.max(0, now - this.last)
    this.last = now
    if (this.unlimited) return
    this.balance = Math.min(this.capacity, this.balance + elapsed * this.currentRate / 1000)
  }

  private msUntil (balance: number): number {
    const missing = balance - this.balance
    if (missing <= EPSILON_BYTES) return 0
    // Whole ms, rounded up: a timer set for this long finds the tokens there.
    return Math.ceil(missing * 1000 / this.currentRate)
  }
}

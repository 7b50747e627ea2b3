// When a share has been seeded enough: a ratio of bytes uploaded to its size, or a time
// spent seeding (Transmission's and qBittorrent's two limits). A share's own limits win over
// the daemon's; none means seed on. Pure.

export interface SeedLimits {
  /** Stop once uploaded ≥ ratio × size. */
  ratio?: number
  /** Stop after this many seconds of seeding. */
  seconds?: number
}

export interface SeedProgress {
  uploaded: number
  size: number
  /** Seconds seeded so far (across restarts). */
  seededSeconds: number
}

/** The limits in force for a share: its own, else the daemon's, field by field. */
export function limitsFor (own: SeedLimits, daemon: SeedLimits): SeedLimits {
  const ratio = own.ratio ?? daemon.ratio
  const seconds = own.seconds ?? daemon.seconds
  return { ...(ratio !== undefined ? { ratio } : {}), ...(seconds !== undefined ? { seconds } : {}) }
}

/** Which limit was reached, or null to seed on. */
export function seedLimitReached (limits: SeedLimits, progress: SeedProgress): 'ratio' | 'time' | null {
  if (limits.ratio !== undefined && progress.size > 0 && progress.uploaded >= limits.ratio * progress.size) return 'ratio'
  if (limits.seconds !== undefined && progress.seededSeconds >= limits.seconds) return 'time'
  return null
}

// The textbook lower bounds on the time to distribute one file from one seeder to N
// downloaders (Kurose & Ross, "Computer Networking", §2.5, the fluid model):
//
//   swarm:          D ≥ max( F/u_s , F/d_min , N·F/(u_s + Σu_i) )
//   client–server:  D ≥ max( N·F/u_s , F/d_min )
//
// F the file size, u_s the seeder's upload, u_i the downloaders' uploads, d_min the slowest
// download. Bytes and bytes per second in, seconds out. Pure. The swarm benchmark and the
// demo both set their measurements against these.

export interface BoundInput {
  /** F, bytes. */
  fileBytes: number
  /** u_s, bytes/s. */
  seederUpload: number
  /** u_i, bytes/s, one entry per downloader: N is the length (0 each in client–server mode). */
  downloaderUploads: number[]
  /** Download limits, bytes/s; `Infinity` = unlimited. Empty = every downloader unlimited,
   *  otherwise one entry per downloader. */
  downloadLimits: number[]
}

/** Lower bound in seconds for a swarm: every downloader may upload what it holds. */
export function swarmBound (input: BoundInput): number {
  const { n, slowestDownload } = validate(input)
  const totalUpload = input.seederUpload + input.downloaderUploads.reduce((sum, u) => sum + u, 0)
  return Math.max(
    input.fileBytes / input.seederUpload,
    input.fileBytes / slowestDownload,
    (n * input.fileBytes) / totalUpload
  )
}

/** Lower bound in seconds for client–server: only the seeder uploads (u_i are ignored). */
export function clientServerBound (input: BoundInput): number {
  const { n, slowestDownload } = validate(input)
  return Math.max((n * input.fileBytes) / input.seederUpload, input.fileBytes / slowestDownload)
}

function validate (input: BoundInput): { n: number, slowestDownload: number } {
  const n = input.downloaderUploads.length
  if (n === 0) throw new Error('bounds need at least one downloader')
  if (!(input.fileBytes > 0) || !Number.isFinite(input.fileBytes)) throw new Error(`fileBytes must be positive and finite, not ${input.fileBytes}`)
  if (!(input.seederUpload > 0)) throw new Error(`seederUpload must be positive, not ${input.seederUpload}`)
  if (input.downloaderUploads.some((u) => !(u >= 0) || !Number.isFinite(u))) throw new Error('downloaderUploads must be finite and non-negative')
  if (input.downloadLimits.length !== 0 && input.downloadLimits.length !== n) {
    throw new Error(`downloadLimits has ${input.downloadLimits.length} entries for ${n} downloaders`)
  }
  if (input.downloadLimits.some((d) => !(d > 0))) throw new Error('downloadLimits must be positive (Infinity = unlimited)')
  return { n, slowestDownload: Math.min(Infinity, ...input.downloadLimits) }
}

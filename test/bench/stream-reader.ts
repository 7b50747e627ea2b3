// A streaming client for the swarm bench's "stream" mode: reads a file's stream URL from the
// first byte to the last as a player does: as fast as it can until STARTUP_BYTES are buffered,
// then at the playback rate (null: as fast as it arrives, every reader wanting the same
// pieces at once). Hashes what arrives and notes when the first byte and STARTUP_BYTES came.

import { createHash } from 'node:crypto'
import { request } from 'node:http'

/** What "started playing" means here: the first 4 MiB. */
export const STARTUP_BYTES = 4 * 2 ** 20

export interface StreamRead {
  /** performance.now() when the request went out, the first byte and STARTUP_BYTES arrived. */
  requestedAt: number
  firstByteAt: number
  startupAt: number
  endAt: number
  bytes: number
  sha256: string
}

/** GETs `url` whole; rejects on an HTTP error, a cut connection or at `deadline`
 *  (performance.now() time), so a stuck stream cannot hang the bench. */
export async function readStream (url: string, deadline: number, playbackBytesPerSecond: number | null): Promise<StreamRead> {
  return await new Promise((resolve, reject) => {
    const requestedAt = performance.now()
    const hash = createHash('sha256')
    let bytes = 0
    let firstByteAt = NaN
    let startupAt = NaN
    const req = request(url, (res) => {
      if (res.statusCode !== 200) {
        res.resume()
        reject(new Error(`stream ${url}: HTTP ${res.statusCode ?? '?'}`))
        return
      }
      res.on('data', (chunk: Buffer) => {
        const now = performance.now()
        if (bytes === 0) firstByteAt = now
        bytes += chunk.byteLength
        if (Number.isNaN(startupAt) && bytes >= STARTUP_BYTES) startupAt = now
        hash.update(chunk)
        if (playbackBytesPerSecond === null || Number.isNaN(startupAt)) return
        // Playing: no further ahead than the buffer plus what has been played since.
        const ahead = bytes - STARTUP_BYTES - ((now - startupAt) / 1000) * playbackBytesPerSecond
        if (ahead <= 0) return
        res.pause()
        setTimeout(() => res.resume(), (ahead / playbackBytesPerSecond) * 1000).unref()
      })
      res.on('end', () => {
        clearTimeout(timer)
        const endAt = performance.now()
        if (Number.isNaN(startupAt)) startupAt = endAt // a file smaller than STARTUP_BYTES
        resolve({ requestedAt, firstByteAt, startupAt, endAt, bytes, sha256: hash.digest('hex') })
      })
      res.on('error', reject)
    })
    const timer = setTimeout(() => req.destroy(new Error(`stream ${url}: not read within the cap (${bytes} bytes so far)`)), Math.max(0, deadline - requestedAt))
    req.on('error', (err) => { clearTimeout(timer); reject(err) })
    req.end()
  })
}

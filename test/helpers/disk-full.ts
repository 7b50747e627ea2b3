// One scenario for a download whose disk fills up (or fails), run on a real tmpfs (test/net,
// root) and with injected ENOSPC, EIO and EACCES (test/e2e): the coded error comes at once, nothing more is asked
// for, the pieces held are served to another peer and all pass a re-hash, and once space
// is freed the download completes by itself.

import { join } from 'node:path'
import { expect } from 'vitest'
import { formatLink } from '../../src/metadata/link.js'
import type { Session } from '../../src/session/session.js'
import { waitFor } from './events.js'
import { sha256File, writeRandomFile } from './files.js'
import type { TestSwarm } from './testnet.js'

const KiB = 1024
export const DISK_FULL_PIECE = 64 * KiB

export interface FillingDisk {
  /** Where the download goes: on the disk that fills up. */
  outDir: string
  /** Makes room for the rest of the download. */
  free: () => Promise<void>
}

export interface DiskFullFigures {
  errorAfterLastPieceMs: number
  heldAtError: number
  servedToOther: number
}

/** Runs the scenario for a share of `size` bytes; `work` holds the source and the other
 *  downloader's folder (not on the filling disk). */
export async function diskFullScenario (swarm: TestSwarm, work: string, disk: FillingDisk, size: number, code = 'ERR_DISK_FULL'): Promise<DiskFullFigures> {
  const source = join(work, 'content.bin')
  const digest = await writeRandomFile(source, size)
  const seeder = swarm.createNode({ cacheDir: false })
  const shared = await seeder.share(source, { pieceSize: DISK_FULL_PIECE })
  const link = formatLink(shared.infoHash)

  // Slowed so that the disk fills well after get() has returned and listeners are on.
  const a = swarm.createNode({ cacheDir: false, downloadLimit: 8 * 1024 * KiB })
  const sessionA = await a.get(link, { outDir: disk.outDir })
  let lastVerifiedAt = Date.now()
  sessionA.on('piece-verified', () => { lastVerifiedAt = Date.now() })
  const completed = sessionA.completed()
  completed.catch(() => {})
  const error = await waitFor(sessionA, 'error', 30_000)
  const errorAfterLastPieceMs = Date.now() - lastVerifiedAt
  expect(error.code).toBe(code)
  expect(error.message).toContain(join(disk.outDir, 'content.bin'))
  await expect(completed).rejects.toMatchObject({ code })
  const downloader = sessionA.transfer!.downloader
  expect(downloader.stalled).toBe(true)
  // Every request withdrawn at once; a second later (blocks already on their way have
  // landed) nothing more arrives. `peer-stats` comes once a second: the clock.
  for (const peer of sessionA.peers.values()) expect(peer.requests.size).toBe(0)
  await waitFor(sessionA, 'peer-stats')
  await waitFor(sessionA, 'peer-stats')
  const settled = sessionA.stats().downloaded
  await waitFor(sessionA, 'peer-stats')
  expect(sessionA.stats().downloaded).toBe(settled)
  for (const peer of sessionA.peers.values()) expect(peer.requests.size).toBe(0)
  expect(sessionA.status).toBe('downloading') // still open, still serving
  const held = [...downloader.have.indices()]
  expect(held.length).toBeGreaterThan(0)
  expect(held.length).toBeLessThan(shared.meta!.pieceCount)
  await expectHeldPiecesVerify(sessionA, held)

  // The seeder leaves; a newcomer can only get pieces from the stalled download.
  await seeder.close()
  const c = swarm.createNode({ cacheDir: false })
  const sessionC = await c.get(link, { outDir: join(work, 'c') })
  const fromA = new Set<number>()
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the newcomer got ${fromA.size} of ${held.length} pieces`)), 30_000)
    const onPiece = ({ piece }: { piece: number }): void => {
      fromA.add(piece)
      if (fromA.size === held.length) { clearTimeout(timer); sessionC.off('piece-verified', onPiece); resolve() }
    }
    sessionC.on('piece-verified', onPiece)
  })
  expect([...fromA].sort((x, y) => x - y)).toEqual(held)
  expect(sessionA.stats().uploaded).toBe(held.length * DISK_FULL_PIECE)

  // Room again, and a seeder again: both complete, byte for byte.
  await disk.free()
  const again = swarm.createNode({ cacheDir: false })
  await again.share(source, { pieceSize: DISK_FULL_PIECE })
  const [doneA, doneC] = await Promise.all([waitFor(sessionA, 'done', 60_000), waitFor(sessionC, 'done', 60_000)])
  expect(await sha256File(doneA.path)).toBe(digest)
  expect(await sha256File(doneC.path)).toBe(digest)
  return { errorAfterLastPieceMs, heldAtError: held.length, servedToOther: fromA.size }
}

/** Each piece counted as held reads back from the partial with its right hash. */
async function expectHeldPiecesVerify (session: Session, pieces: number[]): Promise<void> {
  const { meta, storage } = session.transfer!
  for (const piece of pieces) {
    const data = await storage.read(piece, 0, meta.pieceLength(piece))
    expect(meta.verifyPiece(piece, data), `piece ${piece}`).toBe(true)
  }
}

// One emulated network per test: built in the test, torn down after it (processes stopped by
// PID, namespaces removed, files deleted) whatever happened; and the end-of-test check that
// every copy is byte-identical to the source.

import { join } from 'node:path'
import { afterEach, expect } from 'vitest'
import { sha256File, tempDir, type TempDir, writeRandomFile } from '../helpers/files.js'
import { ProcessSet } from './processes.js'
import { type LinkProfile, Network } from './topology.js'

export const MiB = 1024 * 1024
/** Per traversal of the backbone: RTT ≈ 60 ms between two attachments, ~2 % lost per round trip. */
export const WAN: LinkProfile = { delayMs: 30, jitterMs: 5, lossPct: 1 }

export interface Scenario {
  readonly procs: ProcessSet
  network (opts?: { link?: LinkProfile | null }): Promise<Network>
  /** A random file of `bytes` in this test's folder, and its SHA-256. */
  content (bytes: number): Promise<{ path: string, digest: string }>
  /** A fresh folder (under this test's folder) for one downloader. */
  outDir (name: string): string
}

export function useScenario (): Scenario {
  let net: Network | null = null
  let dir: TempDir | null = null
  const procs = new ProcessSet()
  afterEach(async () => {
    try {
      await procs.stopAll()
    } finally {
      try { await net?.destroy() } finally {
        net = null
        await dir?.remove()
        dir = null
      }
    }
  })
  const folder = async (): Promise<string> => (dir ??= await tempDir('bitswarm-net-')).path
  return {
    procs,
    async network (opts = {}) {
      if (net !== null) throw new Error('one network per test')
      net = await Network.create(opts)
      return net
    },
    async content (bytes) {
      const path = join(await folder(), `content-${bytes}.bin`)
      return { path, digest: await writeRandomFile(path, bytes) }
    },
    outDir (name) {
      if (dir === null) throw new Error('call content() first')
      return join(dir.path, name)
    }
  }
}

export async function expectIdentical (paths: string[], digest: string): Promise<void> {
  for (const path of paths) expect(await sha256File(path), path).toBe(digest)
}

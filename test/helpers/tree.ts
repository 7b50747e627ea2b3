// A folder tree as bitswarm's folder policy sees it, for `diff -r`-style comparisons: every
// folder (empty ones too) and regular file with its size, SHA-256 and whether its owner may run
// it; symbolic links, sockets, pipes and devices are listed apart (the policy skips them).

import { lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { sha256File } from './files.js'

export interface TreeEntry { kind: 'folder' | 'file', size?: number, sha256?: string, executable?: boolean }

export interface Tree {
  /** Relative path (with `/`) → entry, in sorted order. */
  entries: Map<string, TreeEntry>
  /** Relative paths of what the policy skips. */
  skipped: string[]
}

export async function readTree (root: string): Promise<Tree> {
  const entries = new Map<string, TreeEntry>()
  const skipped: string[] = []
  const walk = async (dir: string, rel: string): Promise<void> => {
    const names = (await readdir(dir)).sort()
    for (const name of names) {
      const path = join(dir, name)
      const relPath = rel === '' ? name : `${rel}/${name}`
      const info = await lstat(path)
      if (info.isDirectory()) {
        entries.set(relPath, { kind: 'folder' })
        await walk(path, relPath)
      } else if (info.isFile()) {
        entries.set(relPath, { kind: 'file', size: info.size, sha256: await sha256File(path), executable: (info.mode & 0o100) !== 0 })
      } else {
        skipped.push(relPath)
      }
    }
  }
  await walk(root, '')
  return { entries, skipped }
}

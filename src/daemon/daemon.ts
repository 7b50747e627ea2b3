// The long-running node: every share of its registry, brought back at start (seeds from the
// metadata cache, so a restart re-hashes nothing that did not change; downloads resume from
// their resume record), the control API, and the registry kept in step with what it runs.

import { resolve } from 'node:path'
import { BitswarmNode, type NodeOptions } from '../node.js'
import type { Session } from '../session/session.js'
import { acquireLock } from './lock.js'
import { findShare, loadRegistry, saveRegistry, type ShareEntry } from './registry.js'
import { type ApiServer, startApiServer } from './api-server.js'
import type { StatePaths } from './state-dir.js'

/** One row of `bitswarm ls`. */
export interface ShareRow {
  id: string
  name: string | null
  kind: ShareEntry['kind']
  path: string
  size: number
  have: number
  pieces: number
  downloadRate: number
  uploadRate: number
  peers: number
  state: string
  /** Bytes this daemon hashed for the share since it started (0: it came from the cache). */
  hashedBytes: number
}

export class Daemon {
  private readonly paths: StatePaths
  private readonly node: BitswarmNode
  private entries: ShareEntry[] = []
  private readonly sessions = new Map<string, Session>()
  /** Bytes hashed per shared path since start, from the node's `hashing` events. */
  private readonly hashed = new Map<string, number>()
  private api: ApiServer | null = null
  private release: (() => Promise<void>) | null = null
  private settleStopped: () => void = () => {}
  /** Resolves once `stop` was asked for (API or signal). */
  readonly stopped = new Promise<void>((resolve) => { this.settleStopped = resolve })

  constructor (paths: StatePaths, nodeOptions: NodeOptions) {
    this.paths = paths
    this.node = new BitswarmNode(nodeOptions)
    this.node.on('hashing', ({ path, bytes }) => this.hashed.set(path, bytes))
  }

  async start (): Promise<void> {
    this.release = (await acquireLock(this.paths.lock)).release
    this.entries = await loadRegistry(this.paths.registry)
    for (const entry of this.entries) if (!entry.paused) await this.run(entry)
    this.api = await startApiServer(this.paths, {
      list: () => this.list(),
      add: async (request) => await this.add(request),
      remove: async (id) => await this.remove(id),
      stop: () => this.settleStopped()
    })
  }

  list (): ShareRow[] {
    return this.entries.map((entry) => {
      const session = this.sessions.get(entry.id) ?? null
      const stats = session?.stats() ?? null
      return {
        id: entry.id,
        name: session?.meta?.name ?? null,
        kind: entry.kind,
        path: entry.path,
        size: stats?.totalBytes ?? 0,
        have: stats?.have ?? 0,
        pieces: stats?.pieceCount ?? 0,
        downloadRate: Math.round(stats?.downloadRate ?? 0),
        uploadRate: Math.round(stats?.uploadRate ?? 0),
        peers: stats?.peers ?? 0,
        state: entry.paused ? 'paused' : session?.status ?? 'stopped',
        hashedBytes: entry.kind === 'seed' ? this.hashed.get(resolve(entry.path)) ?? 0 : 0
      }
    })
  }

  async add (request: { link?: string, path?: string, output?: string }): Promise<ShareRow> {
    let session: Session
    let entry: ShareEntry
    if (request.path !== undefined) {
      const path = resolve(request.path) // the command resolved it against its own folder
      session = await this.node.share(path)
      entry = { id: session.infoHash.toString('hex'), link: session.link, kind: 'seed', path, paused: false, addedAt: Date.now() }
    } else if (request.link !== undefined) {
      const output = resolve(request.output ?? '.')
      session = await this.node.get(request.link, { outDir: output })
      entry = { id: session.infoHash.toString('hex'), link: request.link, kind: 'download', path: output, paused: false, addedAt: Date.now() }
    } else {
      throw new Error('add needs a link or a path')
    }
    if (!this.entries.some((e) => e.id === entry.id)) {
      this.entries.push(entry)
      await this.save()
    }
    this.watch(entry, session)
    return this.list().find((row) => row.id === entry.id)!
  }

  async remove (prefix: string): Promise<void> {
    const entry = findShare(this.entries, prefix)
    this.entries = this.entries.filter((e) => e !== entry)
    await this.save()
    this.sessions.delete(entry.id)
    await this.node.remove(entry.id)
  }

  async close (): Promise<void> {
    await this.api?.close()
    await this.node.close()
    await this.release?.()
  }

  private async run (entry: ShareEntry): Promise<void> {
    try {
      const session = entry.kind === 'seed' ? await this.node.share(entry.path) : await this.node.get(entry.link, { outDir: entry.path })
      this.watch(entry, session)
    } catch {
      // Its files went away or cannot be read: it stays listed, stopped, for `rm`.
    }
  }

  /** A download that completes becomes a seed of where it landed: a restart then shares
   *  those files, from the metadata cached at completion, without fetching or hashing. */
  private watch (entry: ShareEntry, session: Session): void {
    this.sessions.set(entry.id, session)
    if (entry.kind !== 'download') return
    void session.completed().then(async (done) => {
      entry.kind = 'seed'
      entry.path = done.path
      await this.save()
    }, () => {})
  }

  private async save (): Promise<void> {
    await saveRegistry(this.paths.registry, this.entries)
  }
}

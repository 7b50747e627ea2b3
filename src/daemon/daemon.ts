// The long-running node: every share of its registry, brought back at start (seeds from the
// metadata cache, so a restart re-hashes nothing that did not change; downloads resume from
// their resume record), the control API, and the registry kept in step with what it runs.

import { rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { PARTIAL_SUFFIX, PARTS_SUFFIX, RESUME_JOURNAL_SUFFIX, RESUME_RECORD_SUFFIX } from '../constants.js'
import { invalidOption } from '../errors.js'
import { BitswarmNode, type NodeOptions } from '../node.js'
import { forEachLimited } from '../storage/concurrent.js'
import type { SessionEvent } from '../session/event-replay.js'
import type { Session } from '../session/session.js'
import { DaemonStreams, notStreamable, type ShareStream } from './daemon-streams.js'
import { followSession } from './follow.js'
import { acquireLock } from './lock.js'
import { findShare, loadRegistry, saveRegistry, type ShareEntry } from './registry.js'
import { type ApiServer, startApiServer } from './api-server.js'
import { limitsFor, seedLimitReached, type SeedLimits } from './seed-limits.js'
import { type ShareRow, shareRow } from './share-row.js'
import type { StatePaths } from './state-dir.js'

/** Shares brought back at once at start. */
const RESTORE_CONCURRENCY = 16
/** How often seeding shares are held against their limits. */
const SEED_CHECK_MS = 1_000
/** How often their upload and seeding time are written down (and at every change of state). */
const SEED_SAVE_MS = 30_000

export interface DaemonOptions {
  node: NodeOptions
  /** The daemon-wide seeding limits; a share's own win. */
  limits?: SeedLimits
  /** The port its shares are streamed on (`play`), on 127.0.0.1; 0 or absent: any free one. */
  streamPort?: number
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
  private readonly limits: SeedLimits
  private seedTimer: NodeJS.Timeout | null = null
  /** The registry was read: only then may it be written (a daemon refused its lock, or one
   *  that found the list corrupt, must not overwrite it). */
  private loaded = false
  /** When each seeding share was last seen seeding by checkSeeding. */
  private readonly seedingSeen = new Map<string, number>()
  private lastSave = Date.now()
  private readonly streams: DaemonStreams

  constructor (paths: StatePaths, options: DaemonOptions) {
    this.paths = paths
    // Its own metadata cache, unbounded: every share it seeds comes back without hashing,
    // however many (the user's cache keeps the last METADATA_CACHE_MAX_ENTRIES).
    this.node = new BitswarmNode({ ...options.node, cacheDir: join(paths.dir, 'metadata'), cacheLimits: { maxEntries: Infinity, maxBytes: Infinity } })
    this.limits = options.limits ?? {}
    this.streams = new DaemonStreams(options.streamPort ?? 0, (id) => this.sessions.get(id))
    this.node.on('hashing', ({ path, bytes }) => this.hashed.set(path, bytes))
  }

  async start (): Promise<void> {
    this.release = (await acquireLock(this.paths.lock)).release
    this.entries = await loadRegistry(this.paths.registry)
    this.loaded = true
    // Each share's first DHT announcement takes round trips: several at once.
    const waiting = this.entries.filter((entry) => !entry.paused && entry.finished !== true)
    await forEachLimited(waiting.length, RESTORE_CONCURRENCY, async (i) => await this.run(waiting[i]!))
    this.api = await startApiServer(this.paths, {
      list: () => this.list(),
      add: async (request) => await this.add(request),
      remove: async (id, deleteData) => await this.remove(id, deleteData),
      pause: async (id) => await this.pause(id),
      resume: async (id) => await this.resume(id),
      follow: (id, send, end) => this.follow(id, send, end),
      stream: async (id, file) => await this.stream(id, file),
      stop: () => this.settleStopped()
    })
    this.seedTimer = setInterval(() => { void this.checkSeeding().catch(() => {}) }, SEED_CHECK_MS)
  }

  list (): ShareRow[] {
    return this.entries.map((entry) => this.row(entry))
  }

  private row (entry: ShareEntry): ShareRow {
    return shareRow(entry, this.sessions.get(entry.id) ?? null, this.hashed)
  }

  async add (request: { link?: string, path?: string, output?: string, limits?: SeedLimits }): Promise<ShareRow> {
    let session: Session
    let entry: ShareEntry
    if (request.path !== undefined) {
      const path = resolve(request.path) // the command resolved it against its own folder
      session = await this.node.share(path)
      entry = { id: session.infoHash.toString('hex'), link: session.link, kind: 'seed', path, paused: false, addedAt: Date.now() }
    } else if (request.link !== undefined) {
      const output = resolve(request.output ?? '.')
      session = await this.node.get(request.link, { outDir: output })
      entry = { id: session.infoHash.toString('hex'), link: request.link, kind: 'download', path: output, paused: false, addedAt: Date.now(), downloaded: true }
    } else {
      throw invalidOption('add needs a link or a path')
    }
    if (request.limits !== undefined && Object.keys(request.limits).length > 0) entry.limits = request.limits
    // Added again: the share it already has stays (one entry, one session).
    const existing = this.entries.find((e) => e.id === entry.id)
    if (existing !== undefined) {
      if (existing.paused || existing.finished === true) await this.node.remove(existing.id) // it stays as it was
      else this.watch(existing, session)
      return this.row(existing)
    }
    this.entries.push(entry)
    await this.save()
    this.watch(entry, session)
    return this.row(entry)
  }

  /** Forgets a share; with `deleteData`, also deletes the files the daemon downloaded for it
   *  (never files it was given to seed: those are the user's). */
  async remove (prefix: string, deleteData = false): Promise<void> {
    const entry = findShare(this.entries, prefix)
    if (deleteData && entry.downloaded !== true) throw invalidOption('--delete-data deletes only what the daemon downloaded; the files of a path you added stay yours')
    this.entries = this.entries.filter((e) => e !== entry)
    await this.save()
    const name = this.sessions.get(entry.id)?.meta?.name ?? null
    await this.stopSession(entry, null)
    if (!deleteData) return
    if (entry.kind === 'seed') {
      await rm(entry.path, { recursive: true, force: true })
      await rm(entry.path + PARTS_SUFFIX, { recursive: true, force: true })
    } else if (name !== null) {
      // Not complete: the partial and its resume files, in the folder it was downloading into.
      for (const suffix of [PARTIAL_SUFFIX, RESUME_RECORD_SUFFIX, RESUME_JOURNAL_SUFFIX]) await rm(join(entry.path, name + suffix), { recursive: true, force: true })
    }
  }

  /** Stops trading a share, remembered across restarts. */
  async pause (prefix: string): Promise<ShareRow> {
    const entry = findShare(this.entries, prefix)
    if (!entry.paused) {
      entry.paused = true
      await this.save()
      await this.stopSession(entry, `paused (\`bitswarm resume ${entry.id.slice(0, 8)}\` serves it again)`)
    }
    return this.row(entry)
  }

  async resume (prefix: string): Promise<ShareRow> {
    const entry = findShare(this.entries, prefix)
    if (entry.paused) {
      entry.paused = false
      await this.save()
      if (entry.finished !== true) await this.run(entry)
    }
    return this.row(entry)
  }

  /** Serves the share over HTTP while it downloads (`play`), `file` fetched first. */
  async stream (prefix: string, file?: string): Promise<ShareStream> {
    const entry = findShare(this.entries, prefix)
    const session = this.sessions.get(entry.id)
    if (session === undefined) throw notStreamable(entry)
    return await this.streams.stream(entry.id, session, file)
  }

  /** One share's events, caught up first, until its session closes (`watch`). */
  follow (prefix: string, send: (event: SessionEvent) => void, end: () => void): () => void {
    const entry = findShare(this.entries, prefix)
    const session = this.sessions.get(entry.id)
    if (session === undefined) {
      end() // paused, finished or stopped: nothing happens to follow
      return () => {}
    }
    return followSession(session, send, end)
  }

  /** Holds each seeding share against its limits; one that reached them stops, 'finished'. */
  private async checkSeeding (): Promise<void> {
    const now = Date.now()
    let changed = false
    for (const entry of this.entries) {
      const session = this.sessions.get(entry.id)
      if (session === undefined || session.status !== 'seeding') {
        this.seedingSeen.delete(entry.id)
        continue
      }
      // Seeding time counts from when this check first saw it seeding, not from the last tick.
      const since = this.seedingSeen.get(entry.id) ?? now
      this.seedingSeen.set(entry.id, now)
      entry.seededSeconds = (entry.seededSeconds ?? 0) + (now - since) / 1000
      const stats = session.stats()
      const reached = seedLimitReached(limitsFor(entry.limits ?? {}, this.limits), { uploaded: (entry.uploaded ?? 0) + stats.uploaded, size: stats.totalBytes, seededSeconds: entry.seededSeconds })
      if (reached === null) continue
      entry.uploaded = (entry.uploaded ?? 0) + stats.uploaded
      entry.finished = true
      changed = true
      await this.stopSession(entry, 'it finished seeding (its seeding limit)')
    }
    if (changed || now - this.lastSave >= SEED_SAVE_MS) await this.save()
  }

  async close (): Promise<void> {
    if (this.seedTimer !== null) clearInterval(this.seedTimer)
    await this.api?.close()
    await this.streams.close()
    // This run's uploads count toward the ratio of the next (a SIGKILL loses them: the
    // ratio then only runs later, it never stops a share early).
    for (const entry of this.entries) {
      const uploaded = this.sessions.get(entry.id)?.stats().uploaded ?? 0
      if (uploaded > 0) entry.uploaded = (entry.uploaded ?? 0) + uploaded
    }
    await this.save().catch(() => {})
    await this.node.close()
    await this.release?.()
  }

  /** Stops trading the share: its announcement, channels and files are let go; its streams
   *  answer why (`null`: it is gone). */
  private async stopSession (entry: ShareEntry, why: string | null): Promise<void> {
    this.sessions.delete(entry.id)
    if (why === null) this.streams.forget(entry.id)
    else this.streams.pause(entry.id, why)
    await this.node.remove(entry.id)
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
    this.streams.resume(entry.id, session)
    const known = session.meta
    if (known !== null && (entry.name !== known.name || entry.size !== known.totalBytes)) {
      entry.name = known.name
      entry.size = known.totalBytes
      void this.save().catch(() => {})
    }
    if (entry.kind !== 'download') return
    void session.completed().then(async (done) => {
      entry.kind = 'seed'
      entry.path = done.path
      entry.downloaded = true
      entry.name = session.meta!.name
      entry.size = session.meta!.totalBytes
      await this.save()
    }, () => {})
  }

  /** Saves run one after another (each writes the whole list as it is when it starts). */
  private saving: Promise<void> = Promise.resolve()

  private async save (): Promise<void> {
    if (!this.loaded) return
    this.lastSave = Date.now()
    const next = this.saving.then(async () => await saveRegistry(this.paths.registry, this.entries))
    this.saving = next.catch(() => {})
    await next
  }
}

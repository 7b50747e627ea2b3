// A whole swarm on one machine, for `bitswarm demo`: a bootstrap node on 127.0.0.1, one
// seeder and N downloaders that start with only the link, each a BitswarmNode of its own
// (its own DHT, its own limits), in this process. It knows nothing of terminals: the CLI
// watches the sessions' events, as it does for `get` and `share`.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BootstrapNode, startBootstrapNode } from '../bootstrap.js'
import { BitswarmNode } from '../node.js'
import type { SessionEvents } from '../session/events.js'
import type { Session } from '../session/session.js'
import { clientServerBound, swarmBound } from '../swarm-bounds.js'
import { digestOf, writeRandomFile } from './content.js'

const DEMO_HOST = '127.0.0.1'

export interface DemoOptions {
  /** Downloaders. */
  peers: number
  /** Bytes of generated content, when no `file` is given. */
  size: number
  /** An existing file to share instead. */
  file?: string
  /** Bytes per second; 0 lifts the limit (--fast). */
  seederUpload: number
  downloaderUpload: number
}

export interface DemoNode {
  name: string
  role: 'seeder' | 'downloader'
  node: BitswarmNode
  session: Session
  /** The node's public key (hex): how the other nodes' peer statistics name it. */
  id: string
}

export interface DemoResult {
  /** From the downloaders' start to the last verified completion. */
  seconds: number
  done: Map<string, SessionEvents['done']>
  /** Each downloader's copy, hashed again and compared with the source. */
  verified: Map<string, boolean>
  sourceDigest: string
  /** The textbook lower bounds at these limits (null when unlimited). */
  swarmBound: number | null
  clientServerBound: number | null
}

export class SwarmDemo {
  readonly opts: DemoOptions
  readonly nodes: DemoNode[] = []
  private bootstrap: BootstrapNode | null = null
  private workDir: string | null = null
  private source = ''
  private sourceDigest = ''
  private fileBytes = 0
  private startedAt = 0

  constructor (opts: DemoOptions) {
    this.opts = opts
  }

  /** Starts the network and the seeder, then every downloader with only the link. */
  async start (): Promise<DemoNode[]> {
    this.workDir = await mkdtemp(join(tmpdir(), 'bitswarm-demo-'))
    this.bootstrap = await startBootstrapNode({ host: DEMO_HOST, port: 0 })
    if (this.opts.file !== undefined) {
      this.source = this.opts.file
      ;({ digest: this.sourceDigest, bytes: this.fileBytes } = await digestOf(this.source))
    } else {
      this.source = join(this.workDir, `demo-${this.opts.size}.bin`)
      this.sourceDigest = await writeRandomFile(this.source, this.opts.size)
      this.fileBytes = this.opts.size
    }
    const seeder = this.createNode(this.opts.seederUpload)
    const shared = await seeder.share(this.source)
    this.nodes.push({ name: 'seeder', role: 'seeder', node: seeder, session: shared, id: seeder.publicKey.toString('hex') })
    this.startedAt = performance.now()
    const downloaders = await Promise.all(Array.from({ length: this.opts.peers }, async (_, i) => {
      const node = this.createNode(this.opts.downloaderUpload)
      const session = await node.get(shared.link, { outDir: join(this.workDir!, `d${i + 1}`) })
      return { name: `d${i + 1}`, role: 'downloader' as const, node, session, id: node.publicKey.toString('hex') }
    }))
    this.nodes.push(...downloaders)
    return this.nodes
  }

  /** Waits for every downloader to finish (they keep seeding meanwhile), then checks every
   *  copy against the source. Rejects if a session fails. */
  async finish (): Promise<DemoResult> {
    const done = new Map<string, SessionEvents['done']>()
    await Promise.all(this.nodes.filter((n) => n.role === 'downloader').map(async (n) => {
      done.set(n.name, await n.session.completed())
    }))
    const seconds = (performance.now() - this.startedAt) / 1000
    const verified = new Map<string, boolean>()
    for (const [name, d] of done) verified.set(name, (await digestOf(d.path)).digest === this.sourceDigest)
    return { seconds, done, verified, sourceDigest: this.sourceDigest, ...this.bounds() }
  }

  async close (): Promise<void> {
    await Promise.all(this.nodes.map(async (n) => await n.node.close()))
    await this.bootstrap?.destroy()
    if (this.workDir !== null) await rm(this.workDir, { recursive: true, force: true })
  }

  private createNode (uploadLimit: number): BitswarmNode {
    return new BitswarmNode({ bootstrap: [this.bootstrap!.address], host: DEMO_HOST, uploadLimit })
  }

  /** The textbook lower bounds at these limits (null when unlimited). */
  bounds (): { swarmBound: number | null, clientServerBound: number | null } {
    const { seederUpload, downloaderUpload, peers } = this.opts
    if (seederUpload === 0 || downloaderUpload === 0) return { swarmBound: null, clientServerBound: null }
    const input = { fileBytes: this.fileBytes, seederUpload, downloaderUploads: new Array<number>(peers).fill(downloaderUpload), downloadLimits: [] }
    return { swarmBound: swarmBound(input), clientServerBound: clientServerBound(input) }
  }
}

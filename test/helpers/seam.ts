// Sessions connected below the DHT: each over MemoryStorage, joined by in-memory encrypted
// stream pairs, so hostile-peer paths run fast and exactly. `useSeam()` closes everything a
// test made.

import type { SecretStream } from 'hyperswarm'
import { afterEach } from 'vitest'
import { Session, type SessionOptions } from '../../src/session/session.js'
import { memoryProvider, type MemoryProvider, type MemoryShare } from './memory-share.js'
import { ScriptedPeer, type ScriptedPeerOptions } from './scripted-peer.js'
import { streamPair, type StreamPairOptions } from './stream-pair.js'

export interface SeamSession extends MemoryProvider {
  session: Session
}

export type SeamSessionOptions = Partial<Omit<SessionOptions, 'infoHash' | 'storage'>> & {
  /** A seeder holds every piece and knows the metadata; a downloader starts from the info hash. */
  role: 'seeder' | 'downloader'
}

export interface Seam {
  /** A started session for `share`. */
  session: (share: MemoryShare, opts: SeamSessionOptions) => SeamSession
  /** Connects two sessions; resolves once both stream ends are open (the channels open soon after). */
  connect: (a: Session, b: Session, opts?: StreamPairOptions) => Promise<[SecretStream, SecretStream]>
  /** A scripted peer connected to `session`. */
  scripted: (session: Session, opts: ScriptedPeerOptions) => Promise<ScriptedPeer>
}

export function useSeam (): Seam {
  const sessions: Session[] = []
  const streams: SecretStream[] = []
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.destroy()
    await Promise.all(sessions.splice(0).map(async (s) => await s.close('test over')))
  })
  return {
    session (share, { role, ...opts }) {
      const storage = memoryProvider(share, role === 'seeder')
      const session = new Session({
        ...opts,
        infoHash: share.meta.infoHash,
        storage: storage.provider,
        ...(role === 'seeder' ? { metadata: share.meta } : {})
      })
      sessions.push(session)
      session.start()
      return { session, ...storage }
    },
    async connect (a, b, opts = {}) {
      const pair = await streamPair(opts)
      streams.push(...pair)
      a.attach(pair[0])
      b.attach(pair[1])
      return pair
    },
    async scripted (session, opts) {
      const peer = await ScriptedPeer.connect(session, opts)
      streams.push(peer.stream)
      return peer
    }
  }
}

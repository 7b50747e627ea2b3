// A client following a share: caught up from the session's state, then its live events,
// until the session closes or the client stops.

import { describe, expect, it } from 'vitest'
import { followSession } from '../../../src/daemon/follow.js'
import type { SessionEvent } from '../../../src/session/event-replay.js'
import type { SessionEvents } from '../../../src/session/events.js'
import type { Session } from '../../../src/session/session.js'
import { TypedEmitter } from '../../../src/typed-emitter.js'
import { stats } from '../cli/fixtures.js'

/** A session before its metadata, with one peer: what replayEvents reads, and events. */
class FakeSession extends TypedEmitter<SessionEvents> {
  readonly infoHash = Buffer.alloc(32, 0x3f)
  readonly meta = null
  readonly transfer = null
  readonly status = 'fetching-metadata'
  readonly resumed = null
  readonly done = null
  readonly peers = new Map([['ab'.repeat(32), {}]])
  stats (): SessionEvents['stats'] { return stats() }
  send<K extends keyof SessionEvents & string> (event: K, payload: SessionEvents[K]): void { this.emit(event, payload) }
  get followed (): boolean { return this.listens('close') || this.listens('stats') }
}

function follow (session: FakeSession): { events: SessionEvent[], ended: () => boolean, stop: () => void } {
  const events: SessionEvent[] = []
  let ended = false
  const stop = followSession(session as unknown as Session, (event) => events.push(event), () => { ended = true })
  return { events, ended: () => ended, stop }
}

describe('followSession', () => {
  it('catches up first, then sends the live events, and ends when the session closes', () => {
    const session = new FakeSession()
    const f = follow(session)
    expect(f.events.map((e) => e.type)).toEqual(['status', 'peer-add', 'stats'])
    session.send('peer-add', { id: 'cd'.repeat(32) })
    expect(f.events.at(-1)).toEqual({ type: 'peer-add', data: { id: 'cd'.repeat(32) } })
    expect(f.ended()).toBe(false)
    session.send('close', { reason: 'removed' })
    expect(f.ended()).toBe(true)
    expect(session.followed).toBe(false)
  })

  it('stopped by the client: no more events, and no end', () => {
    const session = new FakeSession()
    const f = follow(session)
    f.stop()
    expect(session.followed).toBe(false)
    session.send('stats', stats({ have: 1 }))
    session.send('close', { reason: 'removed' })
    expect(f.events).toHaveLength(3)
    expect(f.ended()).toBe(false)
  })
})

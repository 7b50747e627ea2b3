// The bounded wait for a metadata-only session's metadata, and the storage it never opens.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { badMetadata } from '../../src/errors.js'
import { Metadata } from '../../src/metadata/metadata.js'
import { metadataWithin, METADATA_ONLY_STORAGE } from '../../src/metadata-only.js'
import type { SessionEvents } from '../../src/session/events.js'
import type { Session } from '../../src/session/session.js'
import { TypedEmitter } from '../../src/typed-emitter.js'

/** A session that only emits: the wait needs nothing else of it. */
class FakeSession extends TypedEmitter<SessionEvents> {
  meta: Metadata | null = null
  send<K extends keyof SessionEvents & string> (event: K, payload: SessionEvents[K]): void { this.emit(event, payload) }
  /** Whether the wait still listens to it. */
  get watched (): boolean { return this.listens('metadata') || this.listens('error') }
}
const asSession = (s: FakeSession): Pick<Session, 'meta' | 'on' | 'off'> => s as unknown as Session

const META = Metadata.fromInfo({ name: 'a.bin', pieceSize: 16384, files: [{ path: ['a.bin'], length: 100 }], pieceHashes: Buffer.alloc(32, 7) })

beforeEach(() => { vi.useFakeTimers() })
afterEach(() => { vi.useRealTimers() })

describe('metadataWithin', () => {
  it('answers at once when the session has it', async () => {
    const session = new FakeSession()
    session.meta = META
    await expect(metadataWithin(asSession(session), 1000)).resolves.toBe(META)
  })

  it('waits for the metadata event, then lets go of the session', async () => {
    const session = new FakeSession()
    const waiting = metadataWithin(asSession(session), 5000)
    await vi.advanceTimersByTimeAsync(4000)
    session.meta = META
    session.send('metadata', { infoHash: 'ab', name: 'a.bin', totalBytes: 100, pieceCount: 1, pieceSize: 16384 })
    await expect(waiting).resolves.toBe(META)
    expect(session.watched).toBe(false)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('fails with the session\'s error, or ERR_TIMEOUT when no peer sent it in time', async () => {
    const failing = new FakeSession()
    const failed = metadataWithin(asSession(failing), 5000)
    const err = badMetadata('it does not hash to the info hash')
    failing.send('error', err)
    await expect(failed).rejects.toBe(err)

    const silent = new FakeSession()
    const timedOut = metadataWithin(asSession(silent), 5000)
    const settled = expect(timedOut).rejects.toMatchObject({ code: 'ERR_TIMEOUT', message: expect.stringContaining('within 5 s') })
    await vi.advanceTimersByTimeAsync(5000)
    await settled
    expect(silent.watched).toBe(false)
  })

  it('the metadata-only storage refuses to open or finalize', async () => {
    await expect(METADATA_ONLY_STORAGE.open(META)).rejects.toThrow('opens no storage')
    await expect(METADATA_ONLY_STORAGE.finalize()).rejects.toThrow('nothing to finalize')
  })
})

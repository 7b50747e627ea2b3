// Hashing a share and checking a resumed partial, as the CLI shows them: `hashing`,
// `checking` and `resumed` JSON events, status lines for logs, a bar in the live view.

import { afterEach, describe, expect, it, vi } from 'vitest'
import { Reporter } from '../../../src/cli/reporter.js'
import { renderOverall } from '../../../src/cli/view/overall.js'
import type { NodeEvents } from '../../../src/node.js'
import type { BitswarmNode } from '../../../src/node.js'
import type { SessionEvents } from '../../../src/session/events.js'
import type { Session } from '../../../src/session/session.js'
import { TypedEmitter } from '../../../src/typed-emitter.js'
import { captureJsonLines, fold, LINK, metadata, MiB, stats } from './fixtures.js'

class FakeSession extends TypedEmitter<SessionEvents> {
  readonly infoHash = Buffer.alloc(32, 0x3f)
  readonly meta = null
  readonly transfer = null
  readonly status = 'fetching-metadata'
  readonly peers = new Map()
  readonly resumed = null
  stats (): SessionEvents['stats'] { return stats() }
  send<K extends keyof SessionEvents & string> (event: K, payload: SessionEvents[K]): void { this.emit(event, payload) }
}

class FakeNode extends TypedEmitter<NodeEvents> {
  send<K extends keyof NodeEvents & string> (event: K, payload: NodeEvents[K]): void { this.emit(event, payload) }
}

const progress = (pieces: number, pieceCount = 4): SessionEvents['checking'] =>
  ({ pieces, pieceCount, bytes: pieces * MiB, totalBytes: pieceCount * MiB })

describe('checking and hashing in JSON', () => {
  const lines = captureJsonLines()

  it('sends `hashing` while a share is hashed, then `checking` and `resumed` for a resumed download', () => {
    const node = new FakeNode()
    const reporter = new Reporter({ json: true, role: 'get' })
    reporter.watchNode(node as unknown as BitswarmNode)
    node.send('hashing', { path: '/x', ...progress(1) })
    node.send('hashing', { path: '/x', ...progress(4) })
    const session = new FakeSession()
    reporter.watch(session as unknown as Session, LINK)
    session.send('metadata', { infoHash: '3f'.repeat(32), name: 'a.bin', totalBytes: 4 * MiB, pieceCount: 4, pieceSize: MiB })
    session.send('status', { status: 'checking', previous: 'fetching-metadata' })
    session.send('checking', progress(2))
    session.send('checking', progress(4))
    session.send('resumed', { have: 3, trusted: 1, checked: 3 })
    reporter.stop()
    const named = lines.filter((l) => ['hashing', 'checking', 'resumed'].includes(l.event as string))
    expect(named).toEqual([
      { event: 'hashing', pieces: 1, pieceCount: 4, bytes: MiB, totalBytes: 4 * MiB },
      { event: 'hashing', pieces: 4, pieceCount: 4, bytes: 4 * MiB, totalBytes: 4 * MiB },
      { event: 'checking', pieces: 2, pieceCount: 4, bytes: 2 * MiB, totalBytes: 4 * MiB },
      { event: 'checking', pieces: 4, pieceCount: 4, bytes: 4 * MiB, totalBytes: 4 * MiB },
      { event: 'resumed', have: 3, trusted: 1, checked: 3 }
    ])
  })
})

describe('checking for people', () => {
  afterEach(() => { vi.restoreAllMocks() })

  it('prints hashing and checking lines in plain mode, the last one always', () => {
    const err: string[] = []
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { err.push(String(chunk)); return true })
    const stdout = process.stdout as { isTTY?: boolean }
    const wasTTY = stdout.isTTY
    stdout.isTTY = false // a log, not a terminal
    const reporter = new Reporter({ json: false, role: 'share' })
    stdout.isTTY = wasTTY
    expect(reporter.mode).toBe('plain')
    const node = new FakeNode()
    reporter.watchNode(node as unknown as BitswarmNode)
    node.send('hashing', { path: '/x', ...progress(1) })
    node.send('hashing', { path: '/x', ...progress(2) }) // within 2 s of the first: not printed
    node.send('hashing', { path: '/x', ...progress(4) })
    expect(err).toEqual([
      'hashing 25%  1.00 MiB / 4.00 MiB  (1/4 pieces)\n',
      'hashing 100%  4.00 MiB / 4.00 MiB  (4/4 pieces)\n'
    ])
  })

  it('draws the overall bar from the check while the status is `checking`', () => {
    const state = fold([
      metadata(4, MiB),
      { type: 'status', data: { status: 'checking', previous: 'fetching-metadata' } },
      { type: 'checking', data: progress(1) }
    ])
    const [line] = renderOverall(state, 100, false)
    expect(line).toMatch(/^█+░+ 25% +1\.00 MiB \/ 4\.00 MiB .*checking 1\/4 pieces/)
    expect(line!.match(/█/g)).toHaveLength(Math.floor(line!.match(/[█░]/g)!.length / 4))
    state.status = 'downloading'
    expect(renderOverall(state, 100, false)[0]).not.toContain('checking')
  })

  it('says what a resumed download found', () => {
    expect(fold([{ type: 'resumed', data: { have: 7, trusted: 5, checked: 2 } }]).notice)
      .toBe('resumed: 7 pieces held (5 from the resume record, 2 re-checked)')
    expect(fold([{ type: 'resumed', data: { have: 7, trusted: 7, checked: 0 } }]).notice)
      .toBe('resumed: 7 pieces held (7 from the resume record, nothing re-checked)')
  })
})

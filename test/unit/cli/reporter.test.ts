import { describe, expect, it, vi } from 'vitest'
import { Reporter } from '../../../src/cli/reporter.js'
import { timedOut } from '../../../src/errors.js'
import type { SessionEvents } from '../../../src/session/events.js'
import type { Session } from '../../../src/session/session.js'
import { TypedEmitter } from '../../../src/typed-emitter.js'
import { captureJsonLines, LINK, peer, stats, T0 } from './fixtures.js'

/** A session that only emits: the reporter must need nothing else from it. */
class FakeSession extends TypedEmitter<SessionEvents> {
  readonly infoHash = Buffer.alloc(32, 0x3f)
  readonly meta = null
  readonly transfer = null
  readonly status = 'fetching-metadata'
  readonly peers = new Map()
  private last = stats()
  stats (): SessionEvents['stats'] { return this.last }
  send<K extends keyof SessionEvents & string> (event: K, payload: SessionEvents[K]): void {
    if (event === 'stats') this.last = payload as SessionEvents['stats']
    this.emit(event, payload)
  }
}

describe('JSON events', () => {
  const lines = captureJsonLines()

  it('sends `peers` at most once a second, progress with the pieces verified since the last, and the summary before `done`', () => {
    const session = new FakeSession()
    const reporter = new Reporter({ json: true, role: 'get' })
    reporter.watch(session as unknown as Session, LINK)
    session.send('metadata', { infoHash: '3f'.repeat(32), name: 'a.bin', totalBytes: 4096, pieceCount: 4, pieceSize: 1024 })
    for (let t = 0; t < 3000; t += 100) {
      vi.setSystemTime(T0 + t)
      if (t === 1000) session.send('piece-verified', { piece: 2, from: 'ab'.repeat(32) })
      session.send('stats', stats({ pieceCount: 4, have: t >= 1000 ? 1 : 0, partial: [1] }))
      // The session's own timer, and the extra figures it sends right before `done`.
      if (t % 1000 === 0 || t === 2900) session.send('peer-stats', [peer('ab', { downloaded: t })])
    }
    reporter.stop()
    reporter.done({ path: '/x/a.bin', size: 4096, downloaded: 4096, uploaded: 0, seconds: 3 })
    expect(lines.filter((l) => l.event === 'peers')).toHaveLength(3)
    const progress = lines.filter((l) => l.event === 'progress')
    expect(progress.length).toBeLessThanOrEqual(16)
    expect(progress.flatMap((p) => p.verified as number[])).toEqual([2])
    expect(progress.at(-1)).toMatchObject({ have: 1, pieces: 4, partial: [1], hashFailures: 0 })
    expect(lines.at(-2)).toMatchObject({ event: 'summary', outcome: 'interrupted', contributors: 1 })
    expect(lines.at(-1)).toMatchObject({ event: 'done', path: '/x/a.bin' })
    expect(lines[0]).toMatchObject({ event: 'progress' })
    expect(lines.find((l) => l.event === 'ready')).toMatchObject({ link: LINK, name: 'a.bin', pieces: 4 })
  })

  it('an idle minute: a progress and a peers line every 5 s, the stats arriving five times a second', () => {
    const session = new FakeSession()
    const reporter = new Reporter({ json: true, role: 'share' })
    reporter.watch(session as unknown as Session, LINK)
    const idle = stats({ pieceCount: 4, have: 4, peers: 1 })
    for (let t = 0; t <= 60_000; t += 200) {
      vi.setSystemTime(T0 + t)
      session.send('stats', idle)
      if (t % 1000 === 0) session.send('peer-stats', [peer('ab', { uploaded: 4096, rtt: 20 + (t % 3000) / 1000 })])
    }
    // The catch-up line, the first idle one a tick later (t = 200 ms), then one per
    // HEARTBEAT_MS until 55.2 s; a peers line at 0 s, then every 5 s until 60 s.
    expect(lines.filter((l) => l.event === 'progress')).toHaveLength(2 + 11)
    expect(lines.filter((l) => l.event === 'peers')).toHaveLength(1 + 12)
    const before = lines.length
    reporter.stop()
    // Nothing changed since the last progress line: no final one, only the summary.
    expect(lines.slice(before)).toEqual([expect.objectContaining({ event: 'summary', outcome: 'stopped' })])
  })

  it('a give-up by --timeout ends with the summary\'s outcome `timed-out`', () => {
    const session = new FakeSession()
    const reporter = new Reporter({ json: true, role: 'get' })
    reporter.watch(session as unknown as Session, LINK)
    reporter.stop(timedOut('no peer found in 4 s'))
    expect(lines.at(-1)).toMatchObject({ event: 'summary', outcome: 'timed-out', downloaded: 0, peersSeen: 0 })
  })

  it('--open: a `player` event, started or not and why', () => {
    const reporter = new Reporter({ json: true, role: 'get' })
    const url = 'http://127.0.0.1:8000/a.mp4'
    reporter.player({ player: '/usr/bin/mpv', tried: ['mpv', 'vlc', 'xdg-open'], file: 'a.mp4', url, started: true })
    reporter.player({ player: null, tried: ['foo'], file: 'a.mp4', url, started: false, error: { code: 'ERR_NO_PLAYER', message: 'no player "foo" found on PATH' } })
    expect(lines).toEqual([
      { event: 'player', player: '/usr/bin/mpv', tried: ['mpv', 'vlc', 'xdg-open'], file: 'a.mp4', url, started: true },
      { event: 'player', player: null, tried: ['foo'], file: 'a.mp4', url, started: false, error: { code: 'ERR_NO_PLAYER', message: 'no player "foo" found on PATH' } }
    ])
  })
})

describe('lines for people (plain mode)', () => {
  it('--open: the player opened, or one warning line; nothing on standard output', () => {
    const err: string[] = []
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { err.push(String(chunk)); return true })
    try {
      const reporter = new Reporter({ json: false, role: 'get' })
      expect(reporter.mode).toBe('plain')
      const url = 'http://127.0.0.1:8000/a.mp4'
      reporter.player({ player: '/usr/bin/mpv', tried: ['mpv'], file: 'a.mp4', url, started: true })
      reporter.player({ player: '/opt/broken', tried: ['/opt/broken'], file: 'a.mp4', url, started: false, error: { code: 'ERR_PLAYER_FAILED', message: `could not start /opt/broken: spawn EACCES; open ${url} yourself` } })
      expect(err.join('')).toBe(`opened a.mp4 in /usr/bin/mpv\nwarning: could not start /opt/broken: spawn EACCES; open ${url} yourself\n`)
      expect(out).not.toHaveBeenCalled()
    } finally {
      vi.restoreAllMocks()
    }
  })
})

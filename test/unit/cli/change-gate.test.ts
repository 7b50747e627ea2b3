import { describe, expect, it } from 'vitest'
import { ChangeGate, HEARTBEAT_MS, peersChanged, progressChanged, type ProgressFigures, rateMoved } from '../../../src/cli/change-gate.js'
import { peer } from './fixtures.js'

const TICK_MS = 200

function figures (fields: Partial<ProgressFigures> = {}): ProgressFigures {
  return { have: 10, pieces: 10, downloaded: 0, uploaded: 0, downloadRate: 0, uploadRate: 0, peers: 0, hashFailures: 0, eta: null, verified: [], partial: [], ...fields }
}

/** The times at which `gate` lets through the value `at(t)` offered every tick for `ms`. */
function passes<T> (gate: ChangeGate<T>, ms: number, at: (t: number) => T): number[] {
  const times: number[] = []
  for (let t = 0; t <= ms; t += TICK_MS) if (gate.admit(at(t), t)) times.push(t)
  return times
}

describe('change gate', () => {
  it('an idle seeder for a minute: the first line, then one heartbeat every 5 s', () => {
    const gate = new ChangeGate(progressChanged, TICK_MS)
    const times = passes(gate, 60_000, () => figures())
    expect(times).toEqual(Array.from({ length: 13 }, (_, i) => i * HEARTBEAT_MS))
  })

  it('a transfer: every tick while the bytes move, then quiet', () => {
    const gate = new ChangeGate(progressChanged, TICK_MS)
    // Bytes move for 2 s at 100 KB a tick; the rate is shown as 0 only after them.
    const at = (t: number): ProgressFigures => t <= 2000
      ? figures({ downloaded: t * 500, downloadRate: 500_000 })
      : figures({ downloaded: 1_000_000, downloadRate: 0 })
    const times = passes(gate, 4000, at)
    expect(times).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000, 2200])
  })

  it('no sooner than the minimum interval, even when everything changes', () => {
    const gate = new ChangeGate(progressChanged, 1000)
    expect(passes(gate, 3000, (t) => figures({ downloaded: t }))).toEqual([0, 1000, 2000, 3000])
  })

  it('a final line only when it says something new', () => {
    const gate = new ChangeGate(progressChanged, TICK_MS)
    expect(gate.admit(figures(), 0)).toBe(true)
    expect(gate.admitFinal(figures(), 50)).toBe(false)
    expect(gate.admitFinal(figures({ uploaded: 1 }), 60)).toBe(true)
    expect(gate.admitFinal(figures({ uploaded: 1 }), 70)).toBe(false)
  })

  it('counts pieces verified, pieces in flight, peers and hash failures as changes, not the ETA', () => {
    const base = figures({ have: 3, partial: [4, 5], eta: 10 })
    expect(progressChanged(base, { ...base, eta: 9 })).toBe(false)
    expect(progressChanged(base, { ...base, verified: [6] })).toBe(true)
    expect(progressChanged(base, { ...base, partial: [4, 6] })).toBe(true)
    expect(progressChanged(base, { ...base, peers: 1 })).toBe(true)
    expect(progressChanged(base, { ...base, hashFailures: 1 })).toBe(true)
  })
})

describe('rates', () => {
  it.each([
    [1000, 1000, false],
    [1000, 1100, false], // a tenth: the window's drift
    [1000, 760, false],
    [1000, 750, true], // a quarter
    [1000, 2000, true],
    [5, 0, true], // stopped
    [0, 3, true] // started
  ])('%i → %i B/s moved: %s', (before, after, moved) => {
    expect(rateMoved(before, after)).toBe(moved)
  })
})

describe('peer rows', () => {
  const rows = [peer('aa', { downloaded: 100, downloadRate: 1000, rtt: 30 }), peer('bb')]

  it('the same rows with a new round-trip time are no change', () => {
    expect(peersChanged(rows, [peer('aa', { downloaded: 100, downloadRate: 1050, rtt: 31 }), peer('bb')])).toBe(false)
  })

  it.each([
    ['a peer left', [rows[0]!]],
    ['a peer came', [...rows, peer('cc')]],
    ['another peer in its place', [rows[0]!, peer('cc')]],
    ['bytes received', [peer('aa', { downloaded: 200, downloadRate: 1000, rtt: 30 }), peer('bb')]],
    ['choked', [rows[0]!, peer('bb', { choked: true })]],
    ['a rate that stopped', [peer('aa', { downloaded: 100, downloadRate: 0, rtt: 30 }), peer('bb')]]
  ])('%s is a change', (_what, after) => {
    expect(peersChanged(rows, after)).toBe(true)
  })

  it('idle peers for ten seconds: the first row set and heartbeats only', () => {
    const gate = new ChangeGate(peersChanged, 1000)
    expect(passes(gate, 10_000, () => rows)).toEqual([0, 5000, 10_000])
  })
})

import { describe, expect, it } from 'vitest'
import { Choker, type ChokeCandidate, type ChokeDecision, type ChokerOptions } from '../../src/choker.js'
import { seeded } from '../helpers/random.js'

function peer (id: string, opts: Partial<ChokeCandidate> = {}): ChokeCandidate {
  return { id, interested: true, downloadRate: 0, uploadRate: 0, unchoked: false, ...opts }
}

/** Peers p0…p(n-1), p0 the fastest both ways. */
function swarm (n: number, opts: Partial<ChokeCandidate> = {}): ChokeCandidate[] {
  return Array.from({ length: n }, (_, i) => peer(`p${i}`, { downloadRate: (n - i) * 100, uploadRate: (n - i) * 100, ...opts }))
}

const unchokedIds = (peers: ChokeCandidate[]): Set<string> => new Set(peers.filter((p) => p.unchoked).map((p) => p.id))

/** Checks that the decision lists only changes, then applies it as the caller would. */
function apply (peers: ChokeCandidate[], d: ChokeDecision): void {
  const before = unchokedIds(peers)
  for (const id of d.unchoke) expect(before.has(id)).toBe(false)
  for (const id of d.choke) expect(before.has(id)).toBe(true)
  for (const p of peers) {
    if (d.unchoke.includes(p.id)) p.unchoked = true
    if (d.choke.includes(p.id)) p.unchoked = false
  }
  expect(unchokedIds(peers)).toEqual(new Set(d.reasons.keys()))
}

/** Runs rounds, applying each decision; returns the decisions. */
function run (choker: Choker, peers: ChokeCandidate[], rounds: number, seeding = false): ChokeDecision[] {
  const out: ChokeDecision[] = []
  for (let r = 0; r < rounds; r++) {
    const d = choker.rechoke(peers, seeding)
    apply(peers, d)
    out.push(d)
  }
  return out
}

const regular = (d: ChokeDecision): Set<string> =>
  new Set([...d.reasons].filter(([, why]) => why !== 'optimistic').map(([id]) => id))

describe('Choker', () => {
  it.each([
    { slots: 0, n: 6 }, { slots: 1, n: 6 }, { slots: 4, n: 3 }, { slots: 4, n: 5 }, { slots: 4, n: 12 }, { slots: 2, n: 12 }
  ])('never unchokes more than slots + 1, counting peers already unchoked (slots $slots, $n peers)', ({ slots, n }) => {
    for (const seeding of [false, true]) {
      const peers = swarm(n, { unchoked: true }) // all unchoked before the first round
      for (const d of run(new Choker({ slots, random: seeded(n) }), peers, 12, seeding)) {
        expect(d.reasons.size).toBe(slots === 0 ? 0 : Math.min(n, slots + 1))
        expect(regular(d).size).toBe(Math.min(n, slots))
      }
      expect(unchokedIds(peers).size).toBeLessThanOrEqual(slots + 1)
    }
  })

  it('gives regular slots to the peers sending to us fastest (tit-for-tat)', () => {
    const rates = { a: 50, b: 900, c: 10, d: 700, e: 300, f: 0 }
    const peers = Object.entries(rates).map(([id, downloadRate]) => peer(id, { downloadRate, uploadRate: 1000 - downloadRate }))
    const d = new Choker({ slots: 3, random: seeded(1) }).rechoke(peers, false)
    expect(regular(d)).toEqual(new Set(['b', 'd', 'e']))
    for (const id of ['b', 'd', 'e']) expect(d.reasons.get(id)).toBe('tit-for-tat')
    expect(['a', 'c', 'f']).toContain(d.optimistic)
  })

  it('breaks rate ties at random', () => {
    const winners = new Set<string>()
    for (let seed = 0; seed < 20; seed++) {
      const d = new Choker({ slots: 1, random: seeded(seed) }).rechoke([peer('a', { downloadRate: 5 }), peer('b', { downloadRate: 5 }), peer('c', { downloadRate: 5 })], false)
      winners.add([...regular(d)][0]!)
    }
    expect(winners).toEqual(new Set(['a', 'b', 'c']))
  })

  it.each([false, true])('never gives a slot to an uninterested peer and chokes it if unchoked (seeding %s)', (seeding) => {
    const peers = [
      peer('fast-uninterested', { interested: false, downloadRate: 1e6, uploadRate: 1e6, unchoked: true }),
      peer('idle', { interested: false }),
      ...swarm(3)
    ]
    const decisions = run(new Choker({ slots: 2, random: seeded(2) }), peers, 10, seeding)
    expect(decisions[0]!.choke).toEqual(['fast-uninterested'])
    for (const d of decisions) {
      expect(d.reasons.has('fast-uninterested')).toBe(false)
      expect(d.reasons.has('idle')).toBe(false)
    }
    expect(new Set(decisions[0]!.reasons.keys())).toEqual(new Set(['p0', 'p1', 'p2']))
  })

  it('with slots 0 unchokes nobody and chokes everyone currently unchoked', () => {
    const peers = [peer('a', { unchoked: true, downloadRate: 9 }), peer('b'), peer('c', { unchoked: true, interested: false })]
    const choker = new Choker({ slots: 0 })
    const d = choker.rechoke(peers, false)
    expect(d).toEqual({ unchoke: [], choke: ['a', 'c'], optimistic: null, reasons: new Map() })
    apply(peers, d)
    expect(choker.rechoke(peers, true)).toEqual({ unchoke: [], choke: [], optimistic: null, reasons: new Map() })
  })

  it('returns only changes: a repeated round with nothing new changes nothing', () => {
    const peers = swarm(8)
    const choker = new Choker({ slots: 3, random: seeded(3) })
    const [first, second] = run(choker, peers, 2)
    expect(new Set(first!.unchoke)).toEqual(new Set(first!.reasons.keys()))
    expect(first!.choke).toEqual([])
    expect(second!.unchoke).toEqual([])
    expect(second!.choke).toEqual([])
    expect(second!.reasons).toEqual(first!.reasons) // reasons cover every unchoked peer, changed or not
  })

  it.each([1, 2, 3, 5])('rotates the optimistic slot every %i rounds', (optimisticRounds) => {
    const peers = [peer('fast', { downloadRate: 1000 }), ...swarm(6, { downloadRate: 0 })]
    const decisions = run(new Choker({ slots: 1, optimisticRounds, random: seeded(optimisticRounds) }), peers, 4 * optimisticRounds + 1)
    decisions.forEach((d, round) => {
      expect(d.optimistic).not.toBeNull()
      expect(d.optimistic).not.toBe('fast')
      if (round === 0) return
      const rotation = round % optimisticRounds === 0
      if (rotation) expect(d.optimistic).not.toBe(decisions[round - 1]!.optimistic)
      else expect(d.optimistic).toBe(decisions[round - 1]!.optimistic)
    })
  })

  it.each([
    { what: 'vanished', change: (peers: ChokeCandidate[], id: string) => peers.filter((p) => p.id !== id) },
    { what: 'lost interest', change: (peers: ChokeCandidate[], id: string) => peers.map((p) => p.id === id ? { ...p, interested: false } : p) }
  ])('replaces an optimistic peer that $what at once', ({ change }) => {
    let peers = [peer('fast', { downloadRate: 1000 }), ...swarm(4, { downloadRate: 0 })]
    const choker = new Choker({ slots: 1, optimisticRounds: 10, random: seeded(4) })
    const [first] = run(choker, peers, 1)
    const old = first!.optimistic!
    peers = change(peers, old)
    const d = choker.rechoke(peers, false)
    expect(d.optimistic).not.toBeNull()
    expect(d.optimistic).not.toBe(old)
    expect(d.unchoke).toEqual([d.optimistic])
    expect(d.choke).toEqual(peers.some((p) => p.id === old) ? [old] : [])
  })

  it('picks a new optimistic peer at once when the current one earns a regular slot', () => {
    const peers = [peer('a', { downloadRate: 1000 }), peer('b'), peer('c'), peer('d')]
    const choker = new Choker({ slots: 1, optimisticRounds: 10, random: seeded(5) })
    const [first] = run(choker, peers, 1)
    const lucky = peers.find((p) => p.id === first!.optimistic)!
    lucky.downloadRate = 5000 // it reciprocated: now the best uploader to us
    const d = choker.rechoke(peers, false)
    expect(d.reasons.get(lucky.id)).toBe('tit-for-tat')
    expect(d.choke).toEqual(['a'])
    expect(d.optimistic).not.toBe(lucky.id)
    expect(['b', 'c', 'd']).toContain(d.optimistic)
  })

  it('weights newcomers 3× in the optimistic pick', () => {
    // One regular slot held by `fast`; the optimistic slot rotates every round, and at the
    // second pick the pool is [the other old peer, n]. Over random values spread evenly, n
    // wins 3/4 of the time as a newcomer and 1/2 when it was already present at the first pick.
    const wins = (nFromStart: boolean): number => {
      let count = 0
      for (let i = 0; i < 100; i++) {
        const v = i / 100
        const choker = new Choker({ slots: 1, optimisticRounds: 1, random: () => v })
        const old = [peer('fast', { downloadRate: 1000 }), peer('a'), peer('b')]
        const n = peer('n')
        // At the first pick n must not be a candidate even when present: give it no interest.
        choker.rechoke(nFromStart ? [...old, { ...n, interested: false }] : old, false)
        if (choker.rechoke([...old, n], false).optimistic === 'n') count++
      }
      return count
    }
    expect(wins(false)).toBe(75)
    expect(wins(true)).toBe(50)
  })

  it.each([
    { n: 10, slots: 4, rotate: 2 },
    { n: 7, slots: 2, rotate: 3 },
    { n: 6, slots: 4, rotate: 1 },
    { n: 12, slots: 3, rotate: 2 }
  ])('seeding rotates slots: $n peers, $slots slots, yield after $rotate rounds', ({ n, slots, rotate }) => {
    // The waiters form a queue served `slots` at a time every `rotate` rounds; the optimistic
    // slot only speeds this up. So the last of the n - slots peers not served in round 1 is
    // unchoked by round 1 + rotate · ⌈(n − slots) / slots⌉ (5 for 10 peers, 4 slots, 2 rounds).
    const bound = 1 + rotate * Math.ceil((n - slots) / slots)
    for (let seed = 0; seed < 10; seed++) {
      const peers = swarm(n) // distinct upload rates: without rotation the fastest would keep every slot
      const served = new Set<string>()
      const decisions = run(new Choker({ slots, seedRotateRounds: rotate, random: seeded(seed) }), peers, bound, true)
        .map((d) => { for (const id of d.reasons.keys()) served.add(id); return d })
      expect(served).toEqual(new Set(peers.map((p) => p.id)))
      expect(decisions.some((d) => [...d.reasons.values()].includes('round-robin'))).toBe(true)
    }
    // Contrast: tit-for-tat on the same rates serves only the fastest plus one optimistic
    // peer per OPTIMISTIC_UNCHOKE_ROUNDS (3) rounds in that time.
    const peers = swarm(n)
    const served = new Set<string>()
    for (const d of run(new Choker({ slots, random: seeded(0) }), peers, bound, false)) for (const id of d.reasons.keys()) served.add(id)
    expect(served.size).toBeLessThanOrEqual(slots + Math.ceil(bound / 3))
    expect(served.size).toBeLessThan(n)
  })

  it('seeding: no peer holds a regular slot longer than seedRotateRounds while others wait', () => {
    const peers = swarm(10)
    const held = new Map<string, number>()
    for (const d of run(new Choker({ slots: 4, seedRotateRounds: 2, random: seeded(7) }), peers, 30, true)) {
      for (const p of peers) held.set(p.id, regular(d).has(p.id) ? (held.get(p.id) ?? 0) + 1 : 0)
      expect(Math.max(...held.values())).toBeLessThanOrEqual(2)
    }
  })

  it('seeding keeps the fastest when nobody waits', () => {
    const peers = swarm(4)
    const decisions = run(new Choker({ slots: 4, seedRotateRounds: 1, random: seeded(8) }), peers, 5, true)
    for (const d of decisions.slice(1)) {
      expect(d.unchoke).toEqual([])
      expect(d.choke).toEqual([])
    }
    expect(regular(decisions.at(-1)!)).toEqual(new Set(['p0', 'p1', 'p2', 'p3']))
  })

  it('drops the state of vanished peers', () => {
    const choker = new Choker({ random: seeded(9) })
    let peers = swarm(20)
    run(choker, peers, 3)
    expect(choker.trackedPeers).toBe(20)
    peers = peers.slice(0, 5)
    run(choker, peers, 1)
    expect(choker.trackedPeers).toBe(5)
    choker.rechoke([], true)
    expect(choker.trackedPeers).toBe(0)
  })

  it.each<ChokerOptions>([{ slots: -1 }, { slots: 1.5 }, { optimisticRounds: 0 }, { seedRotateRounds: 0 }])('rejects %o', (opts) => {
    expect(() => new Choker(opts)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
  })
})

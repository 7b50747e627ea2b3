// Randomised runs of the picker against a model of the downloader: peers come and go, blocks
// arrive, are rejected or time out, pieces pass or fail their hash. Seeded, so a failure
// replays.

import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../../src/bitfield.js'
import { PiecePicker } from '../../../src/picker/piece-picker.js'
import { seeded } from '../../helpers/random.js'

const BLOCK = 4

function randomBits (length: number, density: number, random: () => number): Bitfield {
  const field = new Bitfield(length)
  for (let i = 0; i < length; i++) if (random() < density) field.set(i)
  return field
}

interface ModelPeer {
  has: Bitfield
  requests: Set<string>
}

const key = (piece: number, offset: number): string => `${piece}:${offset}`
const parse = (k: string): [number, number] => k.split(':').map(Number) as [number, number]

describe('PiecePicker properties', () => {
  it('never picks a piece the peer lacks or that we hold', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = seeded(seed)
      const pieces = 1 + Math.floor(random() * 40)
      const have = randomBits(pieces, random(), random)
      const p = new PiecePicker(have, {
        pieceCount: pieces,
        pieceLength: () => 2 * BLOCK,
        blockBytes: BLOCK,
        maxPartialPieces: 1 + Math.floor(random() * 6),
        randomFirstPieces: Math.floor(random() * 3),
        random
      })
      for (let peer = 0; peer < 4; peer++) p.addAvailability(randomBits(pieces, random(), random))
      for (let round = 0; round < 5; round++) {
        const peerHas = randomBits(pieces, random(), random)
        for (const pick of p.pickBlocks(peerHas, 1 + Math.floor(random() * 8), () => false)) {
          expect(peerHas.has(pick.piece), `seed ${seed}`).toBe(true)
          expect(have.has(pick.piece), `seed ${seed}`).toBe(false)
        }
      }
    }
  })

  it('keeps its request counts true to the peers, enters endgame exactly when due and finishes', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const random = seeded(seed)
      const pieces = 1 + Math.floor(random() * 10)
      const pieceLength = (piece: number): number => (piece === pieces - 1 ? 1 + Math.floor(pieces * 7 % 12) : 3 * BLOCK)
      const blocksOf = (piece: number): number => Math.ceil(pieceLength(piece) / BLOCK)
      const maxDuplicateRequests = 1 + Math.floor(random() * 3)
      const have = new Bitfield(pieces)
      const p = new PiecePicker(have, {
        pieceCount: pieces,
        pieceLength,
        blockBytes: BLOCK,
        maxPartialPieces: 1 + Math.floor(random() * 4),
        randomFirstPieces: Math.floor(random() * 3),
        maxDuplicateRequests,
        random
      })
      // Peer 0 seeds and stays, so the run can always finish; the others churn.
      const peers: ModelPeer[] = [{ has: Bitfield.full(pieces), requests: new Set() }]
      for (let i = 0; i < 3; i++) peers.push({ has: randomBits(pieces, random(), random), requests: new Set() })
      for (const peer of peers) p.addAvailability(peer.has)
      const received = new Set<string>()
      const holders = (k: string): number => peers.filter((peer) => peer.requests.has(k)).length
      const context = (): string => `seed ${seed}`

      let steps = 0
      for (; !have.complete && steps < 20_000; steps++) {
        const peer = peers[Math.floor(random() * peers.length)]!
        const op = random()
        if (op < 0.4) {
          const picks = p.pickBlocks(peer.has, 1 + Math.floor(random() * 6), (piece, offset) => peer.requests.has(key(piece, offset)))
          for (const pick of picks) {
            const k = key(pick.piece, pick.offset)
            expect(peer.has.has(pick.piece), context()).toBe(true)
            expect(have.has(pick.piece) || received.has(k), context()).toBe(false)
            expect(peer.requests.has(k), context()).toBe(false)
            expect(pick.length, context()).toBe(Math.min(BLOCK, pieceLength(pick.piece) - pick.offset))
            if (pick.reason === 'endgame') expect(p.inEndgame, context()).toBe(true)
            peer.requests.add(k)
          }
          for (const k of new Set(picks.map((b) => key(b.piece, b.offset)))) {
            const [piece, offset] = parse(k)
            expect(p.requestsOf(piece, offset), context()).toBe(holders(k))
            expect(holders(k), context()).toBeLessThanOrEqual(maxDuplicateRequests)
          }
        } else if (op < 0.75 && peer.requests.size > 0) {
          // The peer answers one request; the downloader cancels the copies asked of others.
          const k = [...peer.requests][Math.floor(random() * peer.requests.size)]!
          const [piece, offset] = parse(k)
          expect(p.isWanted(piece, offset), context()).toBe(true)
          for (const other of peers) other.requests.delete(k)
          const complete = p.onBlockReceived(piece, offset)
          for (let i = 1; i < maxDuplicateRequests; i++) p.releaseRequest(piece, offset) // moot once received
          received.add(k)
          expect(complete, context()).toBe([...Array(blocksOf(piece)).keys()].every((b) => received.has(key(piece, b * BLOCK))))
          if (complete) {
            for (let b = 0; b < blocksOf(piece); b++) received.delete(key(piece, b * BLOCK))
            if (random() < 0.2) {
              p.onPieceFailed(piece)
            } else {
              p.onPieceVerified(piece)
              have.set(piece)
            }
          }
        } else if (op < 0.85 && peer.requests.size > 0) {
          // Rejected or timed out.
          const k = [...peer.requests][Math.floor(random() * peer.requests.size)]!
          peer.requests.delete(k)
          p.releaseRequest(...parse(k))
          expect(p.requestsOf(...parse(k)), context()).toBe(holders(k))
        } else if (op < 0.95 && peer !== peers[0]) {
          // The peer vanishes and another takes its place.
          for (const k of peer.requests) p.releaseRequest(...parse(k))
          peer.requests.clear()
          p.addAvailability(peer.has, -1)
          peer.has = randomBits(pieces, random(), random)
          p.addAvailability(peer.has)
        }
        // Endgame, from the model alone: something is missing and every block of every missing
        // piece has arrived or is asked of somebody.
        let due = !have.complete
        for (let piece = 0; piece < pieces && due; piece++) {
          if (have.has(piece)) continue
          for (let b = 0; b < blocksOf(piece) && due; b++) {
            const k = key(piece, b * BLOCK)
            due = received.has(k) || holders(k) > 0
          }
        }
        expect(p.inEndgame, context()).toBe(due)
      }
      expect(have.complete, `seed ${seed} unfinished after ${steps} steps`).toBe(true)
      expect(p.partialCount, context()).toBe(0)
    }
  })
})

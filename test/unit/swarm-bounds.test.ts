import { describe, expect, it } from 'vitest'
import { type BoundInput, clientServerBound, swarmBound } from '../../src/swarm-bounds.js'

const MiB = 2 ** 20
const F = 32 * MiB
const input = (n: number, downloaderUpload: number, downloadLimits: number[] = []): BoundInput =>
  ({ fileBytes: F, seederUpload: 4 * MiB, downloaderUploads: new Array<number>(n).fill(downloaderUpload), downloadLimits })

describe('swarmBound (the benchmark setting: 32 MiB, seeder 4 MiB/s, downloaders 2 MiB/s)', () => {
  it('is F/u_s while the swarm adds enough upload: N = 1 → 8 s, N = 2 → 8 s', () => {
    expect(swarmBound(input(1, 2 * MiB))).toBe(8) // max(32/4, 1·32/6 = 5.33)
    expect(swarmBound(input(2, 2 * MiB))).toBe(8) // max(32/4, 2·32/8 = 8)
  })

  it('is N·F/(u_s + Σu_i) beyond that: 4 → 10.67 s, 8 → 12.8 s, 16 → 14.22 s', () => {
    expect(swarmBound(input(4, 2 * MiB))).toBeCloseTo(128 / 12, 10) // 4·32/(4+8)
    expect(swarmBound(input(8, 2 * MiB))).toBeCloseTo(12.8, 10) // 8·32/(4+16)
    expect(swarmBound(input(16, 2 * MiB))).toBeCloseTo(512 / 36, 10) // 16·32/(4+32)
  })

  it('is F/d_min when a downloader is slow', () => {
    // one downloader at 1 MiB/s: 32 s > max(8, 4·32/12)
    expect(swarmBound(input(4, 2 * MiB, [Infinity, 1 * MiB, Infinity, 8 * MiB]))).toBe(32)
  })

  it('adds up unequal uploads', () => {
    const bound = (seederUpload: number, downloaderUploads: number[]): number =>
      swarmBound({ fileBytes: 100, seederUpload, downloaderUploads, downloadLimits: [] })
    expect(bound(10, [5, 5, 5, 5])).toBeCloseTo(400 / 30, 10) // 4·100/(10+20) = 13.33 > 100/10
    expect(bound(10, [0, 30, 60])).toBe(10) // 3·100/100 = 3 < 100/10
    expect(bound(10, [0, 0])).toBe(20) // nobody else uploads: as client–server
  })
})

describe('clientServerBound', () => {
  it('is N·F/u_s: N = 1 → 8 s, 2 → 16 s, 16 → 128 s, whatever the downloaders could upload', () => {
    expect(clientServerBound(input(1, 0))).toBe(8)
    expect(clientServerBound(input(2, 0))).toBe(16)
    expect(clientServerBound(input(16, 0))).toBe(128)
    expect(clientServerBound(input(16, 2 * MiB))).toBe(128)
  })

  it('is F/d_min when that is larger', () => {
    expect(clientServerBound(input(2, 0, [MiB / 2, Infinity]))).toBe(64) // 32/0.5 > 2·32/4
    expect(clientServerBound(input(2, 0, [MiB, MiB]))).toBe(32) // 32/1 > 16
  })

  it('is never below the swarm bound', () => {
    for (const n of [1, 2, 4, 8, 16]) expect(clientServerBound(input(n, 0))).toBeGreaterThanOrEqual(swarmBound(input(n, 2 * MiB)))
  })
})

describe('input checks', () => {
  it('rejects no downloaders, a zero seeder upload and mismatched download limits', () => {
    expect(() => swarmBound(input(0, 0))).toThrow(/at least one downloader/)
    expect(() => clientServerBound({ ...input(2, 0), seederUpload: 0 })).toThrow(/seederUpload/)
    expect(() => swarmBound(input(2, MiB, [MiB]))).toThrow(/1 entries for 2 downloaders/)
    expect(() => swarmBound(input(1, MiB, [0]))).toThrow(/downloadLimits/)
  })
})

// Inputs for decoder fuzzing, from a seeded generator: random bytes, and mutations of valid
// encodings (bit flips, truncation, splices, and the numbers that break naive decoders
// written as compact-encoding uints: 0, 2^32 − 1, 2^53).

import c from 'compact-encoding'

export type Random = () => number

/** A compact-encoding uint, written out (values past 2^32 as the 8-byte form). */
export function uintBytes (n: number): Buffer {
  const state = c.state()
  c.uint.preencode(state, n)
  state.buffer = Buffer.alloc(state.end)
  c.uint.encode(state, n)
  return state.buffer as Buffer
}

/** Values that break decoders: zero, the edges of each width, and beyond safe integers. */
const EDGES = [0, 1, 0xfc, 0xfd, 0xffff, 0x10000, 2 ** 32 - 1, 2 ** 32, 2 ** 53, 2 ** 53 - 1]
/** Prefixes of the wider uint forms with nothing (or too little) after them. */
const TRUNCATED_PREFIXES = [Buffer.of(0xfd), Buffer.of(0xfe, 0xff), Buffer.of(0xff, 0, 0, 0)]

export function randomInt (random: Random, below: number): number {
  return Math.floor(random() * below)
}

export function randomBytes (random: Random, maxLength: number): Buffer {
  const bytes = Buffer.alloc(randomInt(random, maxLength + 1))
  for (let i = 0; i < bytes.length; i++) bytes[i] = randomInt(random, 256)
  return bytes
}

export function edgeUint (random: Random): Buffer {
  const n = EDGES[randomInt(random, EDGES.length)]!
  return n > Number.MAX_SAFE_INTEGER ? Buffer.of(0xff, 0, 0, 0, 0, 0, 0x20, 0) : uintBytes(n)
}

/** One mutation of `valid`, chosen at random. */
export function mutate (random: Random, valid: Buffer): Buffer {
  const at = randomInt(random, valid.length + 1)
  switch (randomInt(random, 7)) {
    case 0: return valid.subarray(0, at) // truncated
    case 1: { // bits flipped
      const copy = Buffer.from(valid)
      for (let i = 0, n = 1 + randomInt(random, 4); i < n && copy.length > 0; i++) copy[randomInt(random, copy.length)]! ^= 1 << randomInt(random, 8)
      return copy
    }
    case 2: return Buffer.concat([valid.subarray(0, at), edgeUint(random), valid.subarray(at)]) // an extreme number spliced in
    case 3: return Buffer.concat([edgeUint(random), valid.subarray(at)]) // the start replaced by one
    case 4: return Buffer.concat([valid, randomBytes(random, 16)]) // trailing bytes
    case 5: return Buffer.concat([valid.subarray(0, at), TRUNCATED_PREFIXES[randomInt(random, TRUNCATED_PREFIXES.length)]!])
    default: return Buffer.concat([valid.subarray(0, at), randomBytes(random, 8), valid.subarray(at + randomInt(random, 8))])
  }
}

/** A fuzz input built on `valid` samples: mostly mutations, sometimes pure noise. */
export function fuzzInput (random: Random, valid: readonly Buffer[]): Buffer {
  if (valid.length === 0 || random() < 0.25) return randomBytes(random, 48)
  return mutate(random, valid[randomInt(random, valid.length)]!)
}

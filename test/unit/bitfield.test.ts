import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../src/bitfield.js'

describe('Bitfield', () => {
  it('packs most significant bit first and round-trips through bytes', () => {
    const field = new Bitfield(10)
    for (const i of [0, 7, 9]) field.set(i)
    expect([...field.toBytes()]).toEqual([0b1000_0001, 0b0100_0000])
    const copy = Bitfield.fromBytes(10, field.toBytes())
    expect([...copy.indices()]).toEqual([0, 7, 9])
    expect(copy.size).toBe(3)
  })

  it('rejects a wrong length or bits set past the end', () => {
    expect(() => Bitfield.fromBytes(10, Buffer.alloc(3))).toThrow(expect.objectContaining({ code: 'ERR_PROTOCOL' }))
    expect(() => Bitfield.fromBytes(10, Buffer.from([0, 0b0010_0000]))).toThrow(expect.objectContaining({ code: 'ERR_PROTOCOL' }))
  })

  it('counts and knows when it is complete, including the empty field', () => {
    const field = Bitfield.full(9)
    expect(field.complete).toBe(true)
    expect(field.set(3)).toBe(false)
    expect(new Bitfield(0).complete).toBe(true)
    expect(new Bitfield(3).has(5)).toBe(false)
  })
})

// A fixed-length set of piece indices, packed most significant bit first (BitTorrent order).

import { BitswarmError } from './errors.js'

export class Bitfield {
  readonly length: number
  private readonly bytes: Uint8Array
  private count = 0

  constructor (length: number) {
    this.length = length
    this.bytes = new Uint8Array(Math.ceil(length / 8))
  }

  /** Builds from wire bytes; rejects a wrong size or set padding bits. */
  static fromBytes (length: number, bytes: Uint8Array): Bitfield {
    const field = new Bitfield(length)
    if (bytes.byteLength !== field.bytes.byteLength) {
      throw new BitswarmError('ERR_PROTOCOL', `bitfield of ${bytes.byteLength} bytes for ${length} pieces`)
    }
    const spare = field.bytes.byteLength * 8 - length
    if (spare > 0 && (bytes[bytes.byteLength - 1]! & ((1 << spare) - 1)) !== 0) {
      throw new BitswarmError('ERR_PROTOCOL', 'bitfield has bits set past the last piece')
    }
    field.bytes.set(bytes)
    for (const byte of field.bytes) field.count += popcount(byte)
    return field
  }

  static full (length: number): Bitfield {
    const field = new Bitfield(length)
    for (let i = 0; i < length; i++) field.set(i)
    return field
  }

  get size (): number { return this.count }
  get complete (): boolean { return this.count === this.length }

  has (index: number): boolean {
    if (index < 0 || index >= this.length) return false
    return (this.bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0
  }

  /** Returns true when the bit was newly set. */
  set (index: number): boolean {
    if (index < 0 || index >= this.length) throw new RangeError(`piece ${index} out of range`)
    if (this.has(index)) return false
    this.bytes[index >> 3]! |= 0x80 >> (index & 7)
    this.count++
    return true
  }

  toBytes (): Buffer {
    return Buffer.from(this.bytes)
  }

  * indices (): IterableIterator<number> {
    for (let i = 0; i < this.length; i++) if (this.has(i)) yield i
  }
}

function popcount (byte: number): number {
  let n = 0
  for (let b = byte; b !== 0; b &= b - 1) n++
  return n
}

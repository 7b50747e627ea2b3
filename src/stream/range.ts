// Parsing of an HTTP Range header against a file's size (RFC 9110 §14). Pure.
//
// Several ranges are coalesced into ONE range spanning from the lowest start to the highest end
// of the satisfiable ones, served as a single-part 206: RFC 9110 lets a server coalesce, every
// player sends single ranges anyway, and a single part avoids multipart/byteranges bodies that
// few clients parse. The span is a superset of what was asked, never less.

import { badRange, rangeNotSatisfiable } from '../errors.js'

/** Inclusive byte range, as in Content-Range. */
export interface ByteRange { start: number, end: number }

export type RangeResult =
  | { kind: 'whole' } // no header, or one not understood: serve 200 with the whole file
  | { kind: 'partial', range: ByteRange } // serve 206
  | { kind: 'unsatisfiable' } // serve 416 with Content-Range: bytes */size

const SPEC = /^\s*(\d*)\s*-\s*(\d*)\s*$/

/** One range-spec ("500-999", "500-", "-500") → its inclusive range inside size, or null if
 *  it is outside the file; throws ERR_BAD_RANGE on bad syntax. */
export function parseRangeSpec (spec: string, size: number): ByteRange | null {
  const m = SPEC.exec(spec)
  if (m === null || (m[1] === '' && m[2] === '')) throw badRange(spec)
  if (m[1] === '') { // suffix: the last N bytes
    const suffix = Number(m[2])
    if (suffix === 0 || size === 0) return null
    return { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(m[1])
  const end = m[2] === '' ? Infinity : Number(m[2])
  if (end < start) throw badRange(spec)
  if (start >= size) return null
  return { start, end: Math.min(end, size - 1) }
}

/** The whole header. A malformed header is ignored (RFC 9110: a server MAY ignore Range). */
export function parseRange (header: string | undefined, size: number): RangeResult {
  if (header === undefined || header.trim() === '') return { kind: 'whole' }
  const eq = header.indexOf('=')
  if (eq < 0 || header.slice(0, eq).trim().toLowerCase() !== 'bytes') return { kind: 'whole' }
  let ranges: ByteRange[]
  try {
    ranges = header.slice(eq + 1).split(',').filter(s => s.trim() !== '')
      .map(s => parseRangeSpec(s, size)).filter((r): r is ByteRange => r !== null)
  } catch {
    return { kind: 'whole' }
  }
  if (ranges.length === 0) return { kind: 'unsatisfiable' }
  const start = Math.min(...ranges.map(r => r.start))
  const end = Math.max(...ranges.map(r => r.end))
  return { kind: 'partial', range: { start, end } }
}

/** The same, throwing ERR_RANGE_NOT_SATISFIABLE for a 416, for library callers. */
export function requireRange (header: string, size: number): ByteRange | null {
  const r = parseRange(header, size)
  if (r.kind === 'unsatisfiable') throw rangeNotSatisfiable(header, size)
  return r.kind === 'partial' ? r.range : null
}

export const contentRange = (r: ByteRange, size: number): string => `bytes ${r.start}-${r.end}/${size}`
export const unsatisfiedRange = (size: number): string => `bytes */${size}`

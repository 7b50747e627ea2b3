import { describe, expect, it } from 'vitest'
import { contentRange, parseRange, parseRangeSpec, requireRange, unsatisfiedRange } from '../../../src/stream/range.js'
import { contentTypeOf } from '../../../src/stream/content-type.js'

describe('parseRange', () => {
  const size = 1000
  it.each([
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=500-599', { start: 500, end: 599 }],
    ['bytes=900-', { start: 900, end: 999 }],
    ['bytes=-500', { start: 500, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    ['bytes=990-5000', { start: 990, end: 999 }],
    ['bytes=0-99,50-149', { start: 0, end: 149 }],
    ['bytes=100-199, 0-9', { start: 0, end: 199 }],
    ['bytes=0-9,2000-3000', { start: 0, end: 9 }],
    ['BYTES = 1-1', { start: 1, end: 1 }]
  ])('%s → %o', (header, range) => {
    expect(parseRange(header, size)).toEqual({ kind: 'partial', range })
  })

  it.each(['bytes=1000-', 'bytes=5000-6000', 'bytes=-0', 'bytes=1000-1001,2000-'])('%s is unsatisfiable', header => {
    expect(parseRange(header, size)).toEqual({ kind: 'unsatisfiable' })
    expect(() => requireRange(header, size)).toThrow(expect.objectContaining({ code: 'ERR_RANGE_NOT_SATISFIABLE' }))
  })

  it.each([undefined, '', 'items=0-1', 'bytes=abc', 'bytes=5-1', 'bytes=-', 'bytes=1-2-3'])('%s is ignored (whole file)', header => {
    expect(parseRange(header, size)).toEqual({ kind: 'whole' })
  })

  it('refuses bad syntax per spec with a code', () => {
    expect(() => parseRangeSpec('x-1', size)).toThrow(expect.objectContaining({ code: 'ERR_BAD_RANGE' }))
  })

  it('an empty file satisfies no range', () => {
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange('bytes=-1', 0)).toEqual({ kind: 'unsatisfiable' })
  })

  it('formats Content-Range', () => {
    expect(contentRange({ start: 5, end: 9 }, 10)).toBe('bytes 5-9/10')
    expect(unsatisfiedRange(10)).toBe('bytes */10')
  })
})

describe('contentTypeOf', () => {
  it.each([
    ['a/movie.mp4', 'video/mp4'], ['x.MKV', 'video/x-matroska'], ['x.webm', 'video/webm'],
    ['x.mp3', 'audio/mpeg'], ['x.ogg', 'audio/ogg'], ['x.flac', 'audio/flac'], ['x.wav', 'audio/wav'],
    ['x.mov', 'video/quicktime'], ['x.avi', 'video/x-msvideo'], ['x.txt', 'text/plain; charset=utf-8'],
    ['x.html', 'text/html; charset=utf-8'], ['x.json', 'application/json'], ['x.pdf', 'application/pdf'],
    ['x.png', 'image/png'], ['x.jpg', 'image/jpeg'], ['x.gif', 'image/gif'],
    ['x.iso', 'application/x-iso9660-image'], ['x.zip', 'application/zip'],
    ['noext', 'application/octet-stream'], ['.hidden', 'application/octet-stream'],
    ['dir.mp4/file', 'application/octet-stream'], ['x.unknown', 'application/octet-stream']
  ])('%s → %s', (path, type) => {
    expect(contentTypeOf(path)).toBe(type)
  })
})

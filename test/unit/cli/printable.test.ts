import { describe, expect, it } from 'vitest'
import { jsonLine, printable } from '../../../src/cli/printable.js'

describe('printable', () => {
  it.each([
    ['a newline, which would forge a second line', 'movie\nbitswarm: fake [ERR_X]', 'movie\\nbitswarm: fake [ERR_X]'],
    ['a carriage return, which would overwrite the line', 'ok\rfake', 'ok\\rfake'],
    ['a tab', 'a\tb', 'a\\tb'],
    ['ESC and BEL of an escape sequence', 'evil\x1b[2J\x1b]0;title\x07', 'evil\\x1b[2J\\x1b]0;title\\x07'],
    ['NUL and DEL', 'a\x00b\x7f', 'a\\x00b\\x7f'],
    ['C1 controls (U+009B is a one-character CSI)', 'a\u009b2Jb\u0085', 'a\\x9b2Jb\\x85'],
    ['the Unicode line and paragraph separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
    ['bidirectional overrides and isolates, which reorder the line', 'txt\u202egpj.exe\u2066x\u2069', 'txt\\u202egpj.exe\\u2066x\\u2069']
  ])('escapes %s', (_what, text, shown) => {
    expect(printable(text)).toBe(shown)
    expect(printable(text)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/)
  })

  it('leaves printable text alone: spaces, quotes, backslashes, wide characters, emoji', () => {
    const text = 'Holiday 2024 "final" \\ 映画 café ✔ 🎬.mp4'
    expect(printable(text)).toBe(text)
  })

  it('is idempotent: an escaped text escapes to itself', () => {
    const once = printable('a\nb\x1bc\u2028')
    expect(printable(once)).toBe(once)
  })
})

describe('jsonLine', () => {
  it('is one line that parses back to the same value, with no control character raw', () => {
    const value = { event: 'error', message: 'no such file: /tmp/a\nb\x1b[31m\u009b\u2028\u202e\x7f' }
    const line = jsonLine(value)
    expect(line.endsWith('\n')).toBe(true)
    expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/)
    expect(JSON.parse(line)).toEqual(value)
  })
})

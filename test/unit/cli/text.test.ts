import { describe, expect, it } from 'vitest'
import { colourEnabled } from '../../../src/cli/view/colour.js'
import { fitLine, span, stripAnsi, visibleWidth } from '../../../src/cli/view/text.js'

describe('colour conventions', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ TERM: 'dumb' }, true, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false]
  ])('env %o on a terminal: %s → colour %s', (env, tty, expected) => {
    expect(colourEnabled(env, tty)).toBe(expected)
  })
})

describe('fitting lines', () => {
  it('cuts at the width with an ellipsis, counting cells and not escape codes', () => {
    const line = fitLine([span('abc', 'green'), span('defgh', 'bold')], 6, true)
    expect(stripAnsi(line)).toBe('abcde…')
    expect(visibleWidth(line)).toBe(6)
    expect(fitLine([span('abc')], 3, true)).toBe('abc')
  })

  it('counts wide characters as two cells', () => {
    expect(visibleWidth('映画.mp4')).toBe(8)
    expect(visibleWidth(fitLine([span('映画映画映画')], 7, false))).toBeLessThanOrEqual(7)
  })

  it('neutralises control characters from a share\'s name', () => {
    const line = fitLine([span('evil\x1b[2J\x07name\n')], 40, false)
    expect(line).not.toMatch(/[\x00-\x1f]/)
    expect(line).toBe('evil\\x1b[2J\\x07name\\n') // shown as escapes, as on every other line
  })
})

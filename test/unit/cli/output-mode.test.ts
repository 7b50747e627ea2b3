import { describe, expect, it } from 'vitest'
import { chooseMode } from '../../../src/cli/output-mode.js'

describe('output mode', () => {
  it('draws the view only when standard output and standard error are both terminals', () => {
    expect(chooseMode({ json: false }, true, true)).toBe('terminal')
    expect(chooseMode({ json: false }, false, true)).toBe('plain')
    expect(chooseMode({ json: false }, true, false)).toBe('plain')
    expect(chooseMode({ json: false, quiet: true }, true, true)).toBe('quiet')
    expect(chooseMode({ json: true, quiet: true }, true, true)).toBe('json')
  })

  it('draws it with only standard error a terminal when standard output carries the content; never with --lines', () => {
    expect(chooseMode({ json: false, contentOnStdout: true }, false, true)).toBe('terminal')
    expect(chooseMode({ json: false, contentOnStdout: true }, false, false)).toBe('plain')
    expect(chooseMode({ json: false, lines: true }, true, true)).toBe('plain')
  })
})

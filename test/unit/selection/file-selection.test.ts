// File patterns and what a selection of files means for the pieces.

import { describe, expect, it } from 'vitest'
import { isBitswarmError } from '../../../src/errors.js'
import { compileGlob } from '../../../src/selection/glob.js'
import { piecePriorities, selectFiles, wantedPieces } from '../../../src/selection/file-selection.js'
import type { FileEntry } from '../../../src/types.js'

const file = (path: string, length: number): FileEntry => ({ path: path.split('/'), length })

describe('compileGlob', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*.mkv', 'ep01.mkv', true],
    ['*.mkv', 'season 1/ep01.mkv', true], // no "/": a name at any depth
    ['*.mkv', 'ep01.mkv.part', false],
    ['*.mkv', 'ep01.mp4', false],
    ['season 1/*.mkv', 'season 1/ep01.mkv', true],
    ['season 1/*.mkv', 'extras/season 1/ep01.mkv', false], // with "/": anchored at the root
    ['season ?/*', 'season 2/ep01.mkv', true],
    ['season ?/*', 'season 10/ep01.mkv', false],
    ['ep[0-9][0-9].mkv', 'ep07.mkv', true],
    ['ep[!0-9]*.mkv', 'ep07.mkv', false],
    ['ep[!0-9]*.mkv', 'epX.mkv', true],
    ['subs', 'subs/en.srt', true], // a folder selects what it holds
    ['subs/', 'subs/deep/en.srt', true],
    ['subs', 'subsidiary.txt', false],
    ['**/en.srt', 'en.srt', true],
    ['**/en.srt', 'a/b/en.srt', true],
    ['docs/**', 'docs/a/b.txt', true],
    ['docs/**', 'other/docs.txt', false],
    ['a.b', 'axb', false], // "." is a dot, not any character
    ['(x)+$', '(x)+$', true],
    ['*', 'line\nbreak', true]
  ]
  for (const [pattern, path, expected] of cases) {
    it(`"${pattern}" ${expected ? 'matches' : 'does not match'} "${path.replace('\n', '\\n')}"`, () => {
      expect(compileGlob(pattern)(path)).toBe(expected)
    })
  }

  it('refuses a pattern that can match nothing and an unclosed set, with ERR_INVALID_OPTION', () => {
    for (const bad of ['', '/', './', 'ep[0-9.mkv']) {
      let caught: unknown = null
      try { compileGlob(bad) } catch (err) { caught = err }
      expect(isBitswarmError(caught) && caught.code).toBe('ERR_INVALID_OPTION')
    }
  })
})

describe('selectFiles', () => {
  const files = [file('a.mkv', 10), file('a.srt', 1), file('extras/b.mkv', 5), file('extras/c.txt', 2)]

  it('selects everything without rules', () => {
    expect(selectFiles(files, 'show', {})).toEqual(['normal', 'normal', 'normal', 'normal'])
  })

  it('keeps what matches --only, then drops what matches --exclude', () => {
    expect(selectFiles(files, 'show', { only: ['*.mkv'] })).toEqual(['normal', 'skip', 'normal', 'skip'])
    expect(selectFiles(files, 'show', { only: ['*.mkv', '*.srt'], exclude: ['extras'] })).toEqual(['normal', 'normal', 'skip', 'skip'])
    expect(selectFiles(files, 'show', { exclude: ['*.txt'] })).toEqual(['normal', 'normal', 'normal', 'skip'])
  })

  it('matches a single-file share by its name', () => {
    const single = [{ path: [], length: 100 }]
    expect(selectFiles(single, 'movie.mkv', { only: ['*.mkv'] })).toEqual(['normal'])
    expect(selectFiles(single, 'movie.mkv', { exclude: ['movie.*'] })).toEqual(['skip'])
  })
})

describe('piecePriorities', () => {
  // 4-byte pieces over files of 6, 0, 3 and 7 bytes: bytes 0–5 | – | 6–8 | 9–15.
  const files = [file('a', 6), file('empty', 0), file('b', 3), file('c', 7)]

  it('a piece shared with a wanted neighbour is fetched whole; an empty file asks for nothing', () => {
    const priorities = piecePriorities(files, 4, ['skip', 'normal', 'normal', 'skip'])
    // b covers bytes 6–8: pieces 1 (4–7) and 2 (8–11).
    expect([...priorities]).toEqual([0, 1, 1, 0])
    const wanted = wantedPieces(priorities)
    expect([0, 1, 2, 3].map((p) => wanted.has(p))).toEqual([false, true, true, false])
    expect(wanted.size).toBe(2)
  })

  it('a piece takes the highest priority among its files', () => {
    expect([...piecePriorities(files, 4, ['high', 'skip', 'normal', 'normal'])]).toEqual([2, 2, 1, 1])
    expect([...piecePriorities(files, 4, ['skip', 'skip', 'skip', 'skip'])]).toEqual([0, 0, 0, 0])
  })

  it('every piece of an unselective download is wanted', () => {
    const priorities = piecePriorities(files, 4, files.map(() => 'normal'))
    expect(wantedPieces(priorities).complete).toBe(true)
  })
})

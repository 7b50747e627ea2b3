// Share names made safe for Windows and for case-insensitive file systems.

import { describe, expect, it } from 'vitest'
import { portablePaths } from '../../../src/storage/portable-names.js'

const windows = { windows: true, caseInsensitive: true }
const linux = { windows: false, caseInsensitive: false }
const mac = { windows: false, caseInsensitive: true }

const split = (paths: string[]): string[][] => paths.map((p) => p.split('/'))
const join = (paths: string[][]): string[] => paths.map((p) => p.join('/'))

describe('portablePaths', () => {
  it('changes nothing on a case-sensitive POSIX file system', () => {
    const paths = ['CON.txt', 'a:b', 'name.', 'Readme', 'README']
    const result = portablePaths(split(paths), linux)
    expect(join(result.paths)).toEqual(paths)
    expect(result.renamed).toEqual([])
  })

  it('on Windows: reserved device names, refused characters and trailing dots or spaces get a visible replacement', () => {
    const result = portablePaths(split(['CON', 'con.txt', 'LPT1.log', 'COM¹', 'CONSOLE.txt', 'a:b?.txt', 'name.', 'dir /x', 'ok.txt']), windows)
    expect(join(result.paths)).toEqual(['CON_', 'con_.txt', 'LPT1_.log', 'COM¹_', 'CONSOLE.txt', 'a_b_.txt', 'name_', 'dir_/x', 'ok.txt'])
    expect(result.renamed.map((r) => r.from.join('/'))).toEqual(['CON', 'con.txt', 'LPT1.log', 'COM¹', 'a:b?.txt', 'name.', 'dir /x'])
  })

  it('on a case-insensitive file system, names equal but for case are kept apart; the first keeps its name', () => {
    const result = portablePaths(split(['Readme', 'README', 'readme', 'other']), mac)
    expect(join(result.paths)).toEqual(['Readme', 'README (2)', 'readme (3)', 'other'])
    expect(result.renamed).toEqual([{ from: ['README'], to: ['README (2)'] }, { from: ['readme'], to: ['readme (3)'] }])
  })

  it('keeps the extension, and a renamed folder stays one folder for every file in it', () => {
    const result = portablePaths(split(['Docs/a.txt', 'docs/b.txt', 'docs/c.txt', 'Photo.JPG', 'photo.jpg']), mac)
    expect(join(result.paths)).toEqual(['Docs/a.txt', 'docs (2)/b.txt', 'docs (2)/c.txt', 'Photo.JPG', 'photo (2).jpg'])
  })

  it('Unicode forms of one name collide too (macOS normalises names)', () => {
    const composed = 'caf\u00e9'
    const decomposed = 'cafe\u0301'
    const result = portablePaths([[composed], [decomposed]], mac)
    expect(result.paths).toEqual([[composed], [`${decomposed} (2)`]])
  })

  it('a replacement never collides with a name the share already has', () => {
    const result = portablePaths(split(['a', 'A', 'a (2)']), mac)
    expect(join(result.paths)).toEqual(['a', 'A (2)', 'a (2) (2)'])
    expect(new Set(join(result.paths).map((p) => p.toLowerCase())).size).toBe(3)
  })
})

// File patterns for --only / --exclude, matched against a file's path inside the share
// ("season 1/ep01.mkv"), the way .gitignore patterns read:
//   *  any characters but "/"      ?  one character but "/"      [a-z] [!0-9]  one of a set
//   ** as a whole component: any number of folders (none included)
// A pattern without "/" matches a name at any depth ("*.srt"); one with "/" is anchored at
// the share's root ("subs/*.srt"). A pattern that names a folder selects everything in it.
// Pure.

import { invalidOption } from '../errors.js'

export type PathMatcher = (path: string) => boolean

export function compileGlob (pattern: string): PathMatcher {
  const trimmed = pattern.replace(/^\.?\/+/, '').replace(/\/+$/, '')
  if (trimmed.length === 0) throw invalidOption(`the pattern "${pattern}" matches nothing: give a file or folder pattern`)
  const anchored = trimmed.includes('/')
  const body = trimmed.split('/').map((component, i, all) => componentSource(component, pattern, i === all.length - 1)).join('')
  // A folder that matches selects what it holds: the match may end at any "/".
  const regex = new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}(?:/.*)?$`, 'su')
  return (path) => regex.test(path)
}

/** One path component as a regular expression, with the "/" that follows unless it is last. */
function componentSource (component: string, pattern: string, last: boolean): string {
  if (component === '**') return last ? '.*' : '(?:[^/]*/)*'
  let source = ''
  for (let i = 0; i < component.length; i++) {
    const ch = component[i]!
    if (ch === '*') source += '[^/]*'
    else if (ch === '?') source += '[^/]'
    else if (ch === '[') {
      const end = component.indexOf(']', i + 2)
      if (end < 0) throw invalidOption(`the pattern "${pattern}" has a "[" without its "]"`)
      let set = component.slice(i + 1, end)
      const negated = set.startsWith('!') || set.startsWith('^')
      if (negated) set = set.slice(1)
      source += `[${negated ? '^/' : ''}${set.replace(/[\\\]^]/g, '\\$&')}]`
      i = end
    } else source += ch.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  return last ? source : source + '/'
}

// Names from a share, made safe for the file system they are written to. A share made on
// Linux may hold "CON.txt", "a:b", "name." or both "Readme" and "README": on Windows the
// first three cannot be created (or silently become another name), and on a case-insensitive
// file system (Windows, macOS by default) the last two are one file, so one copy would
// overwrite the other. Each such name gets a visible, deterministic replacement; nothing is
// dropped. Pure.

export interface NamingRules {
  /** Windows rules: reserved device names, characters it refuses, trailing dots and spaces. */
  windows: boolean
  /** Names equal but for case (or Unicode normalisation) are the same file. */
  caseInsensitive: boolean
}

export interface Renamed {
  /** The path in the share, and where it is written instead. */
  from: string[]
  to: string[]
}

/** Characters Windows refuses in a name, and C0 controls. */
const WINDOWS_FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f]/gu // eslint-disable-line no-control-regex
/** Device names, with or without an extension (CON, CON.txt, com1.log…). */
const WINDOWS_RESERVED = /^(?:CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(?:\..*)?$/iu
const TRAILING_DOTS_SPACES = /[. ]+$/u

/** The on-disk path of every file (index for index), and the list of those that changed. */
export function portablePaths (paths: ReadonlyArray<readonly string[]>, rules: NamingRules): { paths: string[][], renamed: Renamed[] } {
  const out = paths.map((path) => path.map((name) => rules.windows ? windowsName(name) : name))
  if (rules.caseInsensitive) separateCaseFolds(out)
  const renamed: Renamed[] = []
  out.forEach((path, i) => {
    const from = paths[i]!
    if (path.some((name, k) => name !== from[k])) renamed.push({ from: [...from], to: path })
  })
  return { paths: out, renamed }
}

function windowsName (name: string): string {
  let safe = name.replace(WINDOWS_FORBIDDEN, '_')
  // Windows drops trailing dots and spaces ("a." opens "a"): keep them visible instead.
  safe = safe.replace(TRAILING_DOTS_SPACES, (tail) => '_'.repeat(tail.length))
  if (WINDOWS_RESERVED.test(safe)) {
    const dot = safe.indexOf('.')
    safe = dot < 0 ? safe + '_' : safe.slice(0, dot) + '_' + safe.slice(dot)
  }
  return safe
}

/** Names that fold to the same key inside one folder: the first keeps its name, each later
 *  one becomes "name (2).ext", "name (3).ext"… (a folder is renamed for every file in it). */
function separateCaseFolds (paths: string[][]): void {
  // Per folder (by its final, already separated path): folded name → the name that owns it.
  const owners = new Map<string, Map<string, string>>()
  for (const path of paths) {
    for (let depth = 0; depth < path.length; depth++) {
      const parent = path.slice(0, depth).join('/')
      let names = owners.get(parent)
      if (names === undefined) owners.set(parent, names = new Map())
      const name = path[depth]!
      const owner = names.get(fold(name))
      if (owner === name) continue
      if (owner === undefined) { names.set(fold(name), name); continue }
      // Another name already owns this key: if this path renamed the same name before (a file
      // in the same folder), reuse that; otherwise find the next free number.
      const renamedBefore = names.get(`\u0000${name}`)
      const unique = renamedBefore ?? nextFree(name, names)
      names.set(`\u0000${name}`, unique)
      names.set(fold(unique), unique)
      path[depth] = unique
    }
  }
}

function nextFree (name: string, names: Map<string, string>): string {
  const dot = name.lastIndexOf('.')
  const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
  for (let n = 2; ; n++) {
    const candidate = `${base} (${n})${ext}`
    if (!names.has(fold(candidate))) return candidate
  }
}

function fold (name: string): string {
  return name.normalize('NFC').toLowerCase()
}

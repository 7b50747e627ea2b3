// Which files of a share a download wants, and what that means for its pieces. A piece that
// straddles a wanted file and an unwanted one is fetched whole (it is verified whole); its
// unwanted bytes are simply never kept as a file. Pure.

import { Bitfield } from '../bitfield.js'
import { emptySelection } from '../errors.js'
import type { FileEntry, Info } from '../types.js'
import { compileGlob } from './glob.js'

/** skip: not fetched; normal; high: its pieces come before any normal one. */
export type FilePriority = 'skip' | 'normal' | 'high'

/** Piece priorities, as the picker orders them. */
export const PIECE_PRIORITY = { skip: 0, normal: 1, high: 2 } as const satisfies Record<FilePriority, number>

export interface SelectionRules {
  /** Patterns a file must match one of (none: every file). */
  only?: readonly string[]
  /** Patterns that drop a file even when `only` selected it. */
  exclude?: readonly string[]
  /** A priority for files by their path in the share (as `only` sees it), over the rules. */
  priorities?: Readonly<Record<string, FilePriority>>
}

/** What a selection means for one share's download. */
export interface ResolvedSelection {
  files: FilePriority[]
  /** Per piece, PIECE_PRIORITY of the highest file it holds bytes of. */
  pieces: Uint8Array
  /** Files not downloaded (their bytes in a shared piece are kept apart, not as files). */
  skipped: ReadonlySet<number>
  /** Bytes of the selected files. */
  selectedBytes: number
}

/** The selection for `info`, or null when it selects everything alike (no rules, no
 *  priorities): the plain download. ERR_EMPTY_SELECTION when it leaves nothing. */
export function resolveSelection (info: Info, rules: SelectionRules): ResolvedSelection | null {
  const explicit = rules.priorities ?? {}
  if ((rules.only ?? []).length === 0 && (rules.exclude ?? []).length === 0 && Object.keys(explicit).length === 0) return null
  const files = selectFiles(info.files, info.name, rules).map((p, i) => explicit[selectionPath(info.files[i]!, info.name)] ?? p)
  if (files.every((p) => p === 'skip')) throw emptySelection(info.name, info.files.length)
  const skipped = new Set<number>()
  let selectedBytes = 0
  files.forEach((p, i) => {
    if (p === 'skip') skipped.add(i)
    else selectedBytes += info.files[i]!.length
  })
  return { files, pieces: piecePriorities(info.files, info.pieceSize, files), skipped, selectedBytes }
}

/** The path a pattern sees: inside the share for a folder share, the share's name for a
 *  single file (whose one entry has an empty path). */
export function selectionPath (file: FileEntry, shareName: string): string {
  return file.path.length === 0 ? shareName : file.path.join('/')
}

/** One priority per file: `skip` for the files the rules leave out, `normal` for the rest. */
export function selectFiles (files: readonly FileEntry[], shareName: string, rules: SelectionRules): FilePriority[] {
  const only = (rules.only ?? []).map(compileGlob)
  const exclude = (rules.exclude ?? []).map(compileGlob)
  return files.map((file) => {
    const path = selectionPath(file, shareName)
    const wanted = (only.length === 0 || only.some((m) => m(path))) && !exclude.some((m) => m(path))
    return wanted ? 'normal' : 'skip'
  })
}

/** Each piece's priority: the highest of the files it holds bytes of (an empty file holds
 *  none, so it asks for no piece). */
export function piecePriorities (files: readonly FileEntry[], pieceSize: number, priorities: readonly FilePriority[]): Uint8Array {
  const total = files.reduce((sum, f) => sum + f.length, 0)
  const result = new Uint8Array(Math.ceil(total / pieceSize))
  let offset = 0
  files.forEach((file, i) => {
    const priority = PIECE_PRIORITY[priorities[i] ?? 'normal']
    if (file.length > 0 && priority > 0) {
      const last = Math.floor((offset + file.length - 1) / pieceSize)
      for (let piece = Math.floor(offset / pieceSize); piece <= last; piece++) {
        if (result[piece]! < priority) result[piece] = priority
      }
    }
    offset += file.length
  })
  return result
}

/** The pieces a selection needs, as a bitfield (what "complete" means for this download). */
export function wantedPieces (priorities: Uint8Array): Bitfield {
  const wanted = new Bitfield(priorities.length)
  priorities.forEach((p, piece) => { if (p > 0) wanted.set(piece) })
  return wanted
}

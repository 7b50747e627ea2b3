// Which files of a share a download wants, and what that means for its pieces. A piece that
// straddles a wanted file and an unwanted one is fetched whole (it is verified whole); its
// unwanted bytes are simply never kept as a file. Pure.

import { Bitfield } from '../bitfield.js'
import type { FileEntry } from '../types.js'
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

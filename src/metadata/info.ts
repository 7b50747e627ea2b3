// The binary form of `Info`: exactly the bytes the info hash covers.
//
// Layout (compact-encoding):
//   uint version · string name · uint pieceSize · uint fileCount
//   fileCount × ( uint depth · depth × string component · uint length [· uint attributes] )
//   [uint folderCount · folderCount × ( uint depth · depth × string component )]
//   piece hashes: pieces × HASH_BYTES raw, to the end (the count follows from the lengths)
// The bracketed fields exist in version 2 only (file attributes: bit 0 executable; the empty
// folders), written only when a share has one of them: other shares keep version 1's bytes.
//
// One Info has exactly one encoding: decoding refuses non-minimal integers, malformed UTF-8
// and files out of canonical order, so equal content always means an equal info hash.
// Everything here may come from a hostile peer: sizes are bounded before anything is read.

import { TextDecoder } from 'node:util'
import c from 'compact-encoding'
import { decode, decodeBoundedUint, encode, type Codec, type State } from '../codec.js'
import {
  HASH_BYTES, MAX_FILES, MAX_METADATA_BYTES, MAX_NAME_BYTES, MAX_PATH_BYTES, MAX_PATH_DEPTH,
  MAX_PIECE_BYTES, MAX_PIECES, METADATA_VERSION, METADATA_VERSION_ATTRIBUTES
} from '../constants.js'
import { invalidMetadata, tooManyPieces } from '../errors.js'
import type { FileEntry, Info } from '../types.js'
import { comparePaths, displayPath, isPathPrefix, validateComponent } from './paths.js'
import { isValidPieceSize, pieceCount } from './piece-size.js'

export function totalLength (info: Info): number {
  let total = 0
  for (const file of info.files) total += file.length
  return total
}

/** Throws unless `info` is something we would accept from a peer. */
export function validateInfo (info: Info): void {
  validateComponent(info.name, 'name')
  if (!isValidPieceSize(info.pieceSize)) {
    throw invalidMetadata(`piece size ${info.pieceSize} is not a power of two within the limits`)
  }
  const total = validateFiles(info.files)
  validateFolders(info.files, info.folders ?? [])
  const pieces = pieceCount(total, info.pieceSize)
  if (pieces > MAX_PIECES) throw tooManyPieces(pieces, MAX_PIECES)
  if (info.pieceHashes.byteLength !== pieces * HASH_BYTES) {
    throw invalidMetadata(`${pieces} pieces need ${pieces * HASH_BYTES} bytes of hashes, found ${info.pieceHashes.byteLength}`)
  }
}

/** Checks every file and the order between them; returns the total length. */
function validateFiles (files: readonly FileEntry[]): number {
  if (files.length === 0) throw invalidMetadata('no files')
  if (files.length > MAX_FILES) throw invalidMetadata(`${files.length} files, more than ${MAX_FILES}`)
  // The single-file form: the root is the file itself, so its one path is empty.
  const isSingleFile = files.length === 1 && files[0]!.path.length === 0
  let total = 0
  let previous: readonly string[] | null = null
  for (const file of files) {
    if (!isSingleFile) validatePath(file.path)
    if (!Number.isSafeInteger(file.length) || file.length < 0) {
      throw invalidMetadata(`file ${describe(file.path)} has length ${file.length}`)
    }
    total += file.length
    if (!Number.isSafeInteger(total)) throw invalidMetadata('total length is too large')
    if (previous !== null) validateOrder(previous, file.path)
    previous = file.path
  }
  return total
}

/** Empty folders: valid paths in strict canonical order, none holding a file or another
 *  listed folder (it would not be empty), none a file or inside one. */
function validateFolders (files: readonly FileEntry[], folders: ReadonlyArray<readonly string[]>): void {
  if (folders.length === 0) return
  if (files.length === 1 && files[0]!.path.length === 0) throw invalidMetadata('a single-file share has folders')
  if (folders.length > MAX_FILES) throw invalidMetadata(`${folders.length} empty folders, more than ${MAX_FILES}`)
  const key = (path: readonly string[]): string => JSON.stringify(path)
  const fileKeys = new Set(files.map((f) => key(f.path)))
  const occupied = new Set<string>()
  for (const f of files) for (let depth = 1; depth < f.path.length; depth++) occupied.add(key(f.path.slice(0, depth)))
  let previous: readonly string[] | null = null
  for (const folder of folders) {
    validatePath(folder)
    if (previous !== null) {
      if (comparePaths(previous, folder) >= 0) throw invalidMetadata(`folder ${describe(folder)} is listed twice or out of canonical order`)
      if (isPathPrefix(previous, folder)) throw invalidMetadata(`folder ${describe(previous)} is listed as empty but holds ${describe(folder)}`)
    }
    if (occupied.has(key(folder))) throw invalidMetadata(`folder ${describe(folder)} is listed as empty but holds files`)
    for (let depth = 1; depth <= folder.length; depth++) {
      if (fileKeys.has(key(folder.slice(0, depth)))) throw invalidMetadata(`${describe(folder.slice(0, depth))} is both a file and a folder`)
    }
    previous = folder
  }
}

/** Version 2 only when the share has something version 1 cannot say. */
function versionOf (info: Info): number {
  return (info.folders?.length ?? 0) > 0 || info.files.some((f) => f.executable === true) ? METADATA_VERSION_ATTRIBUTES : METADATA_VERSION
}

/** File attributes: bit 0, executable. */
const ATTRIBUTE_EXECUTABLE = 1

function validatePath (path: readonly string[]): void {
  if (path.length === 0) throw invalidMetadata('a file of a multi-file share has an empty path')
  if (path.length > MAX_PATH_DEPTH) {
    throw invalidMetadata(`a path is ${path.length} levels deep, more than ${MAX_PATH_DEPTH}`)
  }
  for (const component of path) validateComponent(component, `a component of file ${describe(path)}`)
  const bytes = Buffer.byteLength(displayPath(path), 'utf8')
  if (bytes > MAX_PATH_BYTES) throw invalidMetadata(`a path is ${bytes} bytes, more than ${MAX_PATH_BYTES}`)
}

/** Files must be strictly increasing; sorted order puts a folder's contents right after a
 *  same-named file, so comparing neighbours finds every file-versus-folder clash. */
function validateOrder (previous: readonly string[], path: readonly string[]): void {
  const order = comparePaths(previous, path)
  if (order === 0) throw invalidMetadata(`file ${describe(path)} is listed twice`)
  if (order > 0) throw invalidMetadata(`file ${describe(path)} is out of canonical order`)
  if (isPathPrefix(previous, path)) {
    throw invalidMetadata(`${describe(previous)} is both a file and a folder`)
  }
}

function describe (path: readonly string[]): string {
  return JSON.stringify(displayPath(path))
}

// Fatal: malformed bytes are refused instead of silently becoming U+FFFD.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** A uint in its shortest encoding, at most `max`. */
function decodeUint (state: State, max: number, what: string): number {
  const start = state.start
  const n = decodeBoundedUint(state, max, 'ERR_INVALID_METADATA', what)
  const minimal = c.state()
  c.uint.preencode(minimal, n)
  if (state.start - start !== minimal.end) throw invalidMetadata(`${what} is not minimally encoded`)
  return n
}

function decodeString (state: State, what: string): string {
  const length = decodeUint(state, MAX_NAME_BYTES, `${what} length`)
  if (state.end - state.start < length) throw invalidMetadata(`${what} is truncated`)
  const bytes = state.buffer!.subarray(state.start, state.start + length)
  state.start += length
  try {
    return strictUtf8.decode(bytes)
  } catch (err) {
    throw invalidMetadata(`${what} is not valid UTF-8`, err)
  }
}

function decodePath (state: State): string[] {
  const depth = decodeUint(state, MAX_PATH_DEPTH, 'path depth')
  const path: string[] = []
  for (let i = 0; i < depth; i++) path.push(decodeString(state, 'path component'))
  return path
}

function decodeFile (state: State, version: number): FileEntry {
  const path = decodePath(state)
  const length = decodeUint(state, Number.MAX_SAFE_INTEGER, 'file length')
  if (version === METADATA_VERSION) return { path, length }
  // Unknown bits are refused: one Info, one encoding.
  const attributes = decodeUint(state, ATTRIBUTE_EXECUTABLE, 'file attributes')
  return attributes === ATTRIBUTE_EXECUTABLE ? { path, length, executable: true } : { path, length }
}

function preencodePath (state: State, path: readonly string[]): void {
  c.uint.preencode(state, path.length)
  for (const component of path) c.string.preencode(state, component)
}

function encodePath (state: State, path: readonly string[]): void {
  c.uint.encode(state, path.length)
  for (const component of path) c.string.encode(state, component)
}

/** Codec for Info. The piece hashes run to the end of the state, so an Info can only be
 *  the last field of anything that embeds it. Encoding does not validate: use encodeInfo. */
export const infoCodec: Codec<Info> = {
  preencode (state, info) {
    const version = versionOf(info)
    c.uint.preencode(state, version)
    c.string.preencode(state, info.name)
    c.uint.preencode(state, info.pieceSize)
    c.uint.preencode(state, info.files.length)
    for (const file of info.files) {
      preencodePath(state, file.path)
      c.uint.preencode(state, file.length)
      if (version !== METADATA_VERSION) c.uint.preencode(state, file.executable === true ? ATTRIBUTE_EXECUTABLE : 0)
    }
    if (version !== METADATA_VERSION) {
      const folders = info.folders ?? []
      c.uint.preencode(state, folders.length)
      for (const folder of folders) preencodePath(state, folder)
    }
    state.end += info.pieceHashes.byteLength
  },

  encode (state, info) {
    const version = versionOf(info)
    c.uint.encode(state, version)
    c.string.encode(state, info.name)
    c.uint.encode(state, info.pieceSize)
    c.uint.encode(state, info.files.length)
    for (const file of info.files) {
      encodePath(state, file.path)
      c.uint.encode(state, file.length)
      if (version !== METADATA_VERSION) c.uint.encode(state, file.executable === true ? ATTRIBUTE_EXECUTABLE : 0)
    }
    if (version !== METADATA_VERSION) {
      const folders = info.folders ?? []
      c.uint.encode(state, folders.length)
      for (const folder of folders) encodePath(state, folder)
    }
    state.buffer!.set(info.pieceHashes, state.start)
    state.start += info.pieceHashes.byteLength
  },

  decode (state) {
    checkMetadataSize(state.end - state.start)
    const version = decodeUint(state, Number.MAX_SAFE_INTEGER, 'version')
    if (version !== METADATA_VERSION && version !== METADATA_VERSION_ATTRIBUTES) {
      throw invalidMetadata(`version ${version} is not supported (expected ${METADATA_VERSION} or ${METADATA_VERSION_ATTRIBUTES})`)
    }
    const name = decodeString(state, 'name')
    const pieceSize = decodeUint(state, MAX_PIECE_BYTES, 'piece size')
    const fileCount = decodeUint(state, MAX_FILES, 'file count')
    const files: FileEntry[] = []
    for (let i = 0; i < fileCount; i++) files.push(decodeFile(state, version))
    const folders: string[][] = []
    if (version !== METADATA_VERSION) {
      const folderCount = decodeUint(state, MAX_FILES, 'folder count')
      for (let i = 0; i < folderCount; i++) folders.push(decodePath(state))
    }
    // A copy: the caller may reuse the buffer it decoded from.
    const pieceHashes = Buffer.from(state.buffer!.subarray(state.start, state.end))
    state.start = state.end
    const info: Info = folders.length > 0 ? { name, pieceSize, files, pieceHashes, folders } : { name, pieceSize, files, pieceHashes }
    validateInfo(info)
    // Version 2 says something version 1 cannot: otherwise the same Info had two encodings.
    if (versionOf(info) !== version) throw invalidMetadata(`version ${version} for content that version ${versionOf(info)} describes`)
    return info
  }
}

/** Refuses oversized metadata before it is hashed, copied or parsed. */
export function checkMetadataSize (byteLength: number): void {
  if (byteLength > MAX_METADATA_BYTES) {
    throw invalidMetadata(`${byteLength} bytes, more than ${MAX_METADATA_BYTES}`)
  }
}

export function encodeInfo (info: Info): Buffer {
  validateInfo(info)
  return encode(infoCodec, info)
}

export function decodeInfo (bytes: Uint8Array): Info {
  checkMetadataSize(bytes.byteLength)
  return decode(infoCodec, bytes, 'ERR_INVALID_METADATA', 'invalid metadata')
}

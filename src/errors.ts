// Every error bitswarm raises carries a stable `code`; the message is for people.

export type ErrorCode =
  | 'ERR_INVALID_LINK'
  | 'ERR_INVALID_METADATA'
  | 'ERR_INVALID_OPTION'
  | 'ERR_INVALID_PIECE_SIZE'
  | 'ERR_TOO_MANY_PIECES'
  | 'ERR_HASH_MISMATCH'
  | 'ERR_METADATA_MISMATCH'
  | 'ERR_PROTOCOL'
  | 'ERR_BAD_PIECE'
  | 'ERR_PEER_BANNED'
  | 'ERR_ONLY_BAD_PEERS'
  | 'ERR_BAD_METADATA'
  | 'ERR_NOT_FOUND'
  | 'ERR_NOT_READABLE'
  | 'ERR_NOT_WRITABLE'
  | 'ERR_FILE_EXISTS'
  | 'ERR_BOOTSTRAP_UNREACHABLE'
  | 'ERR_TIMEOUT'
  | 'ERR_CLOSED'
  | 'ERR_IO'
  | 'ERR_DISK_FULL'
  | 'ERR_SYMLINK'
  | 'ERR_EMPTY_SELECTION'
  | 'ERR_INSECURE_STATE'
  | 'ERR_STATE_CORRUPT'
  | 'ERR_DAEMON_RUNNING'
  | 'ERR_NO_DAEMON'
  | 'ERR_UNAUTHORIZED'
  | 'ERR_UNKNOWN_SHARE'
  | 'ERR_AMBIGUOUS_ID'
  | 'ERR_RANGE_NOT_SATISFIABLE'
  | 'ERR_BAD_RANGE'
  | 'ERR_NO_SUCH_FILE'
  | 'ERR_PORT_IN_USE'
  | 'ERR_NO_PLAYER'
  | 'ERR_PLAYER_FAILED'
  | 'ERR_NOT_RUNNING'

export class BitswarmError extends Error {
  readonly code: ErrorCode

  constructor (code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BitswarmError'
    this.code = code
  }
}

export function isBitswarmError (err: unknown): err is BitswarmError {
  return err instanceof BitswarmError
}

/** The message of anything thrown, for a one-line report. */
export function describe (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export const invalidLink = (why: string): BitswarmError =>
  new BitswarmError('ERR_INVALID_LINK', `invalid link: ${why}`)

export const invalidMetadata = (why: string, cause?: unknown): BitswarmError =>
  new BitswarmError('ERR_INVALID_METADATA', `invalid metadata: ${why}`, { cause })

export const invalidOption = (why: string): BitswarmError =>
  new BitswarmError('ERR_INVALID_OPTION', why)

export const emptySelection = (name: string, files: number): BitswarmError =>
  new BitswarmError('ERR_EMPTY_SELECTION', `--only / --exclude leave none of the ${files} ${files === 1 ? 'file' : 'files'} of "${name}" to download`)

export const invalidPieceSize = (why: string): BitswarmError =>
  new BitswarmError('ERR_INVALID_PIECE_SIZE', `invalid piece size: ${why}`)

export const tooManyPieces = (pieces: number, max: number): BitswarmError =>
  new BitswarmError('ERR_TOO_MANY_PIECES', `${pieces} pieces exceed the limit of ${max}; use a larger piece size`)

export const hashMismatch = (piece: number): BitswarmError =>
  new BitswarmError('ERR_HASH_MISMATCH', `piece ${piece} does not match its hash`)

export const metadataMismatch = (): BitswarmError =>
  new BitswarmError('ERR_METADATA_MISMATCH', 'metadata received from a peer does not match the info hash')

export const protocolError = (why: string, cause?: unknown): BitswarmError =>
  new BitswarmError('ERR_PROTOCOL', `protocol violation: ${why}`, { cause })

/** Every peer that held what is missing sent data that failed its hash. */
export const onlyBadPeers = (who: string): BitswarmError =>
  new BitswarmError('ERR_ONLY_BAD_PEERS', `the only peers with the missing pieces sent corrupt data: ${who}`)

/** The metadata matches the link's info hash but is refused (a path that escapes the folder…):
 *  no peer can send other bytes for this link. */
export const badMetadata = (why: string, cause?: unknown): BitswarmError =>
  new BitswarmError('ERR_BAD_METADATA', `the metadata of this link is refused: ${why}`, { cause })

export const notFound = (path: string): BitswarmError =>
  new BitswarmError('ERR_NOT_FOUND', `no such file or folder: ${path}`)

export const notReadable = (path: string, cause?: unknown): BitswarmError =>
  new BitswarmError('ERR_NOT_READABLE', `cannot read ${path}`, { cause })

export const notWritable = (path: string, cause?: unknown): BitswarmError =>
  new BitswarmError('ERR_NOT_WRITABLE', `cannot write to ${path}`, { cause })

export const fileExists = (path: string): BitswarmError =>
  new BitswarmError('ERR_FILE_EXISTS', `${path} already exists (use --force to overwrite)`)

export const bootstrapUnreachable = (nodes: string): BitswarmError =>
  new BitswarmError('ERR_BOOTSTRAP_UNREACHABLE', `no DHT bootstrap node answered (${nodes})`)

export const timedOut = (what: string): BitswarmError =>
  new BitswarmError('ERR_TIMEOUT', `timed out: ${what}`)

export const closed = (what: string): BitswarmError =>
  new BitswarmError('ERR_CLOSED', `${what} is closed`)

export const ioError = (what: string, cause?: unknown): BitswarmError =>
  new BitswarmError('ERR_IO', `${what}: ${describeCause(cause)}`, { cause })

/** No space left (ENOSPC) or quota exceeded (EDQUOT) while writing `path`. */
export const diskFull = (path: string, cause?: unknown): BitswarmError =>
  new BitswarmError('ERR_DISK_FULL', `cannot write ${path}: the disk is full (${describeCause(cause)})`, { cause })

/** A symbolic link where bitswarm writes or reads inside its own folder: never followed. */
export const symlinkRefused = (path: string): BitswarmError =>
  new BitswarmError('ERR_SYMLINK', `${path} is a symbolic link; bitswarm never reads or writes through one inside a download or share (remove it to go on)`)

/** A Range header none of whose ranges lies inside the file (HTTP 416). */
export const rangeNotSatisfiable = (header: string, size: number): BitswarmError =>
  new BitswarmError('ERR_RANGE_NOT_SATISFIABLE', `range ${header} lies outside a file of ${size} bytes`)

/** A Range header that is not valid syntax (ignored: the whole file is served, as RFC 9110 says). */
export const badRange = (header: string): BitswarmError =>
  new BitswarmError('ERR_BAD_RANGE', `malformed range: ${header}`)

/** The operating system's words for an I/O failure, without a stack. */
function describeCause (cause: unknown): string {
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message
  return String(cause)
}

export const insecureState = (dir: string, why: string): BitswarmError =>
  new BitswarmError('ERR_INSECURE_STATE', `the state folder ${dir} is not private: ${why}`)

export const stateCorrupt = (path: string, why: string): BitswarmError =>
  new BitswarmError('ERR_STATE_CORRUPT', `cannot read the daemon's share list ${path} (kept as it is): ${why}`)

export const daemonRunning = (pid: number | null): BitswarmError =>
  new BitswarmError('ERR_DAEMON_RUNNING', pid === null ? 'another daemon is starting with this state folder' : `a daemon already runs with this state folder (pid ${pid})`)

export const noDaemon = (dir: string): BitswarmError =>
  new BitswarmError('ERR_NO_DAEMON', `no daemon runs with the state folder ${dir}: start one with \`bitswarm daemon\``)

export const unauthorized = (): BitswarmError =>
  new BitswarmError('ERR_UNAUTHORIZED', 'the daemon refused the request: wrong or missing token')

export const unknownShare = (id: string): BitswarmError =>
  new BitswarmError('ERR_UNKNOWN_SHARE', `no share of the daemon has an id starting with ${id}`)

export const ambiguousId = (id: string, count: number): BitswarmError =>
  new BitswarmError('ERR_AMBIGUOUS_ID', `${count} shares have an id starting with ${id}: give more of it`)

export const noSuchFile = (path: string, files: readonly string[]): BitswarmError =>
  new BitswarmError('ERR_NO_SUCH_FILE', `the share has no file ${JSON.stringify(path)}; its files: ${files.slice(0, 5).join(', ')}${files.length > 5 ? `, … (${files.length}; see \`bitswarm info\`)` : ''}`)

export const portInUse = (host: string, port: number, option = '--port'): BitswarmError =>
  new BitswarmError('ERR_PORT_IN_USE', `${host}:${port} is taken by another program: give ${option} another number, or 0 for any free one`)

/** `--open`: none of the players asked for is an executable (on PATH, or at the path given). */
export const noPlayer = (names: readonly string[], url: string): BitswarmError =>
  new BitswarmError('ERR_NO_PLAYER', names.length === 1
    ? `no player ${JSON.stringify(names[0])} found${names[0]!.includes('/') ? '' : ' on PATH'}; open ${url} yourself`
    : `no player found on PATH (tried ${names.join(', ')}); open ${url} yourself`)

export const playerFailed = (player: string, url: string, cause: unknown): BitswarmError =>
  new BitswarmError('ERR_PLAYER_FAILED', `could not start ${player}: ${cause instanceof Error ? cause.message : String(cause)}; open ${url} yourself`, { cause })

/** A share of the daemon that is not trading now (paused, finished seeding, or stopped): what
 *  needs its session (streaming) cannot be done; `hint` says what to do. */
export const notRunning = (id: string, state: string, hint: string): BitswarmError =>
  new BitswarmError('ERR_NOT_RUNNING', `share ${id} is ${state}: ${hint}`)

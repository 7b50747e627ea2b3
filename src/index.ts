// bitswarm as a library: a node that shares and fetches content over hyperswarm, and the
// pure parts (metadata, links) for tools that only need to describe content.

export { BitswarmNode, type NodeOptions, type NodeEvents, type ShareOptions, type GetOptions } from './node.js'
export type { Session } from './session/session.js'
export type { SelectionRules, FilePriority, ResolvedSelection } from './selection/file-selection.js'
export { readContent, contentInOrder } from './session/content-reader.js'
export type { SessionEvents, SessionStats, PeerStats, ContentDescription } from './session/events.js'
export type { HashProgress } from './piece-hashing.js'
export { Metadata, createMetadata, formatLink, parseLink, choosePieceSize, parseByteSize, type ParsedLink } from './metadata/index.js'
export { startBootstrapNode, parseBootstrapList, formatAddress, type BootstrapAddress, type BootstrapNode } from './bootstrap.js'
export { BitswarmError, isBitswarmError, type ErrorCode } from './errors.js'
export { startStreamServer, type StreamServer, type StreamServerOptions } from './stream/http-server.js'
export { memorySource, fileSource, type ByteSource, type StreamFile } from './stream/byte-source.js'
export { sessionSource } from './stream/session-source.js'
export { startShareStreams, type ShareStreamServer } from './stream/share-streams.js'

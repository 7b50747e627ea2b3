// The metadata layer: what a share is, how it is named, and how it is built from disk.

export { Metadata } from './metadata.js'
export { createMetadata, walkShare, type CreateOptions, type ShareFile, type ShareLayout } from './create.js'
export { defaultCacheDir, MetadataCache } from './metadata-cache.js'
export { decodeInfo, encodeInfo, infoCodec, totalLength, validateInfo } from './info.js'
export { capabilityOf, discoveryKeyOf, infoHashOf, pieceHashOf } from './info-hash.js'
export { formatLink, parseLink, type ParsedLink } from './link.js'
export { choosePieceSize, parseByteSize, pieceCount, pieceLength, validatePieceSize } from './piece-size.js'

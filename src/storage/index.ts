// The storage layer: where pieces are read from and written to.

export type { PieceStorage, StorageMetadata } from './storage.js'
export { Layout } from './layout.js'
export { FileStorage, DownloadStorage, openShare, createDownload, type DownloadOptions } from './file-storage.js'
export { verifyExisting } from './recheck.js'
export { openDownload, type OpenedDownload, type ResumeSummary } from './open-download.js'
export { FinishedDownload, ResumableDownload, type DownloadTarget } from './resumable-download.js'
export { MemoryStorage } from './memory-storage.js'

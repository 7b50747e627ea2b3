// Every protocol number and default, once. The unit is in the name; the reason beside it.

const KiB = 1024
const MiB = 1024 * KiB

/** Wire protocol name; the version is part of it so incompatible peers never pair. */
export const PROTOCOL_NAME = 'bitswarm/2'
/** Version byte inside the encoded metadata (the bytes the info hash covers). */
export const METADATA_VERSION = 1
/** The metadata version that also carries file attributes and empty folders: written only
 *  for a share that has either, so every other share keeps its version-1 bytes and info hash. */
export const METADATA_VERSION_ATTRIBUTES = 2

/** Request unit (the wire protocol's cap: changing it changes PROTOCOL_NAME). Far larger than
 *  BitTorrent's 16 KiB: on this encrypted UDX transport the per-message and per-block costs
 *  (allocations, copies, the garbage they leave) dominate, so fewer, larger blocks win. 1 GiB
 *  on loopback: 64 KiB blocks 8.7 s, 256 KiB 7.8 s. 256 MiB, 1 MiB blocks in 1 MiB pieces
 *  against 256 KiB in 256 KiB: the get's user CPU 1.45–1.57 s → 0.97–1.10 s (1→1), the peers
 *  bench 1→4 17.3 s → 10.9 s. Over RTT 60 ms and 1 % loss no worse (wan bench, 256 MiB:
 *  28.4 → 31.6 MB/s). Pieces smaller than this are one block. */
export const BLOCK_BYTES = 1024 * KiB

/** Piece sizes are powers of two in this range (BitTorrent practice). */
export const MIN_PIECE_BYTES = 16 * KiB
export const MAX_PIECE_BYTES = 4 * MiB
/** Automatic piece size aims at about this many pieces: few enough that metadata stays
 *  small (a 10 GiB file → 2,560 hashes at 4 MiB), enough to trade with many peers. */
export const TARGET_PIECE_COUNT = 1024
/** …but pieces below this only when a share would otherwise have fewer than
 *  MIN_AUTO_PIECE_COUNT pieces (enough to trade among many peers). Over RTT 60 ms, 16 MiB in
 *  16 KiB pieces (32 KiB of metadata, fetched in two round trips at the connection's first
 *  window) completed in 2.4–2.6 s, in 64 KiB pieces in 2.1–2.2 s. */
export const PREFERRED_MIN_PIECE_BYTES = 64 * KiB
export const MIN_AUTO_PIECE_COUNT = 256
/** ≤ 16 MiB of piece hashes and a bitfield ≤ 64 KiB. */
export const MAX_PIECES = 2 ** 19
/** SHA-256 output length: piece hashes and the info hash. */
export const HASH_BYTES = 32

/** Largest message (one secret-stream frame, a protomux batch included) a peer may send;
 *  a larger one ends the connection before it is buffered (libtorrent's hard cap; an
 *  unbounded length is Transmission #9082). Our largest is a block and a few small
 *  messages batched with it. */
export const MAX_FRAME_BYTES = 4 * BLOCK_BYTES
/** Caps on what a remote peer controls (libtorrent max_metadata_size is 30 MiB). */
export const MAX_METADATA_BYTES = 16 * MiB
export const METADATA_CHUNK_BYTES = 16 * KiB
export const MAX_FILES = 100_000
export const MAX_PATH_DEPTH = 100
export const MAX_NAME_BYTES = 255
export const MAX_PATH_BYTES = 4096

/** Bytes of requests kept in flight with one peer: twice its bandwidth–delay product plus
 *  this long at its measured rate (libtorrent's request_queue_time), within byte bounds
 *  (src/request-window.ts). Keeping many bytes in flight matters more than block size on
 *  this transport (measured: 1 block in flight 63 MB/s, 16: 154 MB/s) and far more over
 *  latency (RTT 62 ms, 4 × 16 KiB in flight: 0.6 MB/s). */
export const REQUEST_QUEUE_MS = 1_000
/** The same while a reader waits on imminent pieces (streaming): a request queued behind a
 *  second of others at one peer arrives late even when another peer could send it now; with
 *  shallow queues each next request goes to whoever has room first. */
export const STREAM_REQUEST_QUEUE_MS = 250
/** What a peer gets before its rate is known (about 2 MB/s at 60 ms RTT). The window then
 *  grows with the bytes that arrive, as in slow start: it covers a second at the measured
 *  rate. Larger minimums hurt swarms of upload-limited peers: requests queued at a slow
 *  peer hold pieces nobody else fetches (demo, 2 MiB, 4 peers: 1 MiB → 1.65× the swarm
 *  bound, 256 KiB → 1.3–1.4×, 128 KiB → 1.14–1.19×, the count-based window 1.16–1.18×). */
export const MIN_INFLIGHT_BYTES = 128 * KiB
/** Until a peer's rate is measured (its first RATE_WARMUP_MS), its window also covers twice
 *  the round trip at this rate: far away, a window that waits for the rate meter starves the
 *  transport's own ramp-up (UDX runs BBR, which leaves its startup phase when the sender is
 *  app-limited). On loopback and LANs the round trip makes this less than the minimum. */
export const INITIAL_WINDOW_RATE = 32_000_000
export const RATE_WARMUP_MS = 1_000
/** Bounds the remote's queue of our requests and our share of a slow peer. */
export const MAX_INFLIGHT_BYTES = 16 * MiB
/** Inbound requests queued per peer before it is disconnected (Transmission reqq). */
export const MAX_INBOUND_REQUESTS = 500
/** Requests outstanding with one peer, whatever their bytes: well inside the remote's
 *  MAX_INBOUND_REQUESTS (16 KiB pieces: 4 MiB in flight, ~68 MB/s at 60 ms RTT). */
export const MAX_REQUESTS_PER_PEER = Math.floor(MAX_INBOUND_REQUESTS / 2)
/** Bytes sent to one peer beyond a full write buffer before waiting for it to drain. A
 *  secret stream reports "full" after every 16 KiB, so waiting at once would leave the
 *  transport idle between blocks; the window bounds the memory held per peer instead. It
 *  covers twice the peer's bandwidth–delay product (src/request-window.ts), between these
 *  bounds: a fixed 1 MiB held a 60 ms path to ~12 MB/s (16 MiB: transfer 1.8 s → 1.3 s with
 *  4 MiB). */
export const UPLOAD_WINDOW_BYTES = 1024 * KiB
export const MAX_UPLOAD_WINDOW_BYTES = 8 * MiB
/** Bytes written to one peer that it has not read: past twice the largest send window, it
 *  does not read what we send (or floods us with messages that make us answer), and goes. */
export const MAX_UNREAD_BYTES = 2 * MAX_UPLOAD_WINDOW_BYTES
/** Block reads from storage started ahead of sending, per peer: disk latency overlaps the
 *  transfer of the blocks before. At most this many reads and these many bytes (at least one
 *  block), so the memory a seeder holds grows with its peers by a bounded amount each. */
export const UPLOAD_READ_AHEAD = 4
export const UPLOAD_READ_AHEAD_BYTES = 2 * MiB
/** Block buffers kept for reuse by every upload of the process (src/session/block-buffers.ts):
 *  a few peers' read-ahead, however many shares are seeded. */
export const UPLOAD_POOLED_BLOCKS = 8
/** Bytes of pieces being assembled in memory at once: bounds the downloader's buffers
 *  (a partial piece is held whole so it is hashed once and written once). */
export const MAX_PARTIAL_BYTES = 32 * MiB
/** …but always enough pieces in progress to keep several peers busy on large pieces. */
export const MIN_PARTIAL_PIECES = 4
/** The picker breaks a tie among this many equally rare pieces or fewer exactly (each one a
 *  random draw, reproducible with a seeded random); among more, from a random start to the
 *  first piece the peer has, so a pick costs O(1) from a seeder instead of a scan of every
 *  piece (src/picker/piece-buckets.ts). */
export const EXACT_TIE_BREAK_PIECES = 32
/** Malformed or impossible requests tolerated before disconnecting (hypercore). */
export const MAX_INVALID_REQUESTS = 64
/** Requests from a peer we choke tolerated before disconnecting, past those that may have
 *  crossed our choke (libtorrent max_rejects). */
export const MAX_CHOKED_REQUESTS = 50
/** Metadata chunk requests a peer may send beyond twice the chunks there are (a fetcher
 *  asks each once, and again after a timeout); past that it only costs us answers. */
export const MAX_EXTRA_METADATA_REQUESTS = 32
/** Protocol channels one connection may open (one per share in common, a relay or two):
 *  each costs protomux state, so a flood of opens ends the connection. */
export const MAX_CHANNELS_PER_CONNECTION = 256
/** Hash failures attributed to a peer before it is banned (libtorrent smart-ban ≈ 2). */
export const BAN_STRIKES = 3
/** Failed pieces whose block digests are kept until a good copy names the liar (smart-ban):
 *  a few KiB each; past this the oldest is forgotten. */
export const SMART_BAN_MAX_PIECES = 256
/** Keys a node remembers as banned (and as struck): past this the oldest lapses, so a peer
 *  that makes a fresh key for every connection cannot grow the list without bound. */
export const MAX_BANNED_PEERS = 10_000

/** A request not answered in this time is given back to the pool for another peer: many
 *  times the queue time, so only a stalled peer hits it. */
export const REQUEST_TIMEOUT_MS = 15_000
/** The first metadata chunk is asked of this many peers at once; the first to answer
 *  serves the rest. One silent peer then holds nothing up. */
export const MAX_METADATA_PROBES = 4
/** A peer asked for metadata that says nothing this long is given up for another: metadata
 *  is small (a 16 MiB share: 8 KiB, one round trip), so a few seconds is generous. */
export const METADATA_TIMEOUT_MS = 5_000
/** How often an idle downloader looks up the topic again while it has no peers: a lookup
 *  made before the seeder's announce landed is otherwise not retried for ~10 minutes. */
export const DISCOVERY_REFRESH_MS = 1_000
export const DISCOVERY_REFRESH_MAX_MS = 15_000
/** Haves verified within this long of the last sent go together, one write per peer. */
export const HAVE_BATCH_MS = 100
/** A download whose connected peers hold none of its missing pieces says so after this long. */
export const NO_SOURCE_NOTICE_MS = 3_000
/** `progress` events at most 5 times a second. */
export const PROGRESS_INTERVAL_MS = 200
/** Per-peer statistics (`peer-stats`) once a second. */
export const PEER_STATS_INTERVAL_MS = 1_000

export const MAX_PEERS = 64
/** Connection attempts hyperswarm makes at once (its default is 3). An announcement outlives
 *  its process by minutes, so a lookup returns peers that are gone; with 3 slots, three such
 *  dials (each ~7 s until it times out) held back the live seeder: a 16 MiB get over the WAN
 *  bench took 10 s instead of 3 s, the 4-downloader swarm 17.7 s instead of 11 s. */
export const MAX_PARALLEL_DIALS = 16
/** Public key of a node (Noise/ed25519): its peer id on the swarm. */
export const PEER_KEY_BYTES = 32
/** Peer exchange: keys in one message (BEP 11 sends at most 50 added peers). */
export const MAX_PEX_PEERS = 50
/** Peer exchange: newly connected peers are told to the others at most this often. */
export const PEX_INTERVAL_MS = 1_000
/** Peers learnt through peer exchange that a node dials at once, per share; the rest wait
 *  for the next message (a peer cannot make us dial the whole swarm). */
export const MAX_PEX_DIALS = 16
/** A peer learnt through peer exchange that has not connected by then is given up. */
export const PEX_DIAL_TIMEOUT_MS = 30_000
/** hyperdht's default port; also the bootstrap command's default. */
export const DEFAULT_BOOTSTRAP_PORT = 49737
export const DEFAULT_BOOTSTRAP_HOST = '127.0.0.1'
/** DHT nodes `bitswarm bootstrap` runs: a NATed node needs three distinct DHT nodes to
 *  report its address before it can hole-punch (hyperdht lib/nat.js). */
export const BOOTSTRAP_NODE_COUNT = 3
/** How long a starting node waits for other DHT nodes to reach it (answers take one round
 *  trip; a NATed node gets none, and waiting out dht-rpc's retries cost ~4 s of start-up). */
export const REACHABILITY_PROBE_MS = 1_000
/** Relays of a private network (announced by `bitswarm bootstrap`) a node keeps, and how
 *  long it looks for them. */
export const MAX_INFRASTRUCTURE_RELAYS = 4
export const RELAY_LOOKUP_TIMEOUT_MS = 10_000

/** Suffix of the in-progress name; the final name only appears once every piece verified. */
export const PARTIAL_SUFFIX = '.bitswarm-part'
/** Beside a finished selective download: the files it skipped, holding the bytes they share
 *  with pieces of selected files (so those pieces can still be served). */
export const PARTS_SUFFIX = '.bitswarm-parts'
/** Reads kept in flight while hashing a share or checking a partial, each of up to
 *  HASH_CHUNK_BYTES (whole pieces; 4 MiB is a multiple of every piece size): memory is
 *  their product, 16 MiB. The next reads run on libuv's pool while this one is hashed.
 *  Measured on 256 MiB in the page cache (2-core VM): 1 MiB reads ~1.0 GB/s, 4 MiB ~1.3,
 *  node's SHA-256 in a tight loop ~1.5–1.7. With a second core the chunks are hashed on a
 *  worker thread and the main thread at once (src/piece-hashing.ts): 1 GiB shared at up to
 *  ~3 GB/s against ~1.8 inline, for 5–10% more CPU (the thread's start, ~20 ms, mostly). */
export const HASH_READ_CONCURRENCY = 4
export const HASH_CHUNK_BYTES = 4 * MiB
/** Below this a pass hashes on the main thread only: a worker thread takes some 20 ms (and
 *  as much CPU) to start, in which the main thread alone hashes some 30 MB. */
export const HASH_PARALLEL_MIN_BYTES = 8 * HASH_CHUNK_BYTES
/** Chunks a hashing thread is given at once: the next is there when it finishes one, not
 *  only once the main thread is done hashing its own chunk and sees the answer. */
export const HASH_THREAD_QUEUE = 2
/** Beside the partial: the resume record (which pieces are durably on disk, with the files'
 *  sizes and modification times) and the journal of piece writes since it was written. */
export const RESUME_RECORD_SUFFIX = '.bitswarm-resume'
export const RESUME_JOURNAL_SUFFIX = '.bitswarm-journal'
/** The resume record is rewritten at most this often (after an fsync of the data it covers)
 *  and at close. Between two, the journal names the pieces to re-hash after a crash: at
 *  120 MB/s, at most ~240 MB, a fraction of a second of hashing. */
export const RESUME_CHECKPOINT_MS = 2_000
/** …and never more often than this many times its own duration (a record of 100,000 files
 *  is 1.6 MB): checkpoints stay a small part of the disk's work. */
export const RESUME_CHECKPOINT_DUTY = 10
/** A piece the disk refused (full, I/O error) is kept in memory and written again this often
 *  until it fits; the download asks for nothing meanwhile and goes on serving. */
export const WRITE_RETRY_MS = 1_000
/** The metadata of shares already hashed, by path, sizes and modification times: a `share`
 *  of unchanged content starts at once. Bounded in entries and bytes, oldest used first out. */
export const METADATA_CACHE_MAX_ENTRIES = 256
export const METADATA_CACHE_MAX_BYTES = 64 * MiB
/** File handles one storage keeps open at once: a folder share may hold 100,000 files, far
 *  past the process's descriptor limit. The least recently used idle handle closes first
 *  (libtorrent's file pool keeps 40). */
export const MAX_OPEN_FILES = 128
/** Files read, written or laid out at once by storage: on shares of many small files the cost
 *  is per-file system calls, which overlap well on the I/O thread pool. */
export const FILE_IO_CONCURRENCY = 16

/** The choker re-evaluates who is served this often (BitTorrent: 10 s; shorter so a swarm of
 *  short transfers adapts within a few seconds). */
export const RECHOKE_INTERVAL_MS = 5_000
/** Regular upload slots, plus one optimistic slot (BitTorrent: 4 + 1). */
export const UPLOAD_SLOTS = 4
/** Once a newcomer served at once was dropped for misbehaving, newcomers are served between
 *  rounds only after waiting this long, choked and quiet: a flooder that reconnects under a
 *  fresh key floods while choked and is dropped first, while an honest newcomer waits at most
 *  this long instead of the rest of the round. */
export const NEWCOMER_PROBATION_MS = 400
/** A slot holder that has asked for nothing this long since its unchoke or its last request
 *  yields the slot to a peer waiting for one (src/session/choking.ts): a peer downloading
 *  from us keeps requests queued here all the time, so half a second of silence means what
 *  it lacks of ours is on its way from others. */
export const IDLE_SLOT_MS = 500
/** The optimistic unchoke moves to another peer every this many rechoke rounds. */
export const OPTIMISTIC_UNCHOKE_ROUNDS = 3
/** While seeding, a peer keeps a slot this many rounds while others wait, then yields. */
export const SEED_ROTATE_ROUNDS = 2

/** How long `bitswarm info <link>` waits for a peer to send the metadata, unless --timeout says. */
export const INFO_TIMEOUT_S = 30

/** Streaming window (src/picker/streaming-window.ts): the pieces ahead of a reader are asked for
 *  first, by deadline. The window covers this many seconds of the reader's consumption,
 *  clamped between these bounds in bytes (libtorrent streams with deadlines over a few seconds
 *  of playback); beyond it the picker stays rarest-first. */
export const STREAM_WINDOW_SECONDS = 10
export const STREAM_WINDOW_MIN_BYTES = 4 * MiB
export const STREAM_WINDOW_MAX_BYTES = 64 * MiB
/** Pieces a reader is about to reach may be started past the MAX_PARTIAL_BYTES bound by this
 *  much (and at least this many pieces), so a seek is served at once even while every partial
 *  slot holds a rarest-first piece. */
export const STREAM_URGENT_EXTRA_BYTES = 8 * MiB
/** Urgent pieces a reader reaches within this long go before the rest of its window; among
 *  them, as in the rest of the window, rarest first with random ties, so streamers at the same
 *  position spread the seeder's upload over different pieces and trade them (the swarm
 *  bench's stream mode). */
export const STREAM_IMMINENT_MS = 1_500
/** Only each reader's next this many missing pieces (the one it is in and the one after: a
 *  256 KiB read of 128 KiB pieces) keep strict deadline order. With every imminent piece in
 *  deadline order, streamers at one position asked the seeder for the same pieces in the same
 *  order and it sent the first megabytes once to each. */
export const STREAM_IN_ORDER_PIECES = 2
export const STREAM_URGENT_MIN_EXTRA_PIECES = 2
/** A reader whose rate is not yet measured is assumed to read this fast (about a 4 Mbit/s video). */
export const STREAM_DEFAULT_READ_BYTES_PER_S = 512 * 1024

/** HTTP stream server (src/stream/): bytes read from the source per chunk of a response, so a
 *  response never holds more than one chunk plus the socket's buffer. */
export const STREAM_CHUNK_BYTES = 256 * 1024
/** A read that waits longer than this for verified bytes ends the response with 504. */
export const STREAM_READ_TIMEOUT_MS = 30_000

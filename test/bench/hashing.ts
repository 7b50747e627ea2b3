// How fast bitswarm hashes, against raw SHA-256 on the same bytes (run on its own):
//
//   npm run build && npx tsc -p tsconfig.bench.json && node dist-bench/test/bench/hashing.js [--size 256M] [--runs 5]
//
// For each piece size: createMetadata of the file (a share), the full check of a partial
// with no resume record (a resume from before records, or a changed file), the resume with
// its record (nothing read), node's SHA-256 over the same bytes in memory in a tight loop,
// and `sha256sum` of the file. The file is read once first, so every pass reads from the
// page cache: what is compared is the hashing, not the disk. Median of the runs, with the
// CPU time of the process (every thread: worker threads and libuv's pool included).
// Share and full check hash on worker threads beside the main thread when the machine has a
// core to spare (src/piece-hashing.ts); `--hash-workers 0` has the share hashed by the main
// thread alone (the full check keeps the default).

import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { PARTIAL_SUFFIX, RESUME_RECORD_SUFFIX } from '../../src/constants.js'
import { createMetadata } from '../../src/metadata/create.js'
import { parseByteSize } from '../../src/metadata/piece-size.js'
import { defaultHashWorkers } from '../../src/piece-hashing.js'
import { openDownload } from '../../src/storage/open-download.js'

const { values } = parseArgs({ options: { size: { type: 'string', default: '256M' }, runs: { type: 'string', default: '5' }, 'hash-workers': { type: 'string' } } })
const size = parseByteSize(values.size)
const runs = Number(values.runs)
const hashing = values['hash-workers'] === undefined ? {} : { hashWorkers: Number(values['hash-workers']) }
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const mbps = (ms: number): number => size / ms / 1e3
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1e3
}

const dir = await mkdtemp(join(tmpdir(), 'bitswarm-hash-bench-'))
try {
  const file = join(dir, 'content.bin')
  await writeFile(file, randomBytes(size))
  const bytes = await readFile(file)
  await mkdir(join(dir, 'out'))
  await copyFile(file, join(dir, 'out', 'content.bin' + PARTIAL_SUFFIX)) // a complete partial
  let sha256sum: number | null = null
  try {
    const times: number[] = []
    for (let i = 0; i < runs; i++) {
      const started = performance.now()
      execFileSync('sha256sum', [file])
      times.push(performance.now() - started)
    }
    sha256sum = mbps(median(times))
  } catch {
    // no sha256sum on this machine
  }
  console.log(`hashing ${size / 2 ** 20} MiB, median of ${runs}, hash workers ${hashing.hashWorkers ?? `default (${defaultHashWorkers(size)})`}; sha256sum ${sha256sum === null ? 'n/a' : `${sha256sum.toFixed(0)} MB/s`}`)
  for (const pieceSize of [64 * 1024, 256 * 1024, 1024 * 1024]) {
    const meta = await createMetadata(file, { pieceSize })
    const create: number[] = []
    const createCpu: number[] = []
    const check: number[] = []
    const checkCpu: number[] = []
    const resume: number[] = []
    const raw: number[] = []
    for (let i = 0; i < runs; i++) {
      let started = performance.now()
      let cpu = process.cpuUsage()
      await createMetadata(file, { pieceSize, ...hashing })
      create.push(performance.now() - started)
      createCpu.push(cpuMs(cpu))

      await rm(join(dir, 'out', 'content.bin' + RESUME_RECORD_SUFFIX), { force: true })
      started = performance.now()
      cpu = process.cpuUsage()
      const full = await openDownload(join(dir, 'out'), meta) // the default: openDownload takes no hashing option
      check.push(performance.now() - started)
      checkCpu.push(cpuMs(cpu))
      if (full.resumed?.checked !== meta.pieceCount || !full.have.complete) throw new Error('the full check did not find every piece')
      await full.storage.close()
      started = performance.now()
      const trusted = await openDownload(join(dir, 'out'), meta)
      resume.push(performance.now() - started)
      if (trusted.resumed?.checked !== 0) throw new Error('the record was not trusted')
      await trusted.storage.close()

      started = performance.now()
      for (let at = 0; at < bytes.byteLength; at += pieceSize) createHash('sha256').update(bytes.subarray(at, at + pieceSize)).digest()
      raw.push(performance.now() - started)
    }
    const rawRate = mbps(median(raw))
    const line = (name: string, times: number[], cpus: number[]): string =>
      `${name} ${mbps(median(times)).toFixed(0)} MB/s (${(mbps(median(times)) / rawRate).toFixed(2)}× raw, ${Math.min(...times.map(mbps)).toFixed(0)}–${Math.max(...times.map(mbps)).toFixed(0)}, CPU ${median(cpus).toFixed(0)} ms)`
    console.log(`  ${pieceSize / 1024} KiB pieces: ${line('share', create, createCpu)}, ${line('full check', check, checkCpu)}, ` +
      `raw SHA-256 ${rawRate.toFixed(0)} MB/s${sha256sum === null ? '' : `, share ${(mbps(median(create)) / sha256sum).toFixed(1)}× sha256sum`}; resume with record ${median(resume).toFixed(1)} ms`)
  }
} finally {
  await rm(dir, { recursive: true, force: true })
}

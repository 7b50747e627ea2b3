import { describe, expect, it } from 'vitest'
import type { SkippedEntry } from '../../../src/metadata/create.js'
import { skippedReport } from '../../../src/cli/skipped-report.js'

const link = (name: string): SkippedEntry => ({ path: ['dir', name], kind: 'symbolic link' })
const special = (name: string): SkippedEntry => ({ path: [name], kind: 'special file' })

describe('skippedReport', () => {
  it('counts links and special files, in the singular when one', () => {
    expect(skippedReport([link('a'), special('fifo')])).toEqual({
      links: 1,
      special: 1,
      paths: ['dir/a', 'fifo'],
      message: 'skipped 1 symbolic link (never followed) and 1 special file: dir/a, fifo'
    })
    expect(skippedReport([special('s1'), special('s2')]).message).toBe('skipped 2 special files: s1, s2')
  })

  it('names the first five in the line, lists the first hundred for programs', () => {
    const entries = Array.from({ length: 120 }, (_, i) => link(`l${i}`))
    const report = skippedReport(entries)
    expect(report.message).toBe('skipped 120 symbolic links (never followed): dir/l0, dir/l1, dir/l2, dir/l3, dir/l4, …')
    expect(report.paths).toHaveLength(100)
    expect(report.paths.at(-1)).toBe('dir/l99')
    expect(skippedReport(entries.slice(0, 5)).message.endsWith('dir/l4')).toBe(true)
  })
})

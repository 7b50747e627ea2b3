// What `share` says of the entries of a folder it does not share (symbolic links, never
// followed, and special files): one warning line for people, the counts and paths for programs.

import type { SkippedEntry } from '../metadata/create.js'

/** Skipped entries named in the warning line, and listed in the JSON event. */
const SKIPPED_SHOWN = 5
const SKIPPED_LISTED = 100

export interface SkippedReport {
  links: number
  special: number
  /** The first SKIPPED_LISTED, as paths inside the share. */
  paths: string[]
  message: string
}

export function skippedReport (entries: readonly SkippedEntry[]): SkippedReport {
  const links = entries.filter((e) => e.kind === 'symbolic link').length
  const special = entries.length - links
  const shown = entries.slice(0, SKIPPED_SHOWN).map((e) => e.path.join('/')).join(', ')
  return {
    links,
    special,
    paths: entries.slice(0, SKIPPED_LISTED).map((e) => e.path.join('/')),
    message: `skipped ${describeSkipped(links, special)}: ${shown}${entries.length > SKIPPED_SHOWN ? ', …' : ''}`
  }
}

function describeSkipped (links: number, special: number): string {
  const parts: string[] = []
  if (links > 0) parts.push(`${links} symbolic link${links === 1 ? '' : 's'} (never followed)`)
  if (special > 0) parts.push(`${special} special file${special === 1 ? '' : 's'}`)
  return parts.join(' and ')
}

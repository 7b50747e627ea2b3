// A session's lifecycle as one value and a table of allowed moves, instead of booleans.

export type SessionStatus =
  | 'opening'            // joining the swarm
  | 'fetching-metadata'  // holds only the link: asking peers for the metadata
  | 'checking'           // verifying pieces of an interrupted download already on disk
  | 'downloading'
  | 'seeding'            // holds every piece and serves them
  | 'closing'
  | 'closed'

const TRANSITIONS: Record<SessionStatus, readonly SessionStatus[]> = {
  opening: ['fetching-metadata', 'checking', 'downloading', 'seeding', 'closing'],
  'fetching-metadata': ['checking', 'downloading', 'seeding', 'closing'],
  checking: ['downloading', 'seeding', 'closing'],
  downloading: ['seeding', 'closing'],
  seeding: ['closing'],
  closing: ['closed'],
  closed: []
}

export function canMove (from: SessionStatus, to: SessionStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

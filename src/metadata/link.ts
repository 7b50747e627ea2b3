// Share links: `bitswarm://<info hash in hex>?dn=<display name>`, or a bare hex info hash.

import { HASH_BYTES } from '../constants.js'
import { invalidLink } from '../errors.js'

const SCHEME = 'bitswarm://'
const HEX_LENGTH = HASH_BYTES * 2

export interface ParsedLink {
  infoHash: Buffer
  /** The display name suggested by the link; the metadata's own name is authoritative. */
  name: string | null
}

export function formatLink (infoHash: Uint8Array, name?: string): string {
  if (infoHash.byteLength !== HASH_BYTES) throw invalidLink(`an info hash is ${HASH_BYTES} bytes, not ${infoHash.byteLength}`)
  const link = SCHEME + Buffer.from(infoHash).toString('hex')
  if (name === undefined || name === '') return link
  try {
    return `${link}?dn=${encodeURIComponent(name)}`
  } catch { // URIError: a lone surrogate
    throw invalidLink('the name is not valid Unicode')
  }
}

export function parseLink (text: string): ParsedLink {
  const link = text.trim()
  if (link === '') throw invalidLink('empty')
  if (/\s/.test(link)) throw invalidLink('contains whitespace')
  const colon = link.indexOf(':')
  if (colon === -1) return { infoHash: parseInfoHash(link), name: null } // a bare info hash
  if (!link.toLowerCase().startsWith(SCHEME)) {
    throw invalidLink(`expected a ${SCHEME} link or a bare info hash, not "${link.slice(0, colon + 1)}…"`)
  }
  const rest = link.slice(SCHEME.length)
  const query = rest.indexOf('?')
  const infoHash = parseInfoHash(query === -1 ? rest : rest.slice(0, query))
  const name = query === -1 ? null : parseName(rest.slice(query + 1))
  return { infoHash, name }
}

function parseInfoHash (hex: string): Buffer {
  if (hex === '') throw invalidLink('missing info hash')
  const bad = /[^0-9a-f]/i.exec(hex)
  if (bad !== null) throw invalidLink(`info hash contains the non-hex character "${bad[0]}"`)
  if (hex.length !== HEX_LENGTH) {
    throw invalidLink(`info hash must be ${HEX_LENGTH} hex characters, not ${hex.length}`)
  }
  return Buffer.from(hex, 'hex')
}

/** The `dn` parameter, if any; other parameters are left for future versions. */
function parseName (query: string): string | null {
  let name: string | null = null
  for (const param of query.split('&')) {
    const equals = param.indexOf('=')
    const key = equals === -1 ? param : param.slice(0, equals)
    if (key !== 'dn') continue
    if (name !== null) throw invalidLink('dn is given more than once')
    name = decodeComponent(equals === -1 ? '' : param.slice(equals + 1))
  }
  return name === '' ? null : name
}

function decodeComponent (encoded: string): string {
  try {
    return decodeURIComponent(encoded)
  } catch {
    throw invalidLink(`bad percent-encoding in dn "${encoded}"`)
  }
}

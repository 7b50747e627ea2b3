import { describe, expect, it } from 'vitest'
import { formatLink, parseLink } from '../../../src/metadata/link.js'
import { codeOf } from './error-code.js'

const infoHash = Buffer.from('6a58aa356ad7fdbe8d5ea569f7c9fef98a63c91371ade5311cce5a80c66dc83f', 'hex')
const hex = infoHash.toString('hex')

describe('formatLink', () => {
  it('formats the info hash in lowercase hex', () => {
    expect(formatLink(infoHash)).toBe(`bitswarm://${hex}`)
  })

  it('adds the name, percent-encoded into a single token', () => {
    const link = formatLink(infoHash, 'My Album (2024) & co?#=é/\u{1F600}')
    expect(link).toBe(`bitswarm://${hex}?dn=My%20Album%20(2024)%20%26%20co%3F%23%3D%C3%A9%2F%F0%9F%98%80`)
    expect(link).not.toMatch(/\s/)
  })

  it('omits an empty name', () => {
    expect(formatLink(infoHash, '')).toBe(`bitswarm://${hex}`)
  })

  it('refuses an info hash of the wrong size', () => {
    expect(codeOf(() => formatLink(infoHash.subarray(1)))).toBe('ERR_INVALID_LINK')
  })
})

describe('parseLink', () => {
  it.each([
    'plain.txt',
    'My Album (2024) & co?#=é/',
    '\u{1F600} emoji',
    '100%',
    'a+b'
  ])('round-trips the name %j', (name) => {
    const parsed = parseLink(formatLink(infoHash, name))
    expect(parsed.infoHash).toEqual(infoHash)
    expect(parsed.name).toBe(name)
  })

  it.each([
    [`bitswarm://${hex}`, null],
    [`  bitswarm://${hex}?dn=x \n`, 'x'],
    [`bitswarm://${hex.toUpperCase()}?dn=x`, 'x'],
    [`BITSWARM://${hex}`, null],
    [`bitswarm://${hex}?tr=whatever&dn=named&x.pe=1`, 'named'],
    [`bitswarm://${hex}?dn=`, null],
    [`bitswarm://${hex}?`, null],
    [`bitswarm://${hex}?dn=a+b`, 'a+b'],
    [hex, null],
    [hex.toUpperCase(), null],
    [`\t${hex}  `, null]
  ])('accepts %j', (text, name) => {
    const parsed = parseLink(text)
    expect(parsed.infoHash).toEqual(infoHash)
    expect(parsed.name).toBe(name)
  })

  it.each([
    ['empty', ''],
    ['only whitespace', '  \n '],
    ['another scheme', `magnet:?xt=urn:btih:${hex}`],
    ['http', `https://example.com/${hex}`],
    ['scheme without slashes', `bitswarm:${hex}`],
    ['missing info hash', 'bitswarm://'],
    ['missing info hash before the query', 'bitswarm://?dn=x'],
    ['63 hex characters', `bitswarm://${hex.slice(1)}`],
    ['65 hex characters', `bitswarm://${hex}0`],
    ['a non-hex character', `bitswarm://${hex.slice(1)}g`],
    ['a trailing slash', `bitswarm://${hex}/`],
    ['a fragment', `bitswarm://${hex}#x`],
    ['bad percent-encoding', `bitswarm://${hex}?dn=%E0%A4%A`],
    ['a lone percent sign', `bitswarm://${hex}?dn=100%`],
    ['percent-encoded invalid UTF-8', `bitswarm://${hex}?dn=%FF`],
    ['whitespace inside', `bitswarm://${hex}?dn=a b`],
    ['a repeated name', `bitswarm://${hex}?dn=a&dn=b`],
    ['a bare id of 63 characters', hex.slice(1)],
    ['a bare id with a non-hex character', `${hex.slice(1)}z`],
    ['a bare word', 'hello']
  ])('refuses %s', (_, text) => {
    expect(codeOf(() => parseLink(text))).toBe('ERR_INVALID_LINK')
  })

  it('says precisely what is wrong', () => {
    expect(() => parseLink('')).toThrow(/empty/)
    expect(() => parseLink(`magnet:?xt=${hex}`)).toThrow(/"magnet:…"/)
    expect(() => parseLink(`bitswarm://${hex.slice(2)}`)).toThrow(/64 hex characters, not 62/)
    expect(() => parseLink(`bitswarm://${hex.slice(1)}g`)).toThrow(/non-hex character "g"/)
    expect(() => parseLink(`bitswarm://${hex}?dn=%zz`)).toThrow(/percent-encoding/)
  })
})

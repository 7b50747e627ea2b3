import { describe, expect, it } from 'vitest'
import { type ChartRow, niceTicks, swarmChart } from './chart.js'

const rows: ChartRow[] = [1, 2, 4, 8, 16].map((n) => ({
  peers: n,
  swarm: 9 + n / 4,
  swarmBound: Math.max(8, (n * 32) / (4 + 2 * n)),
  clientServer: 8 * n + 1,
  clientServerBound: 8 * n
}))

/** The numbers in a polyline's `points`, as [x, y] pairs. */
const pointsOf = (polyline: string): number[][] =>
  /points="([^"]*)"/.exec(polyline)![1]!.split(' ').map((p) => p.split(',').map(Number))

describe('swarmChart', () => {
  const svg = swarmChart(rows, { title: 'Swarm vs client–server', subtitle: '32 MiB, u_s = 4 MiB/s & u_i = 2 MiB/s' })
  const polylines = svg.match(/<polyline[^>]*>/g) ?? []

  it('is one svg element with balanced tags', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
    expect(svg.match(/<svg/g)).toHaveLength(1)
    for (const tag of ['text', 'g', 'polyline', 'circle', 'title']) {
      const opened = (svg.match(new RegExp(`<${tag}[\\s>]`, 'g')) ?? []).length
      const closed = (svg.match(new RegExp(`</${tag}>`, 'g')) ?? []).length
      expect(closed, tag).toBe(opened)
    }
    expect(svg).not.toMatch(/NaN|undefined|Infinity/)
    expect(svg).toContain('&amp; u_i') // text is escaped
  })

  it('draws four series of five points each, with a legend, title and axis labels', () => {
    expect(polylines).toHaveLength(4)
    for (const p of polylines) expect(pointsOf(p)).toHaveLength(5)
    for (const label of ['swarm, measured', 'swarm, lower bound', 'client–server, measured', 'client–server, lower bound']) {
      expect(svg).toContain(`>${label}</text>`)
    }
    expect(svg).toContain('Swarm vs client–server')
    expect(svg).toContain('downloaders N')
    expect(svg).toContain('seconds')
    for (const n of [1, 2, 4, 8, 16]) expect(svg).toContain(`text-anchor="middle">${n}</text>`)
  })

  it('spaces N by log2 and puts larger times higher up', () => {
    const xs = pointsOf(polylines[0]!).map((p) => p[0]!)
    const gaps = xs.slice(1).map((v, i) => v - xs[i]!)
    for (const gap of gaps) expect(gap).toBeCloseTo(gaps[0]!, 0)
    const cs = pointsOf(polylines[2]!).map((p) => p[1]!)
    for (let i = 1; i < cs.length; i++) expect(cs[i]!).toBeLessThan(cs[i - 1]!) // SVG y grows downwards
  })

  it('leaves out a mode that was not run, and says so in the legend', () => {
    const partial = swarmChart(rows.map((r) => ({ ...r, clientServer: null })))
    expect(partial.match(/<polyline/g)).toHaveLength(3)
    expect(partial).toContain('client–server, measured (not run)')
  })

  it('draws a single N without dividing by zero', () => {
    const one = swarmChart([rows[0]!])
    expect(one).not.toMatch(/NaN|Infinity/)
    expect(one.match(/<polyline/g)).toHaveLength(4)
  })
})

describe('niceTicks', () => {
  it('covers the maximum in steps of 1, 2, 2.5 or 5 × 10^k', () => {
    expect(niceTicks(128)).toEqual([0, 25, 50, 75, 100, 125, 150])
    expect(niceTicks(14.2)).toEqual([0, 2.5, 5, 7.5, 10, 12.5, 15])
    expect(niceTicks(10)).toEqual([0, 2, 4, 6, 8, 10])
    expect(niceTicks(0.3)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3])
  })
})

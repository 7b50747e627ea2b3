// The swarm benchmark's picture: time until the last downloader completes against the number
// of downloaders, measured and lower bound, swarm and client–server. A plain SVG string, no
// dependencies. Pure.

export interface ChartRow {
  /** N, the number of downloaders. */
  peers: number
  /** Measured seconds, or null when the mode was not run. */
  swarm: number | null
  swarmBound: number
  clientServer: number | null
  clientServerBound: number
}

export interface ChartOptions {
  title?: string
  /** A second, smaller title line, e.g. the file size and the rates. */
  subtitle?: string
}

const WIDTH = 840
const HEIGHT = 480
const PLOT = { left: 70, right: 570, top: 70, bottom: 410 }

interface Series { label: string, color: string, dashed: boolean, points: Array<[number, number]> }

export function swarmChart (rows: ChartRow[], options: ChartOptions = {}): string {
  if (rows.length === 0) throw new Error('swarmChart needs at least one row')
  const sorted = [...rows].sort((a, b) => a.peers - b.peers)
  const pick = (value: (r: ChartRow) => number | null): Array<[number, number]> =>
    sorted.flatMap((r) => { const v = value(r); return v === null || !Number.isFinite(v) ? [] : [[r.peers, v] as [number, number]] })
  const series: Series[] = [
    { label: 'swarm, measured', color: '#1f6fd1', dashed: false, points: pick((r) => r.swarm) },
    { label: 'swarm, lower bound', color: '#1f6fd1', dashed: true, points: pick((r) => r.swarmBound) },
    { label: 'client–server, measured', color: '#d9480f', dashed: false, points: pick((r) => r.clientServer) },
    { label: 'client–server, lower bound', color: '#d9480f', dashed: true, points: pick((r) => r.clientServerBound) }
  ]

  const peers = sorted.map((r) => r.peers)
  const lo = Math.log2(peers[0]!)
  const hi = Math.log2(peers.at(-1)!)
  const x = (n: number): number => hi === lo
    ? (PLOT.left + PLOT.right) / 2
    : PLOT.left + 20 + ((Math.log2(n) - lo) / (hi - lo)) * (PLOT.right - PLOT.left - 40)
  const yTicks = niceTicks(Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[1]))))
  const yMax = yTicks.at(-1)!
  const y = (seconds: number): number => PLOT.bottom - (seconds / yMax) * (PLOT.bottom - PLOT.top)

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="26" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(options.title ?? 'Time until the last downloader completes')}</text>`
  ]
  if (options.subtitle !== undefined) out.push(`<text x="${WIDTH / 2}" y="46" text-anchor="middle" fill="#555">${escapeXml(options.subtitle)}</text>`)

  // Axes, grid and ticks.
  out.push(`<g stroke="#ddd">${yTicks.map((t) => `<line x1="${PLOT.left}" y1="${f(y(t))}" x2="${PLOT.right}" y2="${f(y(t))}"/>`).join('')}</g>`)
  out.push(`<g stroke="black"><line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}"/><line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}"/>`)
  for (const n of peers) out.push(`<line x1="${f(x(n))}" y1="${PLOT.bottom}" x2="${f(x(n))}" y2="${PLOT.bottom + 5}"/>`)
  for (const t of yTicks) out.push(`<line x1="${PLOT.left - 5}" y1="${f(y(t))}" x2="${PLOT.left}" y2="${f(y(t))}"/>`)
  out.push('</g>')
  for (const n of peers) out.push(`<text x="${f(x(n))}" y="${PLOT.bottom + 20}" text-anchor="middle">${n}</text>`)
  for (const t of yTicks) out.push(`<text x="${PLOT.left - 9}" y="${f(y(t) + 4)}" text-anchor="end">${formatTick(t)}</text>`)
  out.push(`<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 44}" text-anchor="middle">downloaders N (log₂ spacing)</text>`)
  out.push(`<text x="18" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle" transform="rotate(-90 18 ${(PLOT.top + PLOT.bottom) / 2})">seconds until the last downloader completes</text>`)

  // Series, then the legend.
  for (const s of series) {
    if (s.points.length === 0) continue
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : ''
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${s.points.map(([n, v]) => `${f(x(n))},${f(y(v))}`).join(' ')}"><title>${escapeXml(s.label)}</title></polyline>`)
    for (const [n, v] of s.points) {
      out.push(s.dashed
        ? `<rect x="${f(x(n) - 3)}" y="${f(y(v) - 3)}" width="6" height="6" fill="white" stroke="${s.color}"/>`
        : `<circle cx="${f(x(n))}" cy="${f(y(v))}" r="3.5" fill="${s.color}"><title>${escapeXml(`${s.label}: N = ${n}, ${v.toFixed(1)} s`)}</title></circle>`)
    }
  }
  const legendX = PLOT.right + 20
  series.forEach((s, i) => {
    const ly = PLOT.top + 10 + i * 24
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : ''
    out.push(`<line x1="${legendX}" y1="${ly}" x2="${legendX + 28}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`)
    out.push(`<text x="${legendX + 36}" y="${ly + 4}">${escapeXml(s.label + (s.points.length === 0 ? ' (not run)' : ''))}</text>`)
  })
  out.push('</svg>')
  return out.join('\n') + '\n'
}

/** Ticks from 0 to at least `max`, with a step of 1, 2, 2.5 or 5 × 10^k, about 6 to 9 of them. */
export function niceTicks (max: number): number[] {
  if (!(max > 0) || !Number.isFinite(max)) throw new Error(`niceTicks needs a positive finite maximum, not ${max}`)
  const raw = max / 6
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!
  const ticks: number[] = []
  for (let i = 0; ticks.at(-1) === undefined || ticks.at(-1)! < max; i++) ticks.push(Number((i * step).toPrecision(12)))
  return ticks
}

const f = (v: number): string => v.toFixed(1)
const formatTick = (t: number): string => Number.isInteger(t) ? String(t) : String(Number(t.toPrecision(6)))
const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { renderScreen } from '../../../src/cli/view/screen.js'
import { TerminalView, type TerminalStream } from '../../../src/cli/view/terminal-view.js'
import { VirtualTerminal } from '../../helpers/virtual-terminal.js'
import { midDownload } from './fixtures.js'

/** A terminal stream that replays everything into a virtual terminal. */
class FakeTTY extends EventEmitter implements TerminalStream {
  readonly isTTY = true
  readonly screen: VirtualTerminal
  constructor (columns: number, rows: number) {
    super()
    this.screen = new VirtualTerminal(columns, rows)
  }

  get columns (): number { return this.screen.columns }
  get rows (): number { return this.screen.rows }
  write (chunk: string): boolean {
    this.screen.write(chunk)
    return true
  }

  resize (columns: number, rows: number): void {
    this.screen.resize(columns, rows)
    this.emit('resize')
  }
}

describe('terminal view', () => {
  let view: TerminalView | null = null
  afterEach(() => { view?.stop() })

  it('draws the frame in the alternate screen and gives the terminal back on stop', () => {
    const tty = new FakeTTY(80, 24)
    tty.screen.write('$ bitswarm get …\r\n')
    const state = midDownload()
    view = new TerminalView(tty, (size) => renderScreen(state, size, true))
    view.start()
    expect(tty.screen.altScreen).toBe(true)
    expect(tty.screen.cursorVisible).toBe(false)
    const expected = renderScreen(state, { columns: 80, rows: 24 }, false)
    expect(tty.screen.lines().slice(0, expected.length)).toEqual(expected)
    expect(tty.screen.overflows).toBe(0)
    view.stop()
    expect(tty.screen.altScreen).toBe(false)
    expect(tty.screen.cursorVisible).toBe(true)
    expect(tty.screen.autowrap).toBe(true)
    expect(tty.screen.lines()[0]).toBe('$ bitswarm get …')
    expect(tty.screen.lines().slice(1).every((l) => l === '')).toBe(true)
  })

  it('redraws what changed on refresh, and blanks the rows of peers that left', () => {
    const tty = new FakeTTY(80, 24)
    const state = midDownload()
    view = new TerminalView(tty, (size) => renderScreen(state, size, false))
    view.start()
    state.peers.delete([...state.peers.keys()][0]!)
    view.refresh()
    const expected = renderScreen(state, { columns: 80, rows: 24 }, false)
    expect(tty.screen.lines()).toEqual([...expected, ...Array(24 - expected.length).fill('')])
  })

  it('adapts to a resize: the next frame at the new width, nothing left of the old one', () => {
    const tty = new FakeTTY(120, 30)
    const state = midDownload(1000, 20)
    view = new TerminalView(tty, (size) => renderScreen(state, size, true))
    view.start()
    tty.resize(50, 12)
    const expected = renderScreen(state, { columns: 50, rows: 12 }, false)
    expect(tty.screen.lines()).toEqual([...expected, ...Array(12 - expected.length).fill('')])
    expect(tty.screen.overflows).toBe(0)
    tty.resize(200, 40)
    expect(tty.screen.lines().slice(0, 3)).toEqual(renderScreen(state, { columns: 200, rows: 40 }, false).slice(0, 3))
  })
})

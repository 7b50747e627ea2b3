// Long-running commands stop on SIGINT/SIGTERM and close cleanly.

export function untilSignal (): { signal: Promise<NodeJS.Signals>, dispose: () => void } {
  let dispose = (): void => {}
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (name: NodeJS.Signals): void => resolve(name)
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    dispose = () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  })
  return { signal, dispose }
}

// The command line: parses arguments, runs one command, turns every failure into one line.

import { Command, CommanderError, Option } from 'commander'
import { readFileSync } from 'node:fs'
import { INFO_TIMEOUT_S } from '../constants.js'
import { EXIT_FAILURE, EXIT_OUTPUT_CLOSED, EXIT_USAGE, reportError } from './fail.js'
import { addNetworkOptions } from './network-options.js'
import { isClosedPipe, outputs, writeErr, writeOut } from './output.js'
import { printable } from './printable.js'
import { PLAYERS } from './player.js'
import { addTransferOptions } from './transfer-options.js'

// Each command's module is loaded when it runs: `get` does not load the demo, the bootstrap
// node or the hashing of `share` (start-up counts over a WAN: the first byte waits for it).
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

function program (): Command {
  const cli = new Command('bitswarm')
    .description('Share files peer to peer: every downloader also serves what it has.')
    .version(version)
    .exitOverride()
    .configureOutput({
      writeOut,
      writeErr,
      outputError: (text, write) => write(commanderMessage(text))
    })

  addTransferOptions(addNetworkOptions(cli.command('share')
    .description('hash files or folders, print their links, and seed them until interrupted')
    .argument('<path...>', 'files or folders to share (one link each, one node for all)')
    .option('--piece-size <bytes>', 'piece size, a power of two from 16K to 4M (default: from the size)')
    .option('-q, --quiet', 'print only the link and errors')))
    .action(async (paths: string[], flags) => await run(import('./share.js').then(async ({ share }) => await share(paths, flags)), flags.json === true))

  // `stream` is `get --stream`: the same options, served over HTTP while it downloads.
  const fetchCommand = (name: 'get' | 'stream', description: string): Command => {
    const command = cli.command(name)
      .description(description)
      .argument('<link>', 'a bitswarm:// link')
      .option('-o, --output <dir>', name === 'get' ? 'folder to download into (- writes a single file to standard output, in order)' : 'folder to download into', '.')
    if (name === 'get') command.option('--seed', 'keep serving the content after it is complete')
    command
      .option('-f, --force', 'replace an existing file or folder of the same name')
      .option('-q, --quiet', 'print only the output path and errors')
      .option('--only <glob>', 'fetch only the files matching this pattern (repeatable; see `bitswarm info`)', collect, [])
      .option('--exclude <glob>', 'leave out the files matching this pattern (repeatable)', collect, [])
      .option('--timeout <seconds>', 'give up (exit 1) when nothing has arrived for this long; the partial is kept')
    if (name === 'get') command.option('--stream', 'serve the content over HTTP on 127.0.0.1 while it downloads (as `bitswarm stream`)')
    command
      .option('--file <path>', 'the file to stream and fetch first, by its path in the share (default: the largest video or audio file)')
      .option('--open [player]', `start a player on the stream's URL (default: the first of ${PLAYERS.join(', ')})`)
      .option('--port <port>', 'HTTP port on 127.0.0.1 (default: any free one)')
    addTransferOptions(addNetworkOptions(command))
      .action(async (link: string, flags) => await run(import('./get.js').then(async ({ get }) => await get(link, name === 'stream' ? { ...flags, stream: true } : flags)), flags.json === true))
    return command
  }
  fetchCommand('get', 'download the content of a link, verifying every piece')
  fetchCommand('stream', 'download a link and serve it over HTTP while it downloads (Range requests; play before it is complete)')

  const state = (command: Command, json = true): Command => {
    command.addOption(new Option('--state <dir>', 'the daemon\'s state folder (default: $XDG_DATA_HOME/bitswarm)').env('BITSWARM_STATE'))
    return json ? command.option('--json', 'print JSON') : command // the network options bring their own
  }

  addTransferOptions(addNetworkOptions(state(cli.command('daemon')
    .description('run a long-lived node that seeds and downloads what is added to it, across restarts (`daemon stop` ends it)')
    .argument('[action]', '`stop` to end the running daemon')
    .option('--seed-ratio <ratio>', 'stop seeding a share once it uploaded this many times its size (a share\'s own limit wins)')
    .option('--seed-time <seconds>', 'stop seeding a share after this long')
    .option('--stream-port <port>', 'HTTP port on 127.0.0.1 its shares are streamed on (`play`; default: any free one)'), false)))
    .action(async (action: string | undefined, flags) => await run(import('./daemon.js').then(async ({ daemon }) => await daemon(action, flags)), flags.json === true))

  state(cli.command('add')
    .description('give the running daemon a link to download or a path to seed')
    .argument('<link|path>')
    .option('-o, --output <dir>', 'folder to download a link into', '.')
    .option('--seed-ratio <ratio>', 'stop seeding it once it uploaded this many times its size')
    .option('--seed-time <seconds>', 'stop seeding it after this long'))
    .action(async (target: string, flags) => await run(import('./daemon.js').then(async ({ add }) => await add(target, flags)), flags.json === true))

  state(cli.command('ls')
    .description('list the running daemon\'s shares: name, size, progress, rates, peers, state'))
    .action(async (flags) => await run(import('./daemon.js').then(async ({ ls }) => await ls(flags)), flags.json === true))

  state(cli.command('rm')
    .description('stop and forget one of the daemon\'s shares (its files stay unless --delete-data)')
    .argument('<id>', 'the share\'s id, or enough of its first digits')
    .option('--delete-data', 'also delete what the daemon downloaded for it (never a path you added)'))
    .action(async (id: string, flags) => await run(import('./daemon.js').then(async ({ rm }) => await rm(id, flags)), flags.json === true))

  for (const action of ['pause', 'resume'] as const) {
    state(cli.command(action)
      .description(action === 'pause' ? 'stop trading one of the daemon\'s shares (remembered across restarts)' : 'trade a paused share again')
      .argument('<id>', 'the share\'s id, or enough of its first digits'))
      .action(async (id: string, flags) => await run(import('./daemon.js').then(async ({ pauseOrResume }) => await pauseOrResume(action, id, flags)), flags.json === true))
  }

  state(cli.command('watch')
    .description('the live view of one of the daemon\'s shares (--json: its events, one per line)')
    .argument('<id>', 'the share\'s id, or enough of its first digits'))
    .action(async (id: string, flags) => await run(import('./daemon.js').then(async ({ watch }) => await watch(id, flags)), flags.json === true))

  state(cli.command('play')
    .description('serve one of the daemon\'s shares over HTTP while it downloads and print the URL (Range requests; play before it is complete)')
    .argument('<id>', 'the share\'s id, or enough of its first digits (or its link)')
    .option('--file <path>', 'the file to stream and fetch first, by its path in the share (default: the largest video or audio file)')
    .option('--open [player]', `start a player on the URL (default: the first of ${PLAYERS.join(', ')})`))
    .action(async (id: string, flags) => await run(import('./daemon.js').then(async ({ play }) => await play(id, flags)), flags.json === true))

  cli.command('bootstrap')
    .description('run a DHT bootstrap node for a private network')
    .addOption(new Option('--host <ip>', 'IPv4 address to bind and advertise (the one other nodes dial)').env('BITSWARM_HOST'))
    .option('--port <port>', 'UDP port (0 picks a free one)', '49737')
    .option('--json', 'print a JSON ready event instead of the address')
    .action(async (flags) => await run(import('./bootstrap.js').then(async ({ bootstrap }) => await bootstrap(flags)), flags.json === true))

  cli.command('demo')
    .description('run a whole swarm on this machine and watch pieces spread (a bootstrap node, a seeder, N downloaders)')
    .option('--peers <n>', 'downloaders', '6')
    .option('--size <bytes>', 'size of the generated file (e.g. 2M, 64M)', '8M')
    .option('--file <path>', 'share this file instead of a generated one')
    .option('--fast', 'no upload limits: as fast as this machine goes')
    .action(async (flags) => await run(import('./demo.js').then(async ({ demo }) => await demo(flags)), false))

  addNetworkOptions(cli.command('info')
    .description('list the files a link names (asked of its peers; nothing is downloaded), or what sharing a path would give')
    .argument('<link|path>')
    .option('--piece-size <bytes>', 'piece size to hash a path with')
    .option('--timeout <seconds>', 'give up when no peer has sent the metadata by then', String(INFO_TIMEOUT_S)))
    .action(async (target: string, flags) => await run(import('./info.js').then(async ({ info }) => await info(target, flags)), flags.json === true))

  return cli
}

/** A repeatable option's values, in order. */
const collect = (value: string, previous: string[]): string[] => [...previous, value]

const SUGGESTION = '\n(Did you mean '

/** Commander's messages quote the arguments: escaped, so that each stays the line it is;
 *  its own second line (a suggestion) stays a line. */
function commanderMessage (text: string): string {
  const lines = text.replace(/^error: /, 'bitswarm: ').replace(/\n$/, '').split(SUGGESTION)
  return lines.map(printable).join(SUGGESTION) + '\n'
}

async function run (command: Promise<number>, json: boolean): Promise<void> {
  try {
    process.exitCode = await command
  } catch (err) {
    reportError(err, json)
    process.exitCode = EXIT_FAILURE
  }
  // Whatever the command said after its reader went away was lost: the status says so.
  const { stdout, stderr } = outputs()
  if ([stdout.lost, stderr.lost].some((loss) => loss !== null && isClosedPipe(loss))) process.exitCode = EXIT_OUTPUT_CLOSED
}

// From here on a closed pipe or a hung-up terminal is a lost stream, not a crash.
outputs()

try {
  await program().parseAsync(process.argv)
} catch (err) {
  // Commander already printed its one-line message (unknown option, missing argument…).
  if (err instanceof CommanderError) process.exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE
  else {
    reportError(err, process.argv.includes('--json'))
    process.exitCode = EXIT_FAILURE
  }
}

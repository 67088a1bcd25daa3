/**
 * `dossier watch`: follows `GET /v1/watch`. On a terminal, a live table of
 * the matching sessions; otherwise one JSON object (a WatchEvent) per line,
 * heartbeats left out. If the daemon goes away it reconnects with the last
 * cursor it saw, so no change is missed.
 */
import { DaemonNotRunningError } from '../client.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, expectPositionals, parseArgv, parsePositiveInt } from './args.js';
import { connect, type CommandModule, type ConnectionOptions } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { FILTER_HELP, FILTER_OPTIONS, filterQuery, userTimeZone, type FilterFlagValues } from './filter-flags.js';
import { WatchView } from './format/watch-view.js';
import { colorEnabled, type CliIo } from './io.js';

/** Wait between reconnection attempts. */
const RECONNECT_MS = 1_000;

/** Options of `dossier watch`. */
export interface WatchOptions extends ConnectionOptions {
  filters: FilterFlagValues;
  /** Resume after this cursor (from a previous run's output). */
  cursor: string | undefined;
  /** Stop after this many `session` events. */
  count: number | undefined;
  /** Print JSON lines even on a terminal. */
  json: boolean;
}

export const usage = `Usage: dossier watch [filters] [--cursor C] [--count N] [--json]

Follow session changes live. On a terminal: a table that updates in place.
Otherwise (or with --json): one JSON object per line: snapshot, ready, session,
reset and error events, each with a "cursor" to resume from.

${FILTER_HELP}
  --cursor C          resume after this cursor: every change since is replayed
  --count N           exit after N session changes
  --json              JSON lines even on a terminal
${CONNECTION_HELP}`;

/** Parses `watch` arguments. */
export function parse(argv: string[]): WatchOptions {
  const { values, positionals } = parseArgv({
    args: argv,
    options: { ...FILTER_OPTIONS, cursor: { type: 'string' }, count: { type: 'string' }, json: { type: 'boolean' }, ...CONNECTION_OPTIONS },
  });
  expectPositionals(positionals, []);
  const { cursor, count, json, socket, home, ...filters } = values;
  filterQuery(filters, '/', 'UTC');
  return { filters, cursor, count: parsePositiveInt('count', count, 1_000_000_000), json: json ?? false, socket, home };
}

/** Follows the stream until --count is reached or the process is stopped. */
export async function run(opts: WatchOptions, io: CliIo): Promise<ExitCode> {
  const client = connect(opts, io);
  const query = filterQuery(opts.filters, io.env.PWD ?? process.cwd(), userTimeZone(io.env));
  const view = io.isTTY && !opts.json ? new WatchView(io.stdout, { width: io.columns, color: colorEnabled(io), now: io.now ?? Date.now }) : null;
  const done = new AbortController();
  let cursor = opts.cursor;
  let changes = 0;
  for (;;) {
    try {
      await client.watch({ ...query, ...(cursor ? { cursor } : {}) }, (event) => {
        cursor = event.cursor;
        if (view) view.apply(event);
        else if (event.type !== 'heartbeat') io.stdout.write(`${JSON.stringify(event)}\n`);
        if (event.type === 'session' && opts.count !== undefined && ++changes >= opts.count) done.abort();
      }, done.signal);
    } catch (error) {
      // Refusals (a bad filter) end the command; a daemon that went away is waited for.
      if (!(error instanceof DaemonNotRunningError)) throw error;
    }
    if (done.signal.aborted) {
      view?.flush();
      return EXIT.ok;
    }
    if (view) view.note('daemon not reachable: reconnecting…');
    else io.stderr.write('dossier watch: the daemon went away; reconnecting\n');
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
}

/** `dossier watch` as a command module. */
export const command: CommandModule<WatchOptions> = { usage, parse, run };

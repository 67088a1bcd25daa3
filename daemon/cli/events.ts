/**
 * `dossier events <id>`: a session's timeline, oldest first, one line per
 * event. `--json` prints the array of stored events.
 */
import { EVENT_KINDS, SOURCES, type EventKind, type Source, type TimelineEvent } from '../../schema/index.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, expectPositionals, parseArgv, parseList } from './args.js';
import { connect, writeJson, type CommandModule, type ConnectionOptions } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { formatEventLine } from './format/event-line.js';
import type { CliIo } from './io.js';

/** Options of `dossier events`. */
export interface EventsOptions extends ConnectionOptions {
  id: string;
  kind: EventKind[] | undefined;
  source: Source[] | undefined;
  json: boolean;
  /** Print each event's stored attributes under its line. */
  raw: boolean;
}

/** Events fetched per request; the daemon's maximum page. */
const PAGE = 10_000;

export const usage = `Usage: dossier events <id> [--kind k,…] [--source s,…] [--raw] [--json]

Print a session's events, oldest first. <id> may be any unique prefix.

  --kind LIST     only these kinds (e.g. tool.called,api.request)
  --source LIST   only these sources: ${SOURCES.join(', ')}
  --raw           print each event's stored attributes (JSON) under its line
  --json          print an array of stored events with their summaries (see docs/cli-json.md)
${CONNECTION_HELP}`;

/** Parses `events` arguments. */
export function parse(argv: string[]): EventsOptions {
  const { values, positionals } = parseArgv({
    args: argv,
    options: { kind: { type: 'string' }, source: { type: 'string' }, raw: { type: 'boolean' }, json: { type: 'boolean' }, ...CONNECTION_OPTIONS },
  });
  const [id] = expectPositionals(positionals, ['id']);
  return {
    id: id!,
    kind: parseList('kind', values.kind, EVENT_KINDS),
    source: parseList('source', values.source, SOURCES),
    json: values.json ?? false,
    raw: values.raw ?? false,
    socket: values.socket,
    home: values.home,
  };
}

/** Fetches every page of the timeline and prints it. */
export async function run(opts: EventsOptions, io: CliIo): Promise<ExitCode> {
  const client = connect(opts, io);
  const events: TimelineEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listEvents(opts.id, {
      limit: PAGE,
      ...(opts.kind ? { kind: opts.kind } : {}),
      ...(opts.source ? { source: opts.source } : {}),
      ...(cursor ? { cursor } : {}),
    });
    events.push(...page.events);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  events.sort(byTime);

  if (opts.json) {
    writeJson(io, events);
    return EXIT.ok;
  }
  const width = io.isTTY ? io.columns : undefined;
  const attrsLine = (e: TimelineEvent): string => (opts.raw ? `    ${JSON.stringify(e.attrs)}\n` : '');
  io.stdout.write(events.map((e) => `${formatEventLine(e, width)}\n${attrsLine(e)}`).join(''));
  return EXIT.ok;
}

/** Oldest first: by event time, then by insertion order. */
function byTime(a: TimelineEvent, b: TimelineEvent): number {
  return a.ts - b.ts || a.seq - b.seq;
}

/** `dossier events` as a command module. */
export const command: CommandModule<EventsOptions> = { usage, parse, run };

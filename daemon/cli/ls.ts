/**
 * `dossier ls`: the sessions table (live ones and those active in the last
 * 24 h; `--all` for every session). `--json` prints an array of
 * SessionRecord, the documented stable contract.
 */
import type { SessionRecord, SessionStatus } from '../../schema/index.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, expectPositionals, parseArgv, parseList, parsePositiveInt } from './args.js';
import { connect, writeJson, type CommandModule, type ConnectionOptions } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { renderSessionTable } from './format/sessions-table.js';
import { clockOf, colorEnabled, type CliIo } from './io.js';

/** Options of `dossier ls`. */
export interface LsOptions extends ConnectionOptions {
  all: boolean;
  status: SessionStatus[] | undefined;
  limit: number;
  json: boolean;
}

const STATUSES = ['busy', 'waiting', 'idle', 'ended'] as const satisfies readonly SessionStatus[];
/** The daemon serves at most this many sessions per page; larger limits are fetched page by page. */
const PAGE_MAX = 1000;
const DEFAULT_LIMIT = 50;

export const usage = `Usage: dossier ls [--all] [--status s,…] [--limit N] [--json]

List sessions, most recently active first.

  --all           every session, including old and hidden ones
  --status LIST   only these statuses: ${STATUSES.join(', ')}
  --limit N       at most N sessions (default ${DEFAULT_LIMIT})
  --json          print an array of session records (see docs/cli-json.md)
${CONNECTION_HELP}`;

/** Parses `ls` arguments. */
export function parse(argv: string[]): LsOptions {
  const { values, positionals } = parseArgv({
    args: argv,
    options: { all: { type: 'boolean' }, status: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, ...CONNECTION_OPTIONS },
  });
  expectPositionals(positionals, []);
  return {
    all: values.all ?? false,
    status: parseList('status', values.status, STATUSES),
    limit: parsePositiveInt('limit', values.limit, 100_000) ?? DEFAULT_LIMIT,
    json: values.json ?? false,
    socket: values.socket,
    home: values.home,
  };
}

/** Fetches the sessions and prints them as JSON or as a table. */
export async function run(opts: LsOptions, io: CliIo): Promise<ExitCode> {
  const client = connect(opts, io);
  const sessions: SessionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listSessions({
      all: opts.all,
      limit: Math.min(PAGE_MAX, opts.limit - sessions.length),
      ...(opts.status ? { status: opts.status } : {}),
      ...(cursor ? { cursor } : {}),
    });
    sessions.push(...page.sessions);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined && sessions.length < opts.limit);

  if (opts.json) {
    writeJson(io, sessions);
    return EXIT.ok;
  }
  if (sessions.length === 0) {
    io.stdout.write(opts.all ? 'No sessions recorded yet.\n' : 'No sessions active in the last 24 hours. Try: dossier ls --all\n');
    return EXIT.ok;
  }
  const lines = renderSessionTable(sessions, clockOf(io), { width: io.isTTY ? io.columns : undefined, color: colorEnabled(io) });
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** `dossier ls` as a command module. */
export const command: CommandModule<LsOptions> = { usage, parse, run };

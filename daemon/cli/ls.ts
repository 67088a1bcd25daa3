/**
 * `dossier ls`: the sessions table (live ones and those active in the last
 * 24 h; `--all` for every session), with every filter of the API as a flag,
 * a sort and a limit. `--json` prints an array of SessionRecord, the
 * documented stable contract.
 */
import type { SessionListQuery, SessionRecord } from '../../schema/index.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, expectPositionals, parseArgv, parseList, parsePositiveInt, usageError } from './args.js';
import { connect, writeJson, type CommandModule, type ConnectionOptions } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { FILTER_HELP, FILTER_OPTIONS, filterQuery, userTimeZone, type FilterFlagValues } from './filter-flags.js';
import { renderSessionTable } from './format/sessions-table.js';
import { clockOf, colorEnabled, type CliIo } from './io.js';

const SORTS = ['activity', 'start', 'duration', 'tokens', 'cost'] as const;
type Sort = (typeof SORTS)[number];

/** Options of `dossier ls`. */
export interface LsOptions extends ConnectionOptions {
  filters: FilterFlagValues;
  sort: Sort | undefined;
  asc: boolean;
  limit: number;
  json: boolean;
}

/** The daemon serves at most this many sessions per page; larger limits are fetched page by page. */
const PAGE_MAX = 1000;
const DEFAULT_LIMIT = 50;

export const usage = `Usage: dossier ls [filters] [--sort KEY] [--asc] [--limit N] [--json]

List sessions: by default the live ones and those active in the last 24 hours,
most recently active first.

${FILTER_HELP}
  --sort KEY          ${SORTS.join(', ')} (largest or latest first)
  --asc               smallest or earliest first
  --limit N           at most N sessions (default ${DEFAULT_LIMIT})
  --json              print an array of session records (see docs/cli-json.md)
${CONNECTION_HELP}`;

/** Parses `ls` arguments. */
export function parse(argv: string[]): LsOptions {
  const { values, positionals } = parseArgv({
    args: argv,
    options: { ...FILTER_OPTIONS, sort: { type: 'string' }, asc: { type: 'boolean' }, limit: { type: 'string' }, json: { type: 'boolean' }, ...CONNECTION_OPTIONS },
  });
  expectPositionals(positionals, []);
  const sort = parseList('sort', values.sort, SORTS);
  if (sort && sort.length > 1) throw usageError('--sort takes one key');
  const { sort: _sort, asc, limit, json, socket, home, ...filters } = values;
  // Checked now so a bad flag is a usage error before any request.
  filterQuery(filters, '/', 'UTC');
  return {
    filters,
    sort: sort?.[0],
    asc: asc ?? false,
    limit: parsePositiveInt('limit', limit, 100_000) ?? DEFAULT_LIMIT,
    json: json ?? false,
    socket,
    home,
  };
}

/** The API query these options ask for (without paging). */
export function listQuery(opts: LsOptions, io: Pick<CliIo, 'env'>): Omit<SessionListQuery, 'limit' | 'cursor'> {
  const query = filterQuery(opts.filters, io.env.PWD ?? process.cwd(), userTimeZone(io.env));
  if (opts.sort !== undefined) query.sort = opts.sort;
  if (opts.asc) query.order = 'asc';
  return query;
}

/** Fetches the sessions and prints them as JSON or as a table. */
export async function run(opts: LsOptions, io: CliIo): Promise<ExitCode> {
  const client = connect(opts, io);
  const query = listQuery(opts, io);
  const sessions: SessionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listSessions({ ...query, limit: Math.min(PAGE_MAX, opts.limit - sessions.length), ...(cursor ? { cursor } : {}) });
    sessions.push(...page.sessions);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined && sessions.length < opts.limit);

  if (opts.json) {
    writeJson(io, sessions);
    return EXIT.ok;
  }
  if (sessions.length === 0) {
    const filtered = Object.keys(query).some((k) => k !== 'tz' && k !== 'all' && k !== 'sort' && k !== 'order');
    io.stdout.write(
      filtered ? 'No sessions match.\n' : query.all ? 'No sessions recorded yet.\n' : 'No sessions active in the last 24 hours. Try: dossier ls --all\n',
    );
    return EXIT.ok;
  }
  const lines = renderSessionTable(sessions, clockOf(io), { width: io.isTTY ? io.columns : undefined, color: colorEnabled(io) });
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** `dossier ls` as a command module. */
export const command: CommandModule<LsOptions> = { usage, parse, run };

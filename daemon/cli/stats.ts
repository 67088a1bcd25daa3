/**
 * `dossier stats`: totals and per-session averages over a time range
 * (default the last 7 days), optionally grouped by day, model, project,
 * repo or framework. `--json` prints the `GET /v1/stats` reply.
 */
import type { StatsGroupBy } from '../../schema/index.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, expectPositionals, parseArgv, parseList, usageError } from './args.js';
import { connect, writeJson, type CommandModule, type ConnectionOptions } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { FILTER_HELP, FILTER_OPTIONS, filterQuery, userTimeZone, type FilterFlagValues } from './filter-flags.js';
import { renderStats } from './format/stats-table.js';
import { colorEnabled, type CliIo } from './io.js';

const GROUPS = ['day', 'model', 'project', 'repo', 'framework'] as const satisfies readonly StatsGroupBy[];
/** Without --range, --since or --until. */
const DEFAULT_RANGE = '7d';

/** Options of `dossier stats`. */
export interface StatsOptions extends ConnectionOptions {
  filters: FilterFlagValues;
  by: StatsGroupBy | undefined;
  json: boolean;
}

export const usage = `Usage: dossier stats [--by day|model|project|repo|framework] [filters] [--json]

Totals and per-session averages (sessions, duration, tokens, cost, requests,
errors, tool calls) of the sessions active in a time range: by default the
last 7 days. Days are in your time zone.

  --by KEY            one row per ${GROUPS.join(', ')}
${FILTER_HELP}
  --json              print the GET /v1/stats reply (see docs/cli-json.md)
${CONNECTION_HELP}`;

/** Parses `stats` arguments. */
export function parse(argv: string[]): StatsOptions {
  const { values, positionals } = parseArgv({ args: argv, options: { ...FILTER_OPTIONS, by: { type: 'string' }, json: { type: 'boolean' }, ...CONNECTION_OPTIONS } });
  expectPositionals(positionals, []);
  const by = parseList('by', values.by, GROUPS);
  if (by && by.length > 1) throw usageError('--by takes one key');
  const { by: _by, json, socket, home, ...filters } = values;
  filterQuery(filters, '/', 'UTC');
  return { filters, by: by?.[0], json: json ?? false, socket, home };
}

/** Fetches the stats and prints them. */
export async function run(opts: StatsOptions, io: CliIo): Promise<ExitCode> {
  const query = filterQuery(opts.filters, io.env.PWD ?? process.cwd(), userTimeZone(io.env));
  if (query.range === undefined && query.since === undefined && query.until === undefined) query.range = DEFAULT_RANGE;
  const stats = await connect(opts, io).stats({ ...query, ...(opts.by ? { by: opts.by } : {}) });
  if (opts.json) writeJson(io, stats);
  else io.stdout.write(`${renderStats(stats, { width: io.isTTY ? io.columns : undefined, color: colorEnabled(io) }).join('\n')}\n`);
  return EXIT.ok;
}

/** `dossier stats` as a command module. */
export const command: CommandModule<StatsOptions> = { usage, parse, run };

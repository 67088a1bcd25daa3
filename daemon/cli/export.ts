/**
 * `dossier export [id]`: one session as a Markdown report (default), JSON or
 * CSV, or with filters instead of an id, many sessions. Writes the daemon's
 * `GET /v1/export` body to stdout (JSON pretty-printed).
 */
import { CONNECTION_HELP, CONNECTION_OPTIONS, parseArgv, parseList, parsePositiveInt, usageError } from './args.js';
import { connect, writeJson, type CommandModule, type ConnectionOptions } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { FILTER_HELP, FILTER_OPTIONS, filterQuery, userTimeZone, type FilterFlagValues } from './filter-flags.js';
import type { CliIo } from './io.js';

const FORMATS = ['markdown', 'json', 'csv'] as const;

/** Options of `dossier export`. */
export interface ExportOptions extends ConnectionOptions {
  id: string | undefined;
  format: (typeof FORMATS)[number];
  filters: FilterFlagValues;
  limit: number | undefined;
}

export const usage = `Usage: dossier export [<id>] [--format markdown|json|csv] [filters] [--limit N]

Export one session (any unique id prefix) as a readable Markdown report
(header, numbers, tools, files touched, tasks, subagents, timeline), JSON
(record and report) or CSV; or, without an id, the sessions the filters keep.

  --format F          ${FORMATS.join(', ')} (default markdown)
  --limit N           at most N sessions when exporting a set (default 1000)
${FILTER_HELP}
${CONNECTION_HELP}`;

/** Parses `export` arguments. */
export function parse(argv: string[]): ExportOptions {
  const { values, positionals } = parseArgv({
    args: argv,
    options: { ...FILTER_OPTIONS, format: { type: 'string' }, limit: { type: 'string' }, ...CONNECTION_OPTIONS },
  });
  if (positionals.length > 1) throw usageError(`unexpected argument ${JSON.stringify(positionals[1])}`);
  const { format, limit, socket, home, ...filters } = values;
  const formats = parseList('format', format, FORMATS);
  if (formats && formats.length > 1) throw usageError('--format takes one format');
  const id = positionals[0];
  if (id !== undefined && Object.keys(filters).length > 0) throw usageError('give a session id or filters, not both');
  filterQuery(filters, '/', 'UTC');
  return { id, format: formats?.[0] ?? 'markdown', filters, limit: parsePositiveInt('limit', limit, 10_000), socket, home };
}

/** Fetches the export and writes it to stdout. */
export async function run(opts: ExportOptions, io: CliIo): Promise<ExitCode> {
  const client = connect(opts, io);
  const text =
    opts.id !== undefined
      ? await client.exportText({ session: opts.id, format: opts.format })
      : await client.exportText({
          ...filterQuery(opts.filters, io.env.PWD ?? process.cwd(), userTimeZone(io.env)),
          format: opts.format,
          ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
        });
  if (opts.format === 'json') writeJson(io, JSON.parse(text) as unknown);
  else io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return EXIT.ok;
}

/** `dossier export` as a command module. */
export const command: CommandModule<ExportOptions> = { usage, parse, run };

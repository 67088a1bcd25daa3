/**
 * `dossier gc`: has the daemon prune bulky raw attributes of old events
 * (tool command lines, error texts, descriptions) that no session number is
 * computed from, vacuum when worth it, and report what it did. The daemon
 * also runs this daily with its `--retention-days`.
 */
import type { GcRequest, GcResponse } from '../../schema/maintenance.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, expectPositionals, parseArgv, usageError } from './args.js';
import { connect, writeJson, type CommandModule, type ConnectionOptions } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { formatBytes, formatCount } from './format/human.js';
import type { CliIo } from './io.js';

/** Options of `dossier gc`. */
export interface GcOptions extends ConnectionOptions {
  olderThanDays: number | undefined;
  dryRun: boolean;
  json: boolean;
}

export const usage = `Usage: dossier gc [--older-than DAYS] [--dry-run] [--json]

Prune bulky raw attributes (tool command lines and input summaries, error
texts, descriptions) of events older than DAYS, then vacuum if much of the
file is free. Every session's record and numbers stay exactly the same.

  --older-than DAYS  age in days (default: the daemon's --retention-days, 90)
  --dry-run          count what would be pruned; change nothing
  --json             print what the run did (see docs/cli-json.md)
${CONNECTION_HELP}`;

/** Parses `gc` arguments. */
export function parse(argv: string[]): GcOptions {
  const { values, positionals } = parseArgv({
    args: argv,
    options: { 'older-than': { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, ...CONNECTION_OPTIONS },
  });
  expectPositionals(positionals, []);
  const raw = values['older-than'];
  let olderThanDays: number | undefined;
  if (raw !== undefined) {
    olderThanDays = /^\d{1,5}(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(olderThanDays >= 0 && olderThanDays <= 36_500)) throw usageError(`--older-than: must be a number of days from 0 to 36500 (got ${JSON.stringify(raw)})`);
  }
  return { olderThanDays, dryRun: values['dry-run'] ?? false, json: values.json ?? false, socket: values.socket, home: values.home };
}

/** Runs gc in the daemon and prints what it did. */
export async function run(opts: GcOptions, io: CliIo): Promise<ExitCode> {
  const request: GcRequest = { dry_run: opts.dryRun };
  if (opts.olderThanDays !== undefined) request.older_than_days = opts.olderThanDays;
  const done = await connect(opts, io).request<GcResponse>('POST', '/v1/gc', request);
  if (opts.json) writeJson(io, done);
  else io.stdout.write(formatGc(done));
  return EXIT.ok;
}

/** The human report of one gc run. */
export function formatGc(done: GcResponse): string {
  const cutoff = new Date(done.before).toISOString();
  const verb = done.dry_run ? 'Would prune' : 'Pruned';
  const lines = [`${verb} raw attributes of ${formatCount(done.events_pruned)} events older than ${cutoff}.`];
  if (!done.dry_run) {
    lines.push(`Database: ${formatBytes(done.bytes_before)} before, ${formatBytes(done.bytes_after)} after; ${done.vacuumed ? 'vacuumed' : `not vacuumed (${done.vacuum_note ?? 'not needed'})`}.`);
  }
  return `${lines.join('\n')}\n`;
}

/** `dossier gc` as a command module. */
export const command: CommandModule<GcOptions> = { usage, parse, run };

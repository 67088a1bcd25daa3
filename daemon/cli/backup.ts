/**
 * `dossier backup FILE`: has the running daemon copy its database to FILE
 * with SQLite's online backup (a consistent copy while ingestion goes on),
 * checked with `quick_check` before it takes the name.
 */
import { resolve } from 'node:path';
import type { BackupRequest, BackupResponse } from '../../schema/maintenance.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, expectPositionals, parseArgv } from './args.js';
import { connect, writeJson, type CommandModule, type ConnectionOptions } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { formatBytes, formatCount } from './format/human.js';
import type { CliIo } from './io.js';

/** Options of `dossier backup`. */
export interface BackupOptions extends ConnectionOptions {
  /** The target, absolute (resolved against the CLI's working directory). */
  file: string;
  overwrite: boolean;
  json: boolean;
}

export const usage = `Usage: dossier backup FILE [--overwrite] [--json]

Copy the database to FILE while the daemon keeps running (SQLite online
backup). The copy is checked before it takes the name; restore by stopping
the daemon and putting the file in place of <state>/dossier.db.

  --overwrite     replace FILE if it exists (default: refuse)
  --json          print { path, bytes, events, sessions, schema_version, duration_ms }
${CONNECTION_HELP}`;

/** Parses `backup` arguments. */
export function parse(argv: string[]): BackupOptions {
  const { values, positionals } = parseArgv({ args: argv, options: { overwrite: { type: 'boolean' }, json: { type: 'boolean' }, ...CONNECTION_OPTIONS } });
  const [file] = expectPositionals(positionals, ['FILE']);
  return { file: resolve(file!), overwrite: values.overwrite ?? false, json: values.json ?? false, socket: values.socket, home: values.home };
}

/** Asks the daemon for the backup and reports it. */
export async function run(opts: BackupOptions, io: CliIo): Promise<ExitCode> {
  const request: BackupRequest = { path: opts.file, overwrite: opts.overwrite };
  // A large database takes a while to copy; allow it.
  const done = await connect(opts, io).request<BackupResponse>('POST', '/v1/backup', request);
  if (opts.json) writeJson(io, done);
  else {
    io.stdout.write(
      `Backed up ${formatCount(done.sessions)} sessions and ${formatCount(done.events)} events (${formatBytes(done.bytes)}) to ${done.path} in ${formatCount(done.duration_ms)} ms.\n`,
    );
  }
  return EXIT.ok;
}

/** `dossier backup` as a command module. */
export const command: CommandModule<BackupOptions> = { usage, parse, run };

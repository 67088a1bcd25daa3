/**
 * `dossier rebuild`: asks the daemon to drop the session projection and
 * recompute it from the event ledger, then prints what it did.
 */
import { CONNECTION_HELP, CONNECTION_OPTIONS, expectPositionals, parseArgv } from './args.js';
import { connect, writeJson, type CommandModule, type ConnectionOptions } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { formatCount } from './format/human.js';
import type { CliIo } from './io.js';

/** Options of `dossier rebuild`. */
export interface RebuildOptions extends ConnectionOptions {
  json: boolean;
  /** Also re-read every transcript from its start. */
  rescan: boolean;
}

export const usage = `Usage: dossier rebuild [--rescan] [--json]

Drop the sessions projection and recompute it from the stored events.
The result is identical to what live ingestion produced.

  --rescan        then re-read every transcript from its start (in the background;
                  progress in \`dossier status\`); nothing is counted twice
  --json          print { sessions, events, duration_ms, rescanning? }
${CONNECTION_HELP}`;

/** Parses `rebuild` arguments. */
export function parse(argv: string[]): RebuildOptions {
  const { values, positionals } = parseArgv({ args: argv, options: { json: { type: 'boolean' }, rescan: { type: 'boolean' }, ...CONNECTION_OPTIONS } });
  expectPositionals(positionals, []);
  return { json: values.json ?? false, rescan: values.rescan ?? false, socket: values.socket, home: values.home };
}

/** Runs the rebuild and prints the counts. */
export async function run(opts: RebuildOptions, io: CliIo): Promise<ExitCode> {
  const done = await connect(opts, io).rebuild({ rescan: opts.rescan });
  if (opts.json) writeJson(io, done);
  else {
    io.stdout.write(`Rebuilt ${formatCount(done.sessions)} sessions from ${formatCount(done.events)} events in ${formatCount(done.duration_ms)} ms.\n`);
    if (opts.rescan) {
      const what = done.rescanning && done.rescanning.length > 0 ? done.rescanning.join(', ') : 'nothing (no collector that can re-read is running)';
      io.stdout.write(`Re-reading from the start: ${what}. Progress: dossier status.\n`);
    }
  }
  return EXIT.ok;
}

/** `dossier rebuild` as a command module. */
export const command: CommandModule<RebuildOptions> = { usage, parse, run };

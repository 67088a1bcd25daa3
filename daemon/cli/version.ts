/**
 * `dossier version` (also `--version`): the version of this dossier build.
 * Offline: it never asks the daemon, whose own version `dossier status` shows.
 */
import { DOSSIER_VERSION } from '../version.js';
import { expectPositionals, parseArgv } from './args.js';
import type { CommandModule } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

/** Options of `dossier version`. */
export interface VersionOptions {
  json: boolean;
}

export const usage = `Usage: dossier version [--json]

Print the version of this dossier (the daemon's own is in \`dossier status\`).

  --json          print { "version": "…" }`;

/** Parses `version` arguments. */
export function parse(argv: string[]): VersionOptions {
  const { values, positionals } = parseArgv({ args: argv, options: { json: { type: 'boolean' } } });
  expectPositionals(positionals, []);
  return { json: values.json ?? false };
}

/** Prints the version. */
export async function run(opts: VersionOptions, io: CliIo): Promise<ExitCode> {
  io.stdout.write(opts.json ? `${JSON.stringify({ version: DOSSIER_VERSION })}\n` : `dossier ${DOSSIER_VERSION}\n`);
  return EXIT.ok;
}

/** `dossier version` as a command module. */
export const command: CommandModule<VersionOptions> = { usage, parse, run };

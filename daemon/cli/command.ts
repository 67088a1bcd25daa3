/**
 * The shape of every CLI command (one file each): its usage text, `parse`
 * from argv to options (throwing usage errors), and `run` with injected io.
 */
import { DossierClient } from '../client.js';
import type { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

/** One `dossier <name>` command. */
export interface CommandModule<O> {
  /** Full usage for `dossier help <name>` and `dossier <name> --help`. */
  readonly usage: string;
  /** Parses the arguments after the command name; throws `DOSSIER_E_CLI_USAGE`. */
  parse(argv: string[]): O;
  /** Runs the command; resolves its exit code, throws `DossierError`s for the dispatcher to print. */
  run(opts: O, io: CliIo): Promise<ExitCode>;
}

/** The connection flags every client command accepts. */
export interface ConnectionOptions {
  socket?: string | undefined;
  home?: string | undefined;
}

/** A client for the daemon chosen by the flags and the environment. */
export function connect(opts: ConnectionOptions, io: Pick<CliIo, 'env'>): DossierClient {
  return DossierClient.fromEnvironment({ socket: opts.socket, home: opts.home, env: io.env });
}

/** Writes `value` as pretty JSON plus a newline: the `--json` contract. */
export function writeJson(io: Pick<CliIo, 'stdout'>, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

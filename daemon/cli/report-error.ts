/**
 * How the CLI tells the user something went wrong: `Error: …`, then
 * `Try: …` where a next step helps, and the named exit code.
 */
import { isDossierError } from '../../schema/errors.js';
import { DaemonNotRunningError } from '../client.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

/** Prints the error to stderr and returns the exit code it maps to. */
export function reportError(error: unknown, io: Pick<CliIo, 'stderr'>, command: string | undefined): ExitCode {
  const say = (line: string): void => void io.stderr.write(`${line}\n`);
  if (error instanceof DaemonNotRunningError) {
    say(`Error: the dossier daemon is not running (socket ${error.socket})`);
    say('Try: dossier daemon (runs it in the foreground) or dossier service install (runs it as a service)');
    return EXIT.daemonNotRunning;
  }
  if (!isDossierError(error)) {
    say(`Error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.error;
  }
  say(`Error: ${error.message}`);
  switch (error.code) {
    case 'DOSSIER_E_CLI_USAGE':
      say(`Try: dossier help${command ? ` ${command}` : ''}`);
      return EXIT.usage;
    case 'DOSSIER_E_CONFIG_INVALID':
      return EXIT.usage;
    case 'DOSSIER_E_DAEMON_NOT_RUNNING':
      say('Try: dossier daemon (runs it in the foreground) or dossier service install (runs it as a service)');
      return EXIT.daemonNotRunning;
    case 'DOSSIER_E_DAEMON_RUNNING':
      say('Try: dossier status (to see it), or stop it before starting another one');
      return EXIT.error;
    case 'DOSSIER_E_STORE_TOO_NEW':
      say('Try: a newer dossier, or a different --home');
      return EXIT.error;
    case 'DOSSIER_E_SESSION_NOT_FOUND':
      say('Try: dossier ls --all');
      return EXIT.error;
    case 'DOSSIER_E_SESSION_AMBIGUOUS':
      say('Try: give more characters of the session id');
      return EXIT.error;
    default:
      if (error.retryable) say('Try: the same command again in a moment');
      return EXIT.error;
  }
}

/**
 * Named exit codes of the `dossier` command, a stable contract for scripts.
 */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** The command failed (the daemon refused, a session was not found, …). */
  error: 1,
  /** The command line was wrong. */
  usage: 2,
  /** No daemon answered on the socket. */
  daemonNotRunning: 3,
} as const;

/** One of the {@link EXIT} codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

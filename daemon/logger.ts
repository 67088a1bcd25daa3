/**
 * The daemon's one root logger: JSON lines to stderr (a service manager
 * collects them). Components get children named after them. Lifecycle goes at
 * info; per-event facts are counters, never log lines.
 */
import { pino, type Logger } from 'pino';

/** Log levels accepted by `--log-level`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** True when the text is one of {@link LOG_LEVELS}. */
export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * Creates the root logger writing synchronously to fd 2, so the last lines
 * before an exit are never lost in a buffer.
 */
export function createRootLogger(level: LogLevel): Logger {
  return pino({ name: 'dossier', level }, pino.destination({ fd: 2, sync: true }));
}

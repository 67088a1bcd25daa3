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

/** Where log lines go: anything that takes one JSON line at a time, synchronously. */
export interface LogDestination {
  write(line: string): void;
}

/**
 * Creates the root logger writing synchronously (to fd 2 unless given a
 * destination), so the last lines before an exit are never lost in a buffer.
 */
export function createRootLogger(level: LogLevel, destination?: LogDestination): Logger {
  const children = new Set<WeakRef<Logger>>();
  const root = pino({ name: 'dossier', level, onChild: (child) => void children.add(new WeakRef(child)) }, destination ?? pino.destination({ fd: 2, sync: true }));
  familyOf.set(root, children);
  return root;
}

/** Every child (at any depth) of each root logger, so a level change reaches them all. */
const familyOf = new WeakMap<Logger, Set<WeakRef<Logger>>>();

/**
 * Sets the level of a root logger from {@link createRootLogger} and of every
 * child made from it (pino children keep the level they were born with).
 */
export function setLogLevel(root: Logger, level: LogLevel): void {
  root.level = level;
  const children = familyOf.get(root);
  if (children === undefined) return;
  for (const ref of children) {
    const child = ref.deref();
    if (child === undefined) children.delete(ref);
    else child.level = level;
  }
}

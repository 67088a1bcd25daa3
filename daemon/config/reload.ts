/**
 * SIGHUP: re-reads the config file and environment under the daemon's own
 * flags and applies what can change while running (log level, retention
 * age). Anything else that changed is named in a warning as needing a
 * restart; a config that no longer validates is refused and the running one
 * kept.
 */
import type { Logger } from 'pino';
import type { DaemonOptions } from '../cli/daemon.js';
import type { LogLevel } from '../logger.js';
import { BASE_KEYS } from './keys.js';

/** The running daemon's knobs a reload may turn. */
export interface ReloadTargets {
  setLogLevel(level: LogLevel): void;
  /** Undefined: back to the default. */
  setRetentionDays(days: number | undefined): void;
}

/** What one reload did. */
export interface ReloadOutcome {
  /** The options now in force (the old ones when the reload was refused). */
  options: DaemonOptions;
  applied: string[];
  needsRestart: string[];
  error: string | null;
}

/**
 * The daemon's start-only settings (its keys not marked reloadable), each by
 * its flag and the option it sets: `log-file` is `logFile`.
 */
const RESTART_SETTINGS: readonly [flag: string, key: keyof DaemonOptions][] = BASE_KEYS.filter((k) => !k.reloadable).map((k) => [
  k.name,
  k.name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()) as keyof DaemonOptions,
]);

/** Start-only settings whose value differs, by flag name; each collector flag is named on its own. */
function changedStartOnly(current: DaemonOptions, next: DaemonOptions): string[] {
  const differs = (a: unknown, b: unknown) => JSON.stringify(a ?? null) !== JSON.stringify(b ?? null);
  const changed = RESTART_SETTINGS.filter(([, key]) => differs(next[key], current[key])).map(([flag]) => flag);
  const flags = new Set([...Object.keys(current.collectorFlags), ...Object.keys(next.collectorFlags)]);
  for (const flag of [...flags].sort()) if (differs(next.collectorFlags[flag], current.collectorFlags[flag])) changed.push(flag);
  return changed;
}

/** Re-reads with `reload` and applies the difference from `current`; never throws. */
export function reloadDaemonConfig(current: DaemonOptions, reload: () => DaemonOptions, targets: ReloadTargets, logger: Logger): ReloadOutcome {
  let next: DaemonOptions;
  try {
    next = reload();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ error: message }, 'config reload refused; the running configuration stays');
    return { options: current, applied: [], needsRestart: [], error: message };
  }
  const applied: string[] = [];
  if (next.logLevel !== current.logLevel) {
    targets.setLogLevel(next.logLevel);
    applied.push('log-level');
  }
  if ((next.retentionDays ?? null) !== (current.retentionDays ?? null)) {
    targets.setRetentionDays(next.retentionDays);
    applied.push('retention-days');
  }
  const needsRestart = changedStartOnly(current, next);
  // Keep the start-only settings as they run, so a later reload compares against reality.
  const options: DaemonOptions = { ...current, logLevel: next.logLevel, retentionDays: next.retentionDays };
  logger.info({ applied, needs_restart: needsRestart }, 'config reloaded');
  if (needsRestart.length > 0) logger.warn({ needs_restart: needsRestart }, 'some changed settings take effect only after a restart');
  return { options, applied, needsRestart, error: null };
}

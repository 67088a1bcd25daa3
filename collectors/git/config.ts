/**
 * Configuration of the git enricher: how it learns the cwds sessions report
 * (supplied by `daemon/main`, which alone may read the store), and the time
 * boxes that keep a slow or hanging git from mattering.
 */
import { DossierError, type Framework } from '../../schema/index.js';

/** A session reported a cwd at a moment of activity. */
export interface CwdSighting {
  session_id: string;
  framework: Framework;
  /** Absolute working directory as the agent reported it. */
  cwd: string;
  /** Time of the activity that reported it, ms since epoch. */
  at: number;
}

/** Registers a listener for sightings; returns the unsubscribe function. The listener must be cheap. */
export type CwdSubscribe = (listener: (sighting: CwdSighting) => void) => () => void;

/** Lists sessions active since `sinceMs` with their cwd and time of last activity. */
export type ListSessionCwds = (sinceMs: number) => Promise<readonly CwdSighting[]> | readonly CwdSighting[];

/** Settings of the `git` component. Durations in ms. */
export interface GitEnricherConfig {
  enabled: boolean;
  /** The git executable (name on PATH, or a path). */
  binary: string;
  /** Longest one git command may run. */
  commandTimeoutMs: number;
  /** Longest one cwd's whole resolution may take. */
  resolveTimeoutMs: number;
  /** Least time between two resolutions of the same (session, cwd); the last activity is always resolved eventually. */
  refreshMs: number;
  /** A sighting older than this is history: only time-independent facts are resolved, and only if none were recorded. */
  liveWindowMs: number;
  /** How long layout, remote and merge base stay cached. */
  cacheTtlMs: number;
  /** After a timeout in a cwd, leave that cwd alone this long. */
  hungBackoffMs: number;
  /** After git is found missing, try again no sooner than this. */
  missingBackoffMs: number;
  /** Stop starting git commands while this many timed-out ones still run. */
  maxAbandoned: number;
  /** Most (session, cwd) pairs tracked at once; further new ones are dropped and counted. */
  maxTracked: number;
  /** How often `listSessionCwds` is polled (when given). */
  pollIntervalMs: number;
  /** At start, how far back `listSessionCwds` is asked. */
  backfillWindowMs: number;
  /** Push feed of sightings (see `CwdHub`); supplied by daemon/main. */
  onCwd?: CwdSubscribe;
  /** Pull feed of sightings, polled; supplied by daemon/main. */
  listSessionCwds?: ListSessionCwds;
}

/** Defaults: run with no config at all. Without a feed the component idles. */
export function defaultGitConfig(): GitEnricherConfig {
  return {
    enabled: true,
    binary: 'git',
    commandTimeoutMs: 5_000,
    resolveTimeoutMs: 15_000,
    refreshMs: 60_000,
    liveWindowMs: 10 * 60_000,
    cacheTtlMs: 60_000,
    hungBackoffMs: 5 * 60_000,
    missingBackoffMs: 60_000,
    maxAbandoned: 4,
    maxTracked: 10_000,
    pollIntervalMs: 30_000,
    backfillWindowMs: 7 * 24 * 3_600_000,
  };
}

const DURATIONS = [
  'commandTimeoutMs',
  'resolveTimeoutMs',
  'refreshMs',
  'liveWindowMs',
  'cacheTtlMs',
  'hungBackoffMs',
  'missingBackoffMs',
  'pollIntervalMs',
  'backfillWindowMs',
] as const;

/** Throws `DOSSIER_E_CONFIG_INVALID` reading `git.<field>: reason (got value)` for the first bad field. */
export function validateGitConfig(config: GitEnricherConfig): GitEnricherConfig {
  const bad = (field: string, reason: string, value: unknown): never => {
    throw new DossierError('DOSSIER_E_CONFIG_INVALID', `git.${field}: ${reason} (got ${JSON.stringify(value) ?? String(value)})`);
  };
  if (typeof config.enabled !== 'boolean') bad('enabled', 'must be true or false', config.enabled);
  if (typeof config.binary !== 'string' || config.binary.trim() === '') bad('binary', 'must be a non-empty string', config.binary);
  for (const field of DURATIONS) {
    const value = config[field];
    if (!Number.isSafeInteger(value) || value < 1) bad(field, 'must be a positive integer of milliseconds', value);
  }
  for (const field of ['maxAbandoned', 'maxTracked'] as const) {
    const value = config[field];
    if (!Number.isSafeInteger(value) || value < 1) bad(field, 'must be a positive integer', value);
  }
  if (config.onCwd !== undefined && typeof config.onCwd !== 'function') bad('onCwd', 'must be a function', typeof config.onCwd);
  if (config.listSessionCwds !== undefined && typeof config.listSessionCwds !== 'function') {
    bad('listSessionCwds', 'must be a function', typeof config.listSessionCwds);
  }
  return config;
}

/**
 * `--event-cache N`: how many events of live sessions the store's writer
 * keeps in memory. Parsed for the CLI here, next to the store's own default,
 * because the CLI may not import the store.
 */
import { DEFAULT_EVENT_CACHE_EVENTS } from '../core/store/index.js';
import { DossierError } from '../schema/index.js';

export { DEFAULT_EVENT_CACHE_EVENTS };

/** Largest accepted value: about 5–7 GB of heap, far past any sensible setting. */
export const MAX_EVENT_CACHE_EVENTS = 5_000_000;

/**
 * The flag's value as a count, or undefined when not given. Throws
 * `DOSSIER_E_CLI_USAGE` (`--event-cache: reason (got value)`) for anything but a whole number
 * from 0 (no cache) to {@link MAX_EVENT_CACHE_EVENTS}.
 */
export function parseEventCache(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const events = /^\d{1,7}$/.test(value) ? Number(value) : Number.NaN;
  if (!(events >= 0 && events <= MAX_EVENT_CACHE_EVENTS)) {
    throw new DossierError('DOSSIER_E_CLI_USAGE', `--event-cache: must be a whole number of events from 0 to ${MAX_EVENT_CACHE_EVENTS} (got ${JSON.stringify(value)})`);
  }
  return events;
}

/**
 * `--event-cache N`: how many events of live sessions the store's writer
 * keeps in memory. Its default and bound live here, next to the store's own
 * default, because the CLI (which parses and documents the flag) may not
 * import the store. The default is read from the cache's own module, not the
 * store's index, so `dossier config` does not load the store and SQLite.
 */
import { DEFAULT_EVENT_CACHE_EVENTS } from '../core/store/event-cache.js';

export { DEFAULT_EVENT_CACHE_EVENTS };

/** Largest accepted value: about 5–7 GB of heap, far past any sensible setting. */
export const MAX_EVENT_CACHE_EVENTS = 5_000_000;

/** Public surface of the SQLite store. */
export { openStore, type Store, type StoreOptions } from './open.js';
export { SqliteLedgerWriter, type DirtyProjection, type WriterOptions } from './writer.js';
export { SqliteLedgerReader, MAX_EVENT_PAGE, MAX_SESSION_PAGE, MAX_AMBIGUOUS_IDS } from './reader.js';
export { DEFAULT_EVENT_CACHE_EVENTS } from './event-cache.js';
export { migrate, assertNotTooNew, schemaVersionOf, type MigrationOutcome } from './migrate.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/index.js';
export type { CommitResult, EventFilter, LedgerReader, LedgerWriter, SessionFilter } from './types.js';

/**
 * Migration 0002: sessions whose projection is behind their events.
 *
 * A commit inserts events and marks their sessions here in the same
 * transaction; the writer re-projects marked sessions later, coalescing many
 * commits into one projection during a backfill. Because the mark is written
 * with the events, a crash between commit and projection leaves the session
 * marked, and opening the store re-projects it before anything is served.
 */
import type { Migration } from './migration.js';

/** Adds the `dirty_sessions` table of schema version 2. */
export const dirtySessionsMigration: Migration = {
  version: 2,
  name: '0002-dirty-sessions',
  sql: `
CREATE TABLE dirty_sessions (
  session_key INTEGER PRIMARY KEY
) STRICT;
`,
};

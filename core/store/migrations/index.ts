/**
 * Every migration in order. Add a new step as `NNNN-name.ts` and append it
 * here; never edit or remove a step that has shipped.
 */
import type { Migration } from './migration.js';
import { initialMigration } from './0001-initial.js';
import { dirtySessionsMigration } from './0002-dirty-sessions.js';

export type { Migration } from './migration.js';

/** All migrations, ordered by version (1, 2, …). */
export const MIGRATIONS: readonly Migration[] = [initialMigration, dirtySessionsMigration];

/** The schema version this code writes and understands. */
export const LATEST_SCHEMA_VERSION: number = MIGRATIONS.length;

/**
 * Brings a database to the schema version this code knows, one migration per
 * transaction, and refuses a database written by a newer dossier.
 */
import type Database from 'better-sqlite3';
import { DossierError } from '../../schema/index.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/index.js';

/** What {@link migrate} did. */
export interface MigrationOutcome {
  from: number;
  to: number;
  applied: string[];
}

/** Reads `PRAGMA user_version`. */
export function schemaVersionOf(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Throws `DOSSIER_E_STORE_TOO_NEW`, naming both versions, when the database
 * schema is newer than `known`.
 */
export function assertNotTooNew(db: Database.Database, known: number = LATEST_SCHEMA_VERSION): void {
  const found = schemaVersionOf(db);
  if (found > known) {
    throw new DossierError(
      'DOSSIER_E_STORE_TOO_NEW',
      `database schema version ${found} is newer than this dossier understands (schema version ${known})`,
    );
  }
}

/**
 * Applies every migration above the database's `user_version`, each in its own
 * IMMEDIATE transaction that also bumps `user_version`, so a crash leaves the
 * database at a whole step. Re-opening a current database applies nothing.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): MigrationOutcome {
  const known = migrations.length;
  assertNotTooNew(db, known);
  const from = schemaVersionOf(db);
  const applied: string[] = [];
  for (const step of migrations) {
    if (step.version <= from) continue;
    const ran = db
      .transaction(() => {
        // Re-read inside the write lock: another process may have migrated meanwhile.
        const current = schemaVersionOf(db);
        if (current >= step.version) return false;
        if (current !== step.version - 1) {
          throw new DossierError('DOSSIER_E_STORE_CORRUPT', `migration ${step.name} expects schema ${step.version - 1}, found ${current}`);
        }
        db.exec(step.sql);
        db.pragma(`user_version = ${step.version}`);
        return true;
      })
      .immediate();
    if (ran) applied.push(step.name);
  }
  return { from, to: schemaVersionOf(db), applied };
}

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDossierError } from '../../../schema/index.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, openStore, type Migration } from '../../../core/store/index.js';
import { TEST_MACHINE, tempDir, type TempDir } from './store-fixture.js';

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

function userVersion(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('migrations', () => {
  it('are numbered NNNN-name with consecutive versions from 1', () => {
    MIGRATIONS.forEach((m, i) => {
      expect(m.version).toBe(i + 1);
      expect(m.name).toMatch(new RegExp(`^${String(i + 1).padStart(4, '0')}-[a-z0-9-]+$`));
    });
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('create every table STRICT on a fresh database, in WAL mode', () => {
    const path = join(tmp.dir, 'fresh.db');
    openStore(path, { machineId: TEST_MACHINE }).close();
    expect(userVersion(path)).toBe(LATEST_SCHEMA_VERSION);
    const db = new Database(path, { readonly: true });
    try {
      const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
      expect(tables).toEqual(
        ['checkpoints', 'dirty_sessions', 'events', 'request_claims', 'session_keys', 'session_lineage', 'session_usage', 'sessions'].map((name) => ({ name, strict: 1 })),
      );
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('re-opening a current database applies nothing and keeps its data', () => {
    const path = join(tmp.dir, 'again.db');
    const db = new Database(path);
    const first = migrate(db);
    expect(first).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION, applied: MIGRATIONS.map((m) => m.name) });
    db.prepare("INSERT INTO checkpoints VALUES ('c', 'k', 'v', 1)").run();
    expect(migrate(db)).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION, applied: [] });
    db.close();
    const store = openStore(path, { machineId: TEST_MACHINE });
    expect(store.writer.loadCheckpoints('c')).toEqual(new Map([['k', 'v']]));
    store.close();
  });

  it('refuse a database newer than the code, naming both versions, and leave it untouched', () => {
    const path = join(tmp.dir, 'newer.db');
    openStore(path, { machineId: TEST_MACHINE }).close();
    const db = new Database(path);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    let caught: unknown;
    try {
      openStore(path, { machineId: TEST_MACHINE });
    } catch (error) {
      caught = error;
    }
    expect(isDossierError(caught, 'DOSSIER_E_STORE_TOO_NEW')).toBe(true);
    expect((caught as Error).message).toContain(`schema version ${LATEST_SCHEMA_VERSION + 1}`);
    expect((caught as Error).message).toContain(`schema version ${LATEST_SCHEMA_VERSION})`);
    expect(userVersion(path)).toBe(LATEST_SCHEMA_VERSION + 1);
  });

  it('run each step in its own transaction: a failing step leaves the previous steps applied and nothing of itself', () => {
    const db = new Database(join(tmp.dir, 'partial.db'));
    const steps: Migration[] = [
      { version: 1, name: '0001-one', sql: 'CREATE TABLE one (x INTEGER) STRICT;' },
      { version: 2, name: '0002-broken', sql: 'CREATE TABLE two (x INTEGER) STRICT; CREATE TABLE one (y INTEGER);' },
    ];
    expect(() => migrate(db, steps)).toThrow(/already exists/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const names = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(names).toEqual(['one']);
    db.close();
  });
});

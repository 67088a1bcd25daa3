/**
 * Shared set-up for store tests: a store on a fresh temp directory, and
 * helpers that read whole tables back for exact comparisons.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Checkpoint } from '../../../core/pipeline/sink.js';
import { openStore, type Store } from '../../../core/store/index.js';

/** Machine id every test store stamps on its records. */
export const TEST_MACHINE = 'test-machine';

/** A temp directory removed by `cleanup`. */
export interface TempDir {
  dir: string;
  cleanup(): void;
}

/** Creates a temp directory for one test. */
export function tempDir(prefix = 'dossier-store-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens a store at `<dir>/<name>` with a fixed clock. */
export function openTestStore(dir: string, name = 'dossier.db', now: () => number = () => 1_700_000_000_000): Store {
  return openStore(join(dir, name), { machineId: TEST_MACHINE, now });
}

/** Every row of a query over the database at `path`, as plain objects. */
export function queryRows(path: string, sql: string): Record<string, unknown>[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

/** Every row of a table in a stable order, as plain objects. */
export function tableRows(path: string, table: string, orderBy: string): Record<string, unknown>[] {
  return queryRows(path, `SELECT * FROM ${table} ORDER BY ${orderBy}`);
}

/** Full row lists of the derived tables. */
export interface ProjectionSnapshot {
  sessions: Record<string, unknown>[];
  session_usage: Record<string, unknown>[];
  request_claims: Record<string, unknown>[];
  session_lineage: Record<string, unknown>[];
}

/**
 * The derived tables a rebuild must reproduce exactly, each as its full row
 * list. Claims and lineage are keyed by session id, not the integer key, so
 * snapshots of databases that saw sessions in different orders compare too.
 */
export function projectionSnapshot(path: string): ProjectionSnapshot {
  return {
    sessions: tableRows(path, 'sessions', 'session_id'),
    session_usage: tableRows(path, 'session_usage', 'session_id, dimension, name'),
    request_claims: queryRows(
      path,
      'SELECT c.request_key, k.session_id, c.first_ts FROM request_claims c JOIN session_keys k USING (session_key) ORDER BY 1, 2',
    ),
    session_lineage: queryRows(path, 'SELECT k.session_id, l.forked_from FROM session_lineage l JOIN session_keys k USING (session_key) ORDER BY 1'),
  };
}

/**
 * A checkpoint whose value SQLite cannot bind (an object): a commit carrying
 * it fails inside its transaction, after its events were inserted, which is
 * how tests make a commit roll back.
 */
export function unbindableCheckpoint(collector = 'c', key = 'k'): Checkpoint {
  return { collector, key, value: {} } as unknown as Checkpoint;
}

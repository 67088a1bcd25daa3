/**
 * Shared set-up for store tests: a store on a fresh temp directory, and
 * helpers that read whole tables back for exact comparisons.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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

/** Every row of a table in a stable order, as plain objects. */
export function tableRows(path: string, table: string, orderBy: string): Record<string, unknown>[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM ${table} ORDER BY ${orderBy}`).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

/** The derived tables a rebuild must reproduce exactly, each as its full row list. */
export function projectionSnapshot(path: string): Record<string, Record<string, unknown>[]> {
  return {
    sessions: tableRows(path, 'sessions', 'session_id'),
    session_usage: tableRows(path, 'session_usage', 'session_id, dimension, name'),
    request_claims: tableRows(path, 'request_claims', 'request_key, session_key'),
    session_lineage: tableRows(path, 'session_lineage', 'session_key'),
  };
}

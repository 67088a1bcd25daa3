/**
 * Opens the store: the writer connection (which creates and migrates the
 * database, refusing one newer than this code) and a read-only connection.
 */
import type { Logger } from 'pino';
import type { RequestPricer } from '../merge/types.js';
import { openReaderConnection, openWriterConnection } from './connection.js';
import { assertNotTooNew, migrate } from './migrate.js';
import { SqliteLedgerReader } from './reader.js';
import { SqliteLedgerWriter } from './writer.js';

/** Settings of {@link openStore}. */
export interface StoreOptions {
  /** Stable id of this machine, copied into every session record. */
  machineId: string;
  /** Clock for checkpoint times; defaults to `Date.now`. */
  now?: () => number;
  /** Lock wait before a statement fails, ms. */
  busyTimeoutMs?: number;
  /** Most events of recently projected sessions the writer keeps in memory (default 100,000; 0 disables). */
  eventCacheEvents?: number;
  /** Prices each request for the records' `cost_usd`; without it cost stays null. */
  price?: RequestPricer;
  /** Lifecycle logging (open, migrations, close). */
  logger?: Logger;
}

/** An open store: one writer, one reader. */
export interface Store {
  readonly path: string;
  readonly writer: SqliteLedgerWriter;
  readonly reader: SqliteLedgerReader;
  /** Opens another read-only connection (e.g. for a long export) the caller must close. */
  openReader(): SqliteLedgerReader;
  /** Closes the reader, then the writer; idempotent. */
  close(): void;
}

/**
 * Opens or creates the database at `path` and migrates it. Throws
 * `DOSSIER_E_STORE_TOO_NEW` (naming both schema versions) for a database a
 * newer dossier wrote, leaving it untouched. Sessions left dirty by a crash
 * (see `SqliteLedgerWriter.commitDeferred`) are re-projected before it returns.
 */
export function openStore(path: string, options: StoreOptions): Store {
  const connection = { busyTimeoutMs: options.busyTimeoutMs };
  const writerDb = openWriterConnection(path, connection);
  let writer: SqliteLedgerWriter;
  try {
    const outcome = migrate(writerDb);
    if (outcome.applied.length > 0) {
      options.logger?.info({ path, from: outcome.from, to: outcome.to, applied: outcome.applied }, 'store migrated');
    }
    writer = new SqliteLedgerWriter(writerDb, {
      machineId: options.machineId,
      now: options.now ?? Date.now,
      eventCacheEvents: options.eventCacheEvents,
      price: options.price,
    });
    // Sessions a crash left between commit and projection are caught up before anything is served.
    const dirty = writer.dirtyCount();
    if (dirty > 0) {
      writer.reprojectDirty();
      options.logger?.info({ path, sessions: dirty }, 'store re-projected sessions left dirty');
    }
  } catch (error) {
    writerDb.close();
    throw error;
  }
  const openReader = (): SqliteLedgerReader => {
    const db = openReaderConnection(path, connection);
    try {
      assertNotTooNew(db);
      return new SqliteLedgerReader(db);
    } catch (error) {
      db.close();
      throw error;
    }
  };
  let reader: SqliteLedgerReader;
  try {
    reader = openReader();
  } catch (error) {
    writer.close();
    throw error;
  }
  options.logger?.info({ path }, 'store opened');
  let closed = false;
  return {
    path,
    writer,
    reader,
    openReader,
    close() {
      if (closed) return;
      closed = true;
      reader.close();
      writer.close();
      options.logger?.info({ path }, 'store closed');
    },
  };
}

/**
 * Opens the two kinds of connection the store uses, with the pragmas each
 * needs. One writer connection owns every write; readers are read-only.
 */
import Database from 'better-sqlite3';

/** Connection tuning shared by writer and readers. */
export interface ConnectionOptions {
  /** How long a statement waits for a lock before failing, in ms. */
  busyTimeoutMs?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating if needed) the database for writing: WAL journal,
 * `synchronous=NORMAL`, a bounded WAL file and a larger page cache.
 */
export function openWriterConnection(path: string, options: ConnectionOptions = {}): Database.Database {
  const db = new Database(path);
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL syncs only at checkpoints, not at every commit. A
    // committed transaction is in the WAL file (the OS page cache) before
    // commit returns, so a crash or SIGKILL of the daemon loses nothing; only
    // a power loss or OS crash can roll back the last few commits, and it can
    // never corrupt the database. FULL would fsync every batch on the hot path.
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -32000');
    db.pragma('temp_store = MEMORY');
    // Keep the WAL file from growing without bound after a large backfill.
    db.pragma('journal_size_limit = 67108864');
    db.pragma('wal_autocheckpoint = 10000');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Opens an existing database read-only; the writer must have created and migrated it. */
export function openReaderConnection(path: string, options: ConnectionOptions = {}): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
    db.pragma('cache_size = -16000');
    // List queries that sort on a computed key walk every row; reading the
    // file through a map instead of read() calls makes that walk about 4x
    // faster (address space, not memory: the OS pages it in and out).
    db.pragma('mmap_size = 268435456');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A consistent copy of the live database, taken with SQLite's online backup
 * API on a connection of its own while the daemon keeps writing. The copy is
 * written beside the target under a temporary name, checked, and renamed into
 * place, so the target path never holds half a backup.
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { DossierError } from '../../schema/errors.js';
import type { BackupResponse } from '../../schema/maintenance.js';

/** Settings of {@link backupDatabase}. */
export interface BackupOptions {
  /** Replace an existing file at the target (default: refuse). */
  overwrite?: boolean;
  /** Lock wait of the backup's own connection, ms. */
  busyTimeoutMs?: number;
}

/**
 * Copies the database at `sourcePath` to `targetPath` (absolute). The copy
 * is taken in one step after a first small one, so a write landing in
 * between restarts it at most once and the result is one committed state.
 * Throws `DOSSIER_E_CONFIG_INVALID` for a relative or taken target and
 * `DOSSIER_E_STORE_CORRUPT` when the copy fails `PRAGMA quick_check`.
 */
export async function backupDatabase(sourcePath: string, targetPath: string, options: BackupOptions = {}): Promise<BackupResponse> {
  if (!isAbsolute(targetPath)) throw invalid(`backup path must be absolute (got ${JSON.stringify(targetPath)})`);
  if (!existsSync(dirname(targetPath))) throw invalid(`backup directory does not exist: ${dirname(targetPath)}`);
  if (options.overwrite !== true && existsSync(targetPath)) throw invalid(`${targetPath} already exists; choose a new file name`);
  const started = Date.now();
  const temp = join(dirname(targetPath), `.${basename(targetPath)}.partial-${process.pid}`);
  const source = new Database(sourcePath, { readonly: true, fileMustExist: true });
  try {
    source.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5_000}`);
    // After the first step, ask for every remaining page at once: one read transaction, one consistent state.
    await source.backup(temp, { progress: ({ totalPages }) => Math.max(totalPages, 1) });
  } catch (error) {
    rmSync(temp, { force: true });
    throw new DossierError('DOSSIER_E_INTERNAL', `backup of ${sourcePath} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    source.close();
  }
  let facts: Omit<BackupResponse, 'path' | 'bytes' | 'duration_ms'>;
  try {
    facts = checkCopy(temp);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  renameSync(temp, targetPath);
  return { path: targetPath, bytes: statSync(targetPath).size, ...facts, duration_ms: Date.now() - started };
}

/** Runs `quick_check` on the copy and counts what it holds. */
function checkCopy(path: string): Omit<BackupResponse, 'path' | 'bytes' | 'duration_ms'> {
  const db = new Database(path, { fileMustExist: true });
  try {
    // A backup is a standalone file: no WAL beside it.
    db.pragma('journal_mode = DELETE');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new DossierError('DOSSIER_E_STORE_CORRUPT', `the backup copy failed PRAGMA quick_check: ${String(check)}`);
    return {
      events: db.prepare<[], number>('SELECT count(*) FROM events').pluck().get() ?? 0,
      sessions: db.prepare<[], number>('SELECT count(*) FROM sessions').pluck().get() ?? 0,
      schema_version: Number(db.pragma('user_version', { simple: true })),
    };
  } finally {
    db.close();
  }
}

function invalid(detail: string): DossierError {
  return new DossierError('DOSSIER_E_CONFIG_INVALID', detail);
}

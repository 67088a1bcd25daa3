/**
 * Retention: prunes bulky free-text attributes of old events that no session
 * record is computed from (tool command lines and input summaries, error
 * texts, descriptions, executables), then vacuums when enough of the file is
 * free. Every attribute the merge reads stays, so every session's record,
 * numbers included, is the same before and after, and a rebuild still
 * reproduces it. Runs on a connection of its own in short transactions, so
 * the daemon's writer is never held up for long.
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import type { GcResponse } from '../../schema/maintenance.js';

/**
 * Attributes gc may remove, by event kind. None is read by `core/merge`
 * (a unit test checks the merge's sources for each name).
 */
export const PRUNABLE_ATTRS: Readonly<Record<string, readonly string[]>> = {
  'api.error': ['error'],
  'process.seen': ['executable'],
  'subagent.started': ['description'],
  'task.changed': ['description'],
  'tool.called': ['command', 'input_summary', 'file_path'],
  'tool.finished': ['error'],
};

/** Settings of {@link collectGarbage}. */
export interface GcOptions {
  /** Prune events whose own time is before this (ms since epoch). */
  before: number;
  /** Count what would be pruned, change nothing. */
  dryRun?: boolean;
  /** Vacuum when at least this share of the file's pages is free after pruning (default 0.2). */
  vacuumFreeRatio?: number;
  /** Rows per transaction (default 2,000). */
  batchRows?: number;
  /** Lock wait of gc's connection, ms. */
  busyTimeoutMs?: number;
}

/**
 * Prunes the database at `path`. Yields to the event loop between batches.
 * A vacuum that cannot get its lock (a long reader) is skipped and noted,
 * never an error: the pruning itself is already committed.
 */
export async function collectGarbage(path: string, options: GcOptions): Promise<GcResponse> {
  const started = Date.now();
  const bytesBefore = fileBytes(path);
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5_000}`);
    const dryRun = options.dryRun === true;
    let pruned = 0;
    for (const [kind, keys] of Object.entries(PRUNABLE_ATTRS)) {
      pruned += await pruneKind(db, kind, keys, options.before, dryRun, options.batchRows ?? 2_000);
    }
    const vacuum = dryRun ? { vacuumed: false, note: 'dry run' } : maybeVacuum(db, options.vacuumFreeRatio ?? 0.2);
    if (!dryRun) db.pragma('wal_checkpoint(TRUNCATE)');
    return {
      before: options.before,
      dry_run: dryRun,
      events_pruned: pruned,
      bytes_before: bytesBefore,
      bytes_after: fileBytes(path),
      vacuumed: vacuum.vacuumed,
      vacuum_note: vacuum.note,
      duration_ms: Date.now() - started,
    };
  } finally {
    db.close();
  }
}

/** Prunes one kind in seq-ordered batches; returns the events changed (or that would be). */
async function pruneKind(db: Database.Database, kind: string, keys: readonly string[], before: number, dryRun: boolean, batchRows: number): Promise<number> {
  const paths = keys.map((k) => `'$.${k}'`);
  const hasAny = keys.map((k) => `json_type(attrs, '$.${k}') IS NOT NULL`).join(' OR ');
  const select = db
    .prepare<[string, number, number, number], number>(`SELECT seq FROM events WHERE kind = ? AND ts < ? AND seq > ? AND (${hasAny}) ORDER BY seq LIMIT ?`)
    .pluck();
  const update = db.prepare<[number, number]>(`UPDATE events SET attrs = json_remove(attrs, ${paths.join(', ')}) WHERE seq >= ? AND seq <= ? AND kind = '${kind}' AND ts < ${Math.trunc(before)} AND (${hasAny})`);
  let after = 0;
  let changed = 0;
  for (;;) {
    const seqs = select.all(kind, before, after, batchRows);
    if (seqs.length === 0) return changed;
    const last = seqs[seqs.length - 1]!;
    if (dryRun) changed += seqs.length;
    else changed += db.transaction(() => update.run(seqs[0]!, last).changes).immediate();
    after = last;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function maybeVacuum(db: Database.Database, ratio: number): { vacuumed: boolean; note: string | null } {
  const pages = Number(db.pragma('page_count', { simple: true }));
  const free = Number(db.pragma('freelist_count', { simple: true }));
  if (pages === 0 || free / pages < ratio) return { vacuumed: false, note: `${free} of ${pages} pages free, under ${Math.round(ratio * 100)} %` };
  try {
    db.exec('VACUUM');
    return { vacuumed: true, note: null };
  } catch (error) {
    return { vacuumed: false, note: `vacuum skipped: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function fileBytes(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(`${path}${suffix}`).size;
    } catch {
      // No WAL file right now.
    }
  }
  return total;
}

/**
 * Writes a projected session: the `sessions` row (record JSON plus the
 * columns list queries filter and sort on, all taken from the record) and its
 * `session_usage` rows per model and per agent.
 */
import type Database from 'better-sqlite3';
import type { SessionRecord, UsageTotals } from '../../schema/index.js';

/** `last_activity` as the non-null sort column: unknown sorts after every known time. */
export function activityKeyOf(record: Pick<SessionRecord, 'last_activity'>): number {
  return record.last_activity ?? -1;
}

/** The `sessions` and `session_usage` tables, on the writer connection. */
export class SessionRows {
  readonly #currentRecord: Database.Statement<[string], string>;
  readonly #upsertSession: Database.Statement<unknown[]>;
  readonly #dropUsage: Database.Statement<[string]>;
  readonly #insertUsage: Database.Statement<unknown[]>;
  readonly #clear: () => void;

  constructor(db: Database.Database) {
    this.#currentRecord = db.prepare<[string], string>('SELECT record FROM sessions WHERE session_id = ?').pluck();
    const columns = [
      'session_id', 'activity_key', 'status', 'hidden', 'first_started_at', 'last_activity', 'cwd', 'git_branch',
      'github_repo', 'framework', 'model', 'tokens_input', 'tokens_output', 'tokens_cache_read', 'tokens_cache_write',
      'tokens_cache_write_1h', 'cost_usd', 'reported_cost_usd', 'record',
    ];
    const updates = columns.slice(1).map((c) => `${c} = excluded.${c}`).join(', ');
    this.#upsertSession = db.prepare<unknown[]>(
      `INSERT INTO sessions (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
       ON CONFLICT (session_id) DO UPDATE SET ${updates}`,
    );
    this.#dropUsage = db.prepare<[string]>('DELETE FROM session_usage WHERE session_id = ?');
    this.#insertUsage = db.prepare<unknown[]>(
      `INSERT INTO session_usage (session_id, dimension, name, requests, tokens_input, tokens_output,
         tokens_cache_read, tokens_cache_write, tokens_cache_write_1h, reported_cost_usd)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const clearSessions = db.prepare('DELETE FROM sessions');
    const clearUsage = db.prepare('DELETE FROM session_usage');
    this.#clear = () => {
      clearUsage.run();
      clearSessions.run();
    };
  }

  /**
   * Stores `record` exactly as given (its JSON text is the row's truth).
   * Returns false and writes nothing when the stored record is already identical.
   */
  write(record: SessionRecord): boolean {
    const json = JSON.stringify(record);
    if (this.#currentRecord.get(record.session_id) === json) return false;
    this.#upsertSession.run(
      record.session_id,
      activityKeyOf(record),
      record.status,
      record.hidden ? 1 : 0,
      record.first_started_at,
      record.last_activity,
      record.cwd,
      record.git_branch,
      record.github_repo,
      record.framework,
      record.model,
      record.tokens_input,
      record.tokens_output,
      record.tokens_cache_read,
      record.tokens_cache_write,
      record.tokens_cache_write_1h,
      record.cost_usd,
      record.reported_cost_usd,
      json,
    );
    this.#dropUsage.run(record.session_id);
    this.#writeUsage(record.session_id, 'model', record.usage_by_model);
    this.#writeUsage(record.session_id, 'agent', record.usage_by_agent);
    return true;
  }

  /** Deletes every session and usage row (rebuild recomputes them). */
  clear(): void {
    this.#clear();
  }

  #writeUsage(sessionId: string, dimension: 'model' | 'agent', slices: Record<string, UsageTotals>): void {
    for (const name of Object.keys(slices).sort()) {
      const u = slices[name]!;
      this.#insertUsage.run(
        sessionId,
        dimension,
        name,
        u.requests,
        u.tokens_input,
        u.tokens_output,
        u.tokens_cache_read,
        u.tokens_cache_write,
        u.tokens_cache_write_1h,
        u.reported_cost_usd,
      );
    }
  }
}

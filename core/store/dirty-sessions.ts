/**
 * The `dirty_sessions` table: sessions that received events their projection
 * does not reflect yet. Marks are written in the commit that inserts the
 * events, so they survive a crash exactly when the events do.
 */
import type Database from 'better-sqlite3';
import type { SessionSet } from './reprojector.js';

/** Statements over `dirty_sessions`, on the writer connection; call inside a write transaction. */
export class DirtySessions {
  readonly #mark: Database.Statement<[number]>;
  readonly #oldest: Database.Statement<[number], [number, string]>;
  readonly #unmark: Database.Statement<[number]>;
  readonly #count: Database.Statement<[], number>;
  readonly #clear: Database.Statement<[]>;

  constructor(db: Database.Database) {
    this.#mark = db.prepare<[number]>('INSERT INTO dirty_sessions (session_key) VALUES (?) ON CONFLICT (session_key) DO NOTHING');
    this.#oldest = db
      .prepare<[number], [number, string]>(
        `SELECT d.session_key, k.session_id FROM dirty_sessions d
         JOIN session_keys k ON k.session_key = d.session_key
         ORDER BY d.session_key LIMIT ?`,
      )
      .raw();
    this.#unmark = db.prepare<[number]>('DELETE FROM dirty_sessions WHERE session_key = ?');
    this.#count = db.prepare<[], number>('SELECT count(*) FROM dirty_sessions').pluck();
    this.#clear = db.prepare<[]>('DELETE FROM dirty_sessions');
  }

  /** Marks every session of `sessions` as behind its events. */
  markAll(sessions: SessionSet): void {
    for (const sessionKey of sessions.keys()) this.#mark.run(sessionKey);
  }

  /** Up to `limit` marked sessions, lowest key first (a stable order, so a budgeted caller makes progress). */
  take(limit: number): SessionSet {
    return new Map(this.#oldest.all(limit));
  }

  /** Clears the marks of sessions just re-projected. */
  unmarkAll(sessions: SessionSet): void {
    for (const sessionKey of sessions.keys()) this.#unmark.run(sessionKey);
  }

  /** How many sessions are marked. */
  count(): number {
    return this.#count.get() ?? 0;
  }

  /** Clears every mark (a rebuild re-projects everything). */
  clear(): void {
    this.#clear.run();
  }
}

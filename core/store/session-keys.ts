/**
 * Maps session ids to the small integer keys the ledger stores, creating a
 * key the first time a session is seen.
 */
import type Database from 'better-sqlite3';

/** Session id ↔ integer key, cached on the writer connection. */
export class SessionKeys {
  readonly #cache = new Map<string, number>();
  /** Keys inserted since the last {@link takeCreated}. */
  #created = new Set<number>();
  readonly #select: Database.Statement<[string], number>;
  readonly #insert: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.#select = db.prepare<[string], number>('SELECT session_key FROM session_keys WHERE session_id = ?').pluck();
    this.#insert = db.prepare<[string]>('INSERT INTO session_keys (session_id) VALUES (?)');
  }

  /** The key of `sessionId`, inserting a new one if needed. Call inside the write transaction. */
  keyOf(sessionId: string): number {
    const cached = this.#cache.get(sessionId);
    if (cached !== undefined) return cached;
    const found = this.#select.get(sessionId);
    let key = found;
    if (key === undefined) {
      key = Number(this.#insert.run(sessionId).lastInsertRowid);
      this.#created.add(key);
    }
    this.#cache.set(sessionId, key);
    return key;
  }

  /**
   * Keys inserted by {@link keyOf} since the last call, and forgets them. A
   * key created in the current transaction belongs to a session with no
   * events stored before it.
   */
  takeCreated(): Set<number> {
    const created = this.#created;
    this.#created = new Set();
    return created;
  }

  /**
   * Drops the cache. Must be called when a write transaction rolls back: keys
   * created inside it no longer exist and could be handed to another session.
   */
  forget(): void {
    this.#cache.clear();
    this.#created = new Set();
  }
}

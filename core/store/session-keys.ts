/**
 * Maps session ids to the small integer keys the ledger stores, creating a
 * key the first time a session is seen.
 */
import type Database from 'better-sqlite3';

/** Session id ↔ integer key, cached on the writer connection. */
export class SessionKeys {
  readonly #cache = new Map<string, number>();
  #createdLast = false;
  readonly #select: Database.Statement<[string], number>;
  readonly #insert: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.#select = db.prepare<[string], number>('SELECT session_key FROM session_keys WHERE session_id = ?').pluck();
    this.#insert = db.prepare<[string]>('INSERT INTO session_keys (session_id) VALUES (?)');
  }

  /** The key of `sessionId`, inserting a new one if needed. Call inside the write transaction. */
  keyOf(sessionId: string): number {
    this.#createdLast = false;
    const cached = this.#cache.get(sessionId);
    if (cached !== undefined) return cached;
    const found = this.#select.get(sessionId);
    this.#createdLast = found === undefined;
    const key = found ?? Number(this.#insert.run(sessionId).lastInsertRowid);
    this.#cache.set(sessionId, key);
    return key;
  }

  /**
   * Whether the latest {@link keyOf} call inserted its key: the session had
   * no events stored before the current transaction.
   */
  get createdLast(): boolean {
    return this.#createdLast;
  }

  /**
   * Drops the cache. Must be called when a write transaction rolls back: keys
   * created inside it no longer exist and could be handed to another session.
   */
  forget(): void {
    this.#cache.clear();
  }
}

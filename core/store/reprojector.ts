/**
 * Recomputes session projections from the ledger: the incremental path used
 * by every commit and the full path used by rebuild. Both feed the merge the
 * same input (every event of the session, read back from the ledger, and the
 * request keys other sessions own), so incremental equals rebuild.
 */
import type Database from 'better-sqlite3';
import type { NormalizedEvent } from '../../schema/index.js';
import { projectSession } from '../merge/index.js';
import type { RequestPricer } from '../merge/types.js';
import type { SessionEventCache } from './event-cache.js';
import { EVENT_COLUMNS, eventFromRow, type EventRow } from './event-rows.js';
import { CLAIM_KINDS, RequestClaims } from './request-claims.js';
import { SessionRows } from './session-rows.js';

/** Sessions by integer key → id. */
export type SessionSet = Map<number, string>;

/** Owns claims and projection rows on the writer connection; call only inside a write transaction. */
export class Reprojector {
  readonly #claims: RequestClaims;
  readonly #rows: SessionRows;
  readonly #machineId: string;
  readonly #price: RequestPricer | undefined;
  readonly #cache: SessionEventCache;
  readonly #loadEvents: Database.Statement<[number], EventRow>;
  readonly #loadClaimEvents: Database.Statement<[number], EventRow>;
  readonly #allSessions: Database.Statement<[], [number, string]>;

  /**
   * `cache` must already hold every event the current transaction inserted into a cached session.
   * `price` prices each request for `cost_usd`; without it cost stays null.
   */
  constructor(db: Database.Database, machineId: string, cache: SessionEventCache, price?: RequestPricer) {
    this.#claims = new RequestClaims(db);
    this.#rows = new SessionRows(db);
    this.#machineId = machineId;
    this.#price = price;
    this.#cache = cache;
    this.#loadEvents = db.prepare<[number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE session_key = ? ORDER BY ts, dedupe_key`).raw();
    this.#loadClaimEvents = db
      .prepare<[number], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE session_key = ? AND kind IN (${CLAIM_KINDS.map((k) => `'${k}'`).join(', ')}) ORDER BY ts, seq`,
      )
      .raw();
    this.#allSessions = db
      .prepare<[], [number, string]>(
        'SELECT k.session_key, k.session_id FROM session_keys k WHERE EXISTS (SELECT 1 FROM events e WHERE e.session_key = k.session_key) ORDER BY k.session_id',
      )
      .raw();
  }

  /**
   * Re-projects the sessions that received new events, plus every session
   * whose ownership of a request may have changed because of them. Returns
   * the ids of all sessions re-projected, sorted. `inMemory` holds the full
   * event lists of sessions the caller already has (sessions first seen in
   * this transaction that were not cached), in the form a load returns.
   * `added` holds, for other sessions whose claims matched their events
   * before this transaction (not dirty), the events it inserted, in that
   * form. The claims of both are brought up to date from the inserted events
   * alone (for a session first seen now, they are all its events).
   */
  reprojectAfterInsert(
    withNewEvents: SessionSet,
    inMemory: ReadonlyMap<number, NormalizedEvent[]> = new Map(),
    added: ReadonlyMap<number, readonly NormalizedEvent[]> = new Map(),
  ): string[] {
    const loaded = new Map<number, NormalizedEvent[]>();
    const changedKeys = new Set<string>();
    // Every claim must be current before any ownership is decided.
    for (const [sessionKey, sessionId] of withNewEvents) {
      const events = inMemory.get(sessionKey) ?? this.#loadCached(sessionKey, sessionId);
      loaded.set(sessionKey, events);
      const inserted = added.get(sessionKey) ?? inMemory.get(sessionKey);
      const changed = inserted === undefined ? this.#claims.sync(sessionKey, events) : this.#claims.syncAdded(sessionKey, inserted, events);
      for (const key of changed) changedKeys.add(key);
    }
    const touched: SessionSet = new Map(withNewEvents);
    for (const claimant of this.#claims.claimantsOf(changedKeys)) touched.set(claimant.session_key, claimant.session_id);
    const ordered = [...touched].sort((a, b) => compareIds(a[1], b[1]));
    for (const [sessionKey, sessionId] of ordered) {
      const events = loaded.get(sessionKey) ?? this.#loadCached(sessionKey, sessionId);
      loaded.delete(sessionKey);
      this.#project(sessionKey, sessionId, events);
    }
    return ordered.map(([, id]) => id);
  }

  /**
   * Drops every derived row and recomputes claims, lineage and projections
   * from the whole ledger, one session in memory at a time (the cache is
   * emptied, not filled: a rebuild touches every session once).
   */
  rebuildAll(): number {
    this.#cache.clear();
    this.#rows.clear();
    this.#claims.clear();
    const sessions = this.#allSessions.all();
    for (const [sessionKey, sessionId] of sessions) {
      const claimEvents = this.#loadClaimEvents.all(sessionKey).map((row) => eventFromRow(row, sessionId));
      this.#claims.sync(sessionKey, claimEvents);
    }
    for (const [sessionKey, sessionId] of sessions) this.#project(sessionKey, sessionId, this.#load(sessionKey, sessionId));
    return sessions.length;
  }

  #project(sessionKey: number, sessionId: string, events: readonly NormalizedEvent[]): void {
    const foreign = this.#claims.foreignKeysOf(sessionKey, sessionId);
    this.#rows.write(projectSession(events, { machine_id: this.#machineId, foreign_request_keys: foreign, price: this.#price, distinct_keys: true }));
  }

  #loadCached(sessionKey: number, sessionId: string): NormalizedEvent[] {
    const cached = this.#cache.get(sessionKey);
    if (cached !== undefined) return cached;
    const events = this.#load(sessionKey, sessionId);
    this.#cache.put(sessionKey, events);
    return events;
  }

  #load(sessionKey: number, sessionId: string): NormalizedEvent[] {
    return this.#loadEvents.all(sessionKey).map((row) => eventFromRow(row, sessionId));
  }
}

/** Orders session ids by code unit, as the store lists them. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

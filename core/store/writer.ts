/**
 * The single writer: inserts events, advances checkpoints and re-projects the
 * touched sessions, every call one synchronous IMMEDIATE transaction on the
 * one writer connection.
 */
import type Database from 'better-sqlite3';
import type { NormalizedEvent } from '../../schema/index.js';
import type { RequestPricer } from '../merge/types.js';
import type { Checkpoint, CheckpointReader } from '../pipeline/sink.js';
import { SessionEventCache } from './event-cache.js';
import { eventAsLoaded, insertParams } from './event-rows.js';
import { Reprojector, type SessionSet } from './reprojector.js';
import { SessionKeys } from './session-keys.js';
import type { CommitResult, LedgerWriter } from './types.js';

/** What the writer needs besides its connection. */
export interface WriterOptions {
  /** Copied into every session record. */
  machineId: string;
  /** Clock for checkpoint `updated_at`, ms since epoch. */
  now: () => number;
  /** Most events of recently projected sessions kept in memory (0 disables); see `SessionEventCache`. */
  eventCacheEvents?: number;
  /** Prices each request for the records' `cost_usd` (the daemon's price table); without it cost stays null. */
  price?: RequestPricer;
}

/** {@link LedgerWriter} over better-sqlite3; also serves collectors' checkpoints at start-up. */
export class SqliteLedgerWriter implements LedgerWriter, CheckpointReader {
  readonly #db: Database.Database;
  readonly #now: () => number;
  readonly #keys: SessionKeys;
  readonly #cache: SessionEventCache;
  readonly #reprojector: Reprojector;
  readonly #insertEvent: Database.Statement<unknown[]>;
  readonly #upsertCheckpoint: Database.Statement<[string, string, string, number]>;
  readonly #checkpointsOf: Database.Statement<[string], [string, string]>;
  readonly #countEvents: Database.Statement<[], number>;
  readonly #commitTx: (events: readonly NormalizedEvent[], checkpoints: readonly Checkpoint[]) => CommitResult;
  readonly #rebuildTx: () => { sessions: number; events: number };
  #closed = false;

  /** Takes ownership of a migrated writer connection. */
  constructor(db: Database.Database, options: WriterOptions) {
    this.#db = db;
    this.#now = options.now;
    this.#keys = new SessionKeys(db);
    this.#cache = new SessionEventCache(options.eventCacheEvents);
    this.#reprojector = new Reprojector(db, options.machineId, this.#cache, options.price);
    this.#insertEvent = db.prepare<unknown[]>(
      `INSERT INTO events (dedupe_key, source, framework, session_key, agent_id, ts, received_at, kind, attrs)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
    );
    this.#upsertCheckpoint = db.prepare<[string, string, string, number]>(
      `INSERT INTO checkpoints (collector, key, value, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (collector, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.#checkpointsOf = db.prepare<[string], [string, string]>('SELECT key, value FROM checkpoints WHERE collector = ?').raw();
    this.#countEvents = db.prepare<[], number>('SELECT count(*) FROM events').pluck();
    const commitTx = db.transaction((events: readonly NormalizedEvent[], checkpoints: readonly Checkpoint[]) =>
      this.#commitBody(events, checkpoints),
    );
    this.#commitTx = (events, checkpoints) => commitTx.immediate(events, checkpoints);
    const rebuildTx = db.transaction(() => ({ sessions: this.#reprojector.rebuildAll(), events: this.#countEvents.get() ?? 0 }));
    this.#rebuildTx = () => rebuildTx.immediate();
  }

  /**
   * One transaction: inserts the events (a known dedupe key is a duplicate,
   * including one repeated earlier in the same call), upserts the checkpoints
   * in order (the last value for a key wins), re-projects the sessions that
   * got new events and those whose request ownership they changed. Throws, with
   * nothing written, when any step fails.
   */
  commit(events: readonly NormalizedEvent[], checkpoints: readonly Checkpoint[]): CommitResult {
    return this.#withRollbackGuard(() => this.#commitTx(events, checkpoints));
  }

  /** Drops the projection, claims and lineage, and recomputes them from the ledger in one transaction. */
  rebuild(): { sessions: number; events: number } {
    return this.#withRollbackGuard(() => this.#rebuildTx());
  }

  /** Committed checkpoints of one collector, key → value. */
  loadCheckpoints(collector: string): Map<string, string> {
    return new Map(this.#checkpointsOf.all(collector));
  }

  /** {@link CheckpointReader} view of {@link loadCheckpoints}. */
  load(collector: string): Map<string, string> {
    return this.loadCheckpoints(collector);
  }

  /** Closes the writer connection; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #commitBody(events: readonly NormalizedEvent[], checkpoints: readonly Checkpoint[]): CommitResult {
    const insertedFlags: boolean[] = new Array<boolean>(events.length);
    const withNewEvents: SessionSet = new Map();
    let inserted = 0;
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      const sessionKey = this.#keys.keyOf(event.session_id);
      const attrsJson = JSON.stringify(event.attrs);
      const isNew = this.#insertEvent.run(...insertParams(event, sessionKey, attrsJson)).changes > 0;
      insertedFlags[i] = isNew;
      if (!isNew) continue;
      inserted++;
      if (this.#cache.holds(sessionKey)) this.#cache.append(sessionKey, eventAsLoaded(event, attrsJson));
      withNewEvents.set(sessionKey, event.session_id);
    }
    const now = this.#now();
    for (const cp of checkpoints) this.#upsertCheckpoint.run(cp.collector, cp.key, cp.value, now);
    const touched = withNewEvents.size > 0 ? this.#reprojector.reprojectAfterInsert(withNewEvents) : [];
    return { inserted, duplicates: events.length - inserted, touched_sessions: touched, inserted_flags: insertedFlags };
  }

  #withRollbackGuard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      // Session keys created and events cached inside the rolled-back transaction are gone.
      this.#keys.forget();
      this.#cache.clear();
      throw error;
    }
  }
}

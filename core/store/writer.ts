/**
 * The single writer: inserts events, advances checkpoints and re-projects the
 * touched sessions, every call one synchronous IMMEDIATE transaction on the
 * one writer connection. Projection can trail the inserts: `commitDeferred`
 * only marks the sessions dirty (in the same transaction) and
 * `reprojectDirty` catches up later, so a session touched by many commits of
 * a backfill is projected a few times instead of once per commit.
 */
import type Database from 'better-sqlite3';
import type { NormalizedEvent } from '../../schema/index.js';
import { compareEvents } from '../merge/index.js';
import type { RequestPricer } from '../merge/types.js';
import type { StoredAttrs } from '../pipeline/commit-group.js';
import type { Checkpoint, CheckpointReader } from '../pipeline/sink.js';
import { DirtySessions } from './dirty-sessions.js';
import { SessionEventCache } from './event-cache.js';
import { eventAsLoaded, insertParams, withWellFormedIds } from './event-rows.js';
import { compareIds, Reprojector, type SessionSet } from './reprojector.js';
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
  /** Monotonic clock in ms for `reprojectDirty`'s budget; default `performance.now`. */
  clock?: () => number;
}

/** What one {@link SqliteLedgerWriter.reprojectDirty} call did. */
export interface DirtyProjection {
  /** Sessions re-projected (the dirty ones and the claimants whose ownership they changed), sorted. */
  touched_sessions: string[];
  /** Sessions still dirty because the budget ran out. */
  remaining: number;
}

/**
 * A session whose newest event is at least this much older than now is
 * history (a backfill of old transcripts), not a session being worked on:
 * it is projected but not kept in the event cache, where it would only push
 * out live sessions and hold memory. ms.
 */
export const LIVE_SESSION_WINDOW_MS = 3_600_000;

/** Dirty sessions re-projected per transaction by `reprojectDirty`: small enough to stop near the budget. */
const DIRTY_CHUNK_SESSIONS = 32;

/** {@link LedgerWriter} over better-sqlite3; also serves collectors' checkpoints at start-up. */
export class SqliteLedgerWriter implements LedgerWriter, CheckpointReader {
  readonly #db: Database.Database;
  readonly #now: () => number;
  readonly #keys: SessionKeys;
  readonly #cache: SessionEventCache;
  readonly #reprojector: Reprojector;
  readonly #dirty: DirtySessions;
  readonly #clock: () => number;
  readonly #insertEvent: Database.Statement<unknown[]>;
  readonly #upsertCheckpoint: Database.Statement<[string, string, string, number]>;
  readonly #deleteCheckpoint: Database.Statement<[string, string]>;
  readonly #checkpointsOf: Database.Statement<[string], [string, string]>;
  readonly #countEvents: Database.Statement<[], number>;
  readonly #commitTx: (events: readonly NormalizedEvent[], checkpoints: readonly Checkpoint[], storedAttrs?: StoredAttrs) => CommitResult;
  readonly #commitDeferredTx: (events: readonly NormalizedEvent[], checkpoints: readonly Checkpoint[], storedAttrs?: StoredAttrs) => CommitResult;
  readonly #reprojectChunkTx: () => string[] | null;
  readonly #rebuildTx: () => { sessions: number; events: number };
  #closed = false;

  /** Takes ownership of a migrated writer connection. */
  constructor(db: Database.Database, options: WriterOptions) {
    this.#db = db;
    this.#now = options.now;
    this.#keys = new SessionKeys(db);
    this.#cache = new SessionEventCache(options.eventCacheEvents, (events) => this.#isLive(events));
    this.#reprojector = new Reprojector(db, options.machineId, this.#cache, options.price);
    this.#dirty = new DirtySessions(db);
    this.#clock = options.clock ?? (() => performance.now());
    this.#insertEvent = db.prepare<unknown[]>(
      `INSERT INTO events (dedupe_key, source, framework, session_key, agent_id, ts, received_at, kind, attrs)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
    );
    this.#upsertCheckpoint = db.prepare<[string, string, string, number]>(
      `INSERT INTO checkpoints (collector, key, value, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (collector, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.#deleteCheckpoint = db.prepare<[string, string]>('DELETE FROM checkpoints WHERE collector = ? AND key = ?');
    this.#checkpointsOf = db.prepare<[string], [string, string]>('SELECT key, value FROM checkpoints WHERE collector = ?').raw();
    this.#countEvents = db.prepare<[], number>('SELECT count(*) FROM events').pluck();
    const commitTx = db.transaction((events: readonly NormalizedEvent[], checkpoints: readonly Checkpoint[], storedAttrs?: StoredAttrs) => {
      const { result, withNewEvents, fresh, appended } = this.#insertBody(events, checkpoints, storedAttrs);
      // The sessions this batch touched are projected straight from memory; only marks
      // left by earlier deferred commits go through the table. One set, one pass.
      const leftBehind = this.#dirty.take(Number.MAX_SAFE_INTEGER);
      const sessions: SessionSet = new Map([...withNewEvents, ...leftBehind]);
      // A dirty session's claims trail its events: those are synced from all of them.
      for (const sessionKey of leftBehind.keys()) appended.delete(sessionKey);
      const touched = sessions.size === 0 ? [] : this.#reprojector.reprojectAfterInsert(sessions, fresh, appended);
      this.#dirty.unmarkAll(leftBehind);
      return { ...result, touched_sessions: touched };
    });
    this.#commitTx = (events, checkpoints, storedAttrs) => commitTx.immediate(events, checkpoints, storedAttrs);
    const commitDeferredTx = db.transaction((events: readonly NormalizedEvent[], checkpoints: readonly Checkpoint[], storedAttrs?: StoredAttrs) => {
      const { result, withNewEvents } = this.#insertBody(events, checkpoints, storedAttrs);
      this.#dirty.markAll(withNewEvents);
      return result;
    });
    this.#commitDeferredTx = (events, checkpoints, storedAttrs) => commitDeferredTx.immediate(events, checkpoints, storedAttrs);
    const reprojectChunkTx = db.transaction(() => this.#reprojectDirtyChunk(DIRTY_CHUNK_SESSIONS));
    this.#reprojectChunkTx = () => reprojectChunkTx.immediate();
    const rebuildTx = db.transaction(() => {
      this.#dirty.clear();
      return { sessions: this.#reprojector.rebuildAll(), events: this.#countEvents.get() ?? 0 };
    });
    this.#rebuildTx = () => rebuildTx.immediate();
  }

  /**
   * One transaction: inserts the events (a known dedupe key is a duplicate,
   * including one repeated earlier in the same call), upserts the checkpoints
   * in order (the last value for a key wins; a null value deletes it), re-projects the sessions that
   * got new events (and any still dirty from earlier deferred commits) and
   * those whose request ownership they changed. Throws, with
   * nothing written, when any step fails. Where `storedAttrs` has a text,
   * the event is in stored form already (see `IngestBatch.attrsJson`): the
   * text is stored as is and the event object kept. A lone surrogate in a
   * dedupe key, session id or agent id is stored, kept in memory and reported
   * in `touched_sessions` as U+FFFD (see `withWellFormedIds`).
   */
  commit(events: readonly NormalizedEvent[], checkpoints: readonly Checkpoint[], storedAttrs?: StoredAttrs): CommitResult {
    return this.#withRollbackGuard(() => this.#commitTx(events, checkpoints, storedAttrs));
  }

  /**
   * Like {@link commit} but leaves projection for {@link reprojectDirty}: one
   * transaction inserts the events, upserts the checkpoints and marks the
   * sessions that got new events dirty (so a crash right after still
   * re-projects them on the next open). `touched_sessions` is empty.
   */
  commitDeferred(events: readonly NormalizedEvent[], checkpoints: readonly Checkpoint[], storedAttrs?: StoredAttrs): CommitResult {
    return this.#withRollbackGuard(() => this.#commitDeferredTx(events, checkpoints, storedAttrs));
  }

  /**
   * Re-projects dirty sessions, a few per transaction, until none is left or
   * `budgetMs` has passed (at least one transaction runs). The result equals
   * what immediate projection would have stored. Throws when a transaction
   * fails; its sessions stay dirty.
   */
  reprojectDirty(budgetMs: number = Number.POSITIVE_INFINITY): DirtyProjection {
    const deadline = this.#clock() + budgetMs;
    const touched = new Set<string>();
    for (;;) {
      const ids = this.#withRollbackGuard(() => this.#reprojectChunkTx());
      if (ids === null) return { touched_sessions: [...touched].sort(compareIds), remaining: 0 };
      for (const id of ids) touched.add(id);
      if (this.#clock() >= deadline) return { touched_sessions: [...touched].sort(compareIds), remaining: this.#dirty.count() };
    }
  }

  /** What the event cache holds now, and its budget in events. */
  cacheStats(): { sessions: number; events: number; budget: number } {
    return { sessions: this.#cache.sessions, events: this.#cache.size, budget: this.#cache.budget };
  }

  /** Sessions whose projection trails their events. */
  dirtyCount(): number {
    return this.#dirty.count();
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

  /**
   * Inserts events and upserts checkpoints; returns the counts and the
   * sessions that got new events. A session first seen in this transaction
   * has no other events, so its full list is known from memory: it goes into
   * the event cache when live, and `fresh` hands every such list (sorted, as
   * a load returns it) to this commit's projection. `appended` lists, for
   * each session that stayed cached, the events appended to its cached list.
   */
  #insertBody(
    events: readonly NormalizedEvent[],
    checkpoints: readonly Checkpoint[],
    storedAttrs: StoredAttrs | undefined,
  ): { result: CommitResult; withNewEvents: SessionSet; fresh: Map<number, NormalizedEvent[]>; appended: Map<number, NormalizedEvent[]> } {
    const insertedFlags: boolean[] = new Array<boolean>(events.length);
    const withNewEvents: SessionSet = new Map();
    const fresh = new Map<number, NormalizedEvent[]>();
    const appended = new Map<number, NormalizedEvent[]>();
    let inserted = 0;
    for (let i = 0; i < events.length; i++) {
      const event = withWellFormedIds(events[i]!);
      const sessionKey = this.#keys.keyOf(event.session_id);
      if (this.#keys.createdLast) fresh.set(sessionKey, []);
      const stored = storedAttrs?.[i];
      const attrsJson = stored ?? JSON.stringify(event.attrs);
      const isNew = this.#insertEvent.run(insertParams(event, sessionKey, attrsJson)).changes > 0;
      insertedFlags[i] = isNew;
      if (!isNew) continue;
      inserted++;
      withNewEvents.set(sessionKey, event.session_id);
      const freshList = fresh.get(sessionKey);
      if (freshList === undefined && !this.#cache.holds(sessionKey)) {
        // Not cached, or evicted by an earlier append of this very batch: its list
        // of appended events would be incomplete, so its claims are synced from all events.
        appended.delete(sessionKey);
        continue;
      }
      const loaded = stored === undefined ? eventAsLoaded(event, attrsJson) : event;
      if (freshList !== undefined) {
        freshList.push(loaded);
        continue;
      }
      this.#cache.append(sessionKey, loaded);
      const list = appended.get(sessionKey);
      if (list === undefined) appended.set(sessionKey, [loaded]);
      else list.push(loaded);
    }
    for (const [sessionKey, list] of fresh) {
      // Only inserted events are listed, so keys are distinct and a sort is all
      // `sortEvents` would do (in place: the list is this call's own; TimSort is
      // linear on the usual already-ordered input). The cache keeps it when live.
      // An empty list (a new session that got only duplicates) has no new events,
      // so the projection never looks it up.
      if (list.length > 0) this.#cache.put(sessionKey, list.sort(compareEvents));
    }
    const now = this.#now();
    for (const cp of checkpoints) {
      if (cp.value === null) this.#deleteCheckpoint.run(cp.collector, cp.key);
      else this.#upsertCheckpoint.run(cp.collector, cp.key, cp.value, now);
    }
    return { result: { inserted, duplicates: events.length - inserted, touched_sessions: [], inserted_flags: insertedFlags }, withNewEvents, fresh, appended };
  }

  /** Re-projects up to `limit` dirty sessions as one set and unmarks them; null when none was dirty. */
  #reprojectDirtyChunk(limit: number): string[] | null {
    const sessions = this.#dirty.take(limit);
    if (sessions.size === 0) return null;
    const touched = this.#reprojector.reprojectAfterInsert(sessions);
    this.#dirty.unmarkAll(sessions);
    return touched;
  }

  /** A session worth caching: its newest event (lists are in merge order) is within the live window. */
  #isLive(sorted: readonly NormalizedEvent[]): boolean {
    const newest = sorted.at(-1);
    return newest !== undefined && newest.ts > this.#now() - LIVE_SESSION_WINDOW_MS;
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


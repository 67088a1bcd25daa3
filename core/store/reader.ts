/**
 * The read side: session lists, lookups and timelines on a read-only
 * connection. Every query is one statement, so each answer is one consistent
 * WAL snapshot even while the writer commits.
 */
import type Database from 'better-sqlite3';
import { DossierError, type SessionRecord, type StoredEvent } from '../../schema/index.js';
import { SessionLister } from '../query/session-list.js';
import { SessionStats, type StatsResult } from '../query/stats.js';
import type { SessionFilterSpec } from '../query/session-filter.js';
import type { ZoneCalendar } from '../query/time-zone.js';
import type { StatsGroupBy } from '../../schema/index.js';
import { decodeEventCursor, encodeEventCursor } from './cursor.js';
import { EVENT_COLUMNS, storedEventFromRow, type EventRow } from './event-rows.js';
import type { EventFilter, LedgerReader, SessionFilter } from './types.js';

/** Largest page `listSessions` returns, whatever the filter asks. */
export const MAX_SESSION_PAGE = 1_000;
/** Largest page `listEvents` returns, whatever the filter asks. */
export const MAX_EVENT_PAGE = 10_000;
/** How many candidate ids an ambiguous prefix lookup reports. */
export const MAX_AMBIGUOUS_IDS = 20;

/** {@link LedgerReader} over a read-only better-sqlite3 connection, which it owns. */
export class SqliteLedgerReader implements LedgerReader {
  readonly #db: Database.Database;
  readonly #lister: SessionLister;
  readonly #stats: SessionStats;
  readonly #recordById: Database.Statement<[string], string>;
  readonly #idsByPrefix: Database.Statement<[{ prefix: string; limit: number }], string>;
  readonly #sessionKey: Database.Statement<[string], number>;
  readonly #listEvents: Database.Statement<Record<string, unknown>, EventRow>;
  readonly #countEvents: Database.Statement<[], number>;
  readonly #countSessions: Database.Statement<[], number>;
  readonly #fileFacts: Database.Statement<[], { bytes: number; schema_version: number }>;
  #closed = false;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#lister = new SessionLister(db);
    this.#stats = new SessionStats(db);
    this.#recordById = db.prepare<[string], string>('SELECT record FROM sessions WHERE session_id = ?').pluck();
    this.#idsByPrefix = db
      .prepare<[{ prefix: string; limit: number }], string>(
        'SELECT session_id FROM sessions WHERE substr(session_id, 1, length(@prefix)) = @prefix ORDER BY session_id LIMIT @limit',
      )
      .pluck();
    this.#sessionKey = db.prepare<[string], number>('SELECT session_key FROM session_keys WHERE session_id = ?').pluck();
    this.#listEvents = db
      .prepare<Record<string, unknown>, EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events
         WHERE session_key = @session_key
           AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds)))
           AND (@sources IS NULL OR source IN (SELECT value FROM json_each(@sources)))
           AND ts >= @after_ts AND (ts > @after_ts OR seq > @after_seq)
         ORDER BY ts, seq
         LIMIT @limit`,
      )
      .raw();
    // The ledger only ever appends (nothing deletes events; gc trims attrs in
    // place), and SQLite gives each new row max(seq) + 1, so the largest seq is
    // the count: an index probe instead of a walk over millions of entries on
    // every `dossier status`. A test holds this against count(*).
    this.#countEvents = db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM events').pluck();
    this.#countSessions = db.prepare<[], number>('SELECT count(*) FROM sessions').pluck();
    this.#fileFacts = db.prepare<[], { bytes: number; schema_version: number }>(
      `SELECT (SELECT page_count FROM pragma_page_count()) * (SELECT page_size FROM pragma_page_size()) AS bytes,
              (SELECT user_version FROM pragma_user_version()) AS schema_version`,
    );
  }

  /**
   * Sessions matching every filter, in the filter's sort (default: most
   * recent activity first, unknown activity last), ties by id. `next_cursor`
   * is set only when more rows follow.
   */
  listSessions(filter: SessionFilter): { sessions: SessionRecord[]; next_cursor: string | null } {
    return this.#lister.list({ ...filter, sort: filter.sort ?? 'activity', order: filter.order ?? 'desc', limit: pageSize(filter.limit, MAX_SESSION_PAGE) });
  }

  /** Totals and per-group sums over the sessions `filter` keeps (see core/query/stats.ts). */
  sessionStats(filter: SessionFilterSpec, groupBy: StatsGroupBy | null, calendar: ZoneCalendar): StatsResult {
    return this.#stats.compute(filter, groupBy, calendar);
  }

  /**
   * The session with this exact id, else the only session whose id starts
   * with it; several matches give their ids (at most {@link MAX_AMBIGUOUS_IDS}),
   * none (or an empty string) gives null.
   */
  findSession(idOrPrefix: string): { session: SessionRecord } | { ambiguous: string[] } | null {
    if (idOrPrefix.length === 0) return null;
    const exact = this.#recordById.get(idOrPrefix);
    if (exact !== undefined) return { session: JSON.parse(exact) as SessionRecord };
    const ids = this.#idsByPrefix.all({ prefix: idOrPrefix, limit: MAX_AMBIGUOUS_IDS });
    if (ids.length === 0) return null;
    if (ids.length > 1) return { ambiguous: ids };
    const record = this.#recordById.get(ids[0]!);
    return record === undefined ? null : { session: JSON.parse(record) as SessionRecord };
  }

  /** One session's events, oldest first by ts then seq; unknown sessions have none. */
  listEvents(sessionId: string, filter: EventFilter): { events: StoredEvent[]; next_cursor: string | null } {
    const limit = pageSize(filter.limit, MAX_EVENT_PAGE);
    const after = filter.cursor === undefined ? null : decodeEventCursor(filter.cursor);
    const sessionKey = this.#sessionKey.get(sessionId);
    if (sessionKey === undefined) return { events: [], next_cursor: null };
    const rows = this.#listEvents.all({
      session_key: sessionKey,
      kinds: filter.kinds && filter.kinds.length > 0 ? JSON.stringify(filter.kinds) : null,
      sources: filter.sources && filter.sources.length > 0 ? JSON.stringify(filter.sources) : null,
      after_ts: after ? after[0] : -1,
      after_seq: after ? after[1] : -1,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit).map((row) => storedEventFromRow(row, sessionId));
    const last = page[page.length - 1];
    return { events: page, next_cursor: rows.length > limit && last ? encodeEventCursor([last.ts, last.seq]) : null };
  }

  /** Row counts, database size in bytes (main file) and schema version. */
  totals(): { events: number; sessions: number; bytes: number; schema_version: number } {
    const facts = this.#fileFacts.get() ?? { bytes: 0, schema_version: 0 };
    return {
      events: this.#countEvents.get() ?? 0,
      sessions: this.#countSessions.get() ?? 0,
      bytes: facts.bytes,
      schema_version: facts.schema_version,
    };
  }

  /** Closes the read connection; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}

function pageSize(requested: number, max: number): number {
  if (!Number.isSafeInteger(requested) || requested < 1) {
    throw new DossierError('DOSSIER_E_API_BAD_QUERY', `limit: must be a positive integer (got ${String(requested)})`);
  }
  return Math.min(requested, max);
}

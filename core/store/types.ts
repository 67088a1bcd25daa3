/**
 * The store's contract with the pipeline (writes) and the query API (reads).
 * One writer connection owns all writes; readers use read-only connections.
 */
import type { NormalizedEvent, SessionRecord, StatsGroupBy, StoredEvent } from '../../schema/index.js';
import type { SessionFilterSpec } from '../query/session-filter.js';
import type { SessionSort, SortOrder } from '../query/session-list.js';
import type { StatsResult } from '../query/stats.js';
import type { ZoneCalendar } from '../query/time-zone.js';
import type { Checkpoint } from '../pipeline/sink.js';

/** What one committed batch did. */
export interface CommitResult {
  inserted: number;
  duplicates: number;
  /** Sessions whose projection was recomputed, sorted. */
  touched_sessions: string[];
  /**
   * One flag per event given to `commit`, in order: true when that event was
   * new. An event repeating a dedupe key seen earlier in the same call is
   * false. Lets the pipeline give each coalesced submitter its own counts.
   */
  inserted_flags: boolean[];
}

/** Filters, sort and page of a session list (every filter of core/query/session-filter.ts). */
export interface SessionFilter extends SessionFilterSpec {
  /** Default `activity`. */
  sort?: SessionSort;
  /** Default `desc`. */
  order?: SortOrder;
  limit: number;
  /** Opaque cursor from a previous page of the same sort and order. */
  cursor?: string;
}

/** Filters for a session's timeline. */
export interface EventFilter {
  kinds?: string[];
  sources?: string[];
  limit: number;
  cursor?: string;
}

/** The single writer. Every method runs one synchronous transaction. */
export interface LedgerWriter {
  /**
   * Inserts the events (a known dedupe key is ignored), upserts the
   * checkpoints and re-projects every touched session, all in one transaction.
   */
  commit(events: readonly NormalizedEvent[], checkpoints: readonly Checkpoint[]): CommitResult;
  /** Drops the projection and recomputes every session from the ledger. */
  rebuild(): { sessions: number; events: number };
  loadCheckpoints(collector: string): Map<string, string>;
  close(): void;
}

/** Read side, on its own read-only connection. */
export interface LedgerReader {
  listSessions(filter: SessionFilter): { sessions: SessionRecord[]; next_cursor: string | null };
  /** By full id or unique prefix. */
  findSession(idOrPrefix: string): { session: SessionRecord } | { ambiguous: string[] } | null;
  listEvents(sessionId: string, filter: EventFilter): { events: StoredEvent[]; next_cursor: string | null };
  /** Totals and per-group sums over the sessions a filter keeps. */
  sessionStats(filter: SessionFilterSpec, groupBy: StatsGroupBy | null, calendar: ZoneCalendar): StatsResult;
  totals(): { events: number; sessions: number; bytes: number; schema_version: number };
  close(): void;
}

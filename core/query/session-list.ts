/**
 * The filtered, sorted session list with keyset pagination. A cursor holds
 * the sort, the direction and the last row's (key, id); the next page starts
 * strictly after it, so sessions that arrive between pages sort before or
 * after the cursor and never shift or repeat the rows in between.
 */
import type Database from 'better-sqlite3';
import { DossierError, type SessionRecord } from '../../schema/index.js';
import { compileSessionFilter, DURATION_SQL, type SessionFilterSpec } from './session-filter.js';
import { decodeCursor, encodeCursor, NOT_A_CURSOR } from '../store/cursor.js';

/** Sort orders of the list. */
export const SESSION_SORTS = ['activity', 'start', 'duration', 'tokens', 'cost'] as const;
/** One of {@link SESSION_SORTS}. */
export type SessionSort = (typeof SESSION_SORTS)[number];
/** Sort direction; `desc` (largest first) by default. */
export type SortOrder = 'asc' | 'desc';

/**
 * Each sort's key as a never-null SQL expression: an unknown value is -1,
 * which sorts after every known one in the default (descending) order.
 */
export const SORT_KEY_SQL: Readonly<Record<SessionSort, string>> = {
  activity: 'activity_key',
  start: 'coalesce(first_started_at, -1)',
  duration: `coalesce(${DURATION_SQL}, -1)`,
  tokens: '(tokens_input + tokens_output + tokens_cache_read + tokens_cache_write)',
  cost: 'coalesce(cost_usd, -1)',
};

/** One page request. */
export interface SessionListSpec extends SessionFilterSpec {
  sort: SessionSort;
  order: SortOrder;
  limit: number;
  /** Opaque cursor from a previous page of the same sort and order. */
  cursor?: string;
}

/** One page. */
export interface SessionPage {
  sessions: SessionRecord[];
  next_cursor: string | null;
}

interface PageRow {
  session_id: string;
  sort_key: number;
  record: string;
}

/** Runs list queries on one read connection, preparing each distinct statement once. */
export class SessionLister {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement<Record<string, unknown>, PageRow>>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /** One page of sessions matching every filter, in the requested order, ties by id. */
  list(spec: SessionListSpec): SessionPage {
    const filter = compileSessionFilter(spec);
    const after = spec.cursor === undefined ? null : decodeListCursor(spec.cursor, spec.sort, spec.order);
    const key = SORT_KEY_SQL[spec.sort];
    const direction = spec.order === 'desc' ? 'DESC' : 'ASC';
    const beyond = spec.order === 'desc' ? '<' : '>';
    const keyset = after ? ` AND (${key} ${beyond} @c_key OR (${key} = @c_key AND session_id > @c_id))` : '';
    // The page is chosen on narrow rows first; only its own rows' record JSON is read.
    const sql = `WITH page AS (
        SELECT rowid AS row_ref, session_id, ${key} AS sort_key FROM sessions
        WHERE ${filter.sql}${keyset}
        ORDER BY sort_key ${direction}, session_id LIMIT @limit)
      SELECT page.session_id, page.sort_key, sessions.record FROM page JOIN sessions ON sessions.rowid = page.row_ref
      ORDER BY page.sort_key ${direction}, page.session_id`;
    const rows = this.#statement(sql).all({
      ...filter.params,
      ...(after ? { c_key: after.key, c_id: after.id } : {}),
      limit: spec.limit + 1,
    });
    const page = rows.slice(0, spec.limit);
    const last = page[page.length - 1];
    return {
      sessions: page.map((row) => JSON.parse(row.record) as SessionRecord),
      next_cursor: rows.length > spec.limit && last ? encodeListCursor(spec.sort, spec.order, last.sort_key, last.session_id) : null,
    };
  }

  #statement(sql: string): Database.Statement<Record<string, unknown>, PageRow> {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare<Record<string, unknown>, PageRow>(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

/** Encodes a list cursor (base64url JSON). */
export function encodeListCursor(sort: SessionSort, order: SortOrder, key: number, id: string): string {
  return encodeCursor({ s: sort, o: order, k: key, i: id });
}

/** Decodes a list cursor; refuses one that is malformed or from another sort or order. */
export function decodeListCursor(cursor: string, sort: SessionSort, order: SortOrder): { key: number; id: string } {
  const v = decodeCursor(cursor) as { s?: unknown; o?: unknown; k?: unknown; i?: unknown } | null;
  if (v === null || typeof v !== 'object' || typeof v.k !== 'number' || !Number.isFinite(v.k) || typeof v.i !== 'string') {
    throw badCursor(NOT_A_CURSOR);
  }
  if (v.s !== sort || v.o !== order) throw badCursor(`made for sort=${String(v.s)} order=${String(v.o)}, not sort=${sort} order=${order}`);
  return { key: v.k, id: v.i };
}

function badCursor(reason: string): DossierError {
  return new DossierError('DOSSIER_E_API_BAD_QUERY', `cursor: ${reason}`);
}

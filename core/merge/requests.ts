/**
 * Identity of API requests across sources and sessions: the key that joins a
 * transcript line to its OTel `api_request` record, and the rule that decides
 * which session owns a request copied into several sessions (fork, old-style
 * resume).
 */
import type { EventOf, NormalizedEvent } from '../../schema/index.js';
import { sortEvents } from './order.js';
import { SourcePick } from './pick.js';

/** Model name Claude Code writes on lines it made up itself (API error notices, "No response requested."). */
export const SYNTHETIC_MODEL = '<synthetic>';

/**
 * Identity of an API request: `req:<request_id>` when present, else
 * `msg:<message_id>`, else `evt:<dedupe_key>`. Transcript lines carry both
 * ids and OTel only `request_id`, so `request_id` is the join key. A lone
 * surrogate in the id becomes U+FFFD: the store keeps request keys in SQLite,
 * which gives such text back changed, and a key must read back as written.
 */
export function requestKey(e: EventOf<'api.request'>): string {
  const key = e.attrs.request_id !== undefined ? `req:${e.attrs.request_id}` : e.attrs.message_id !== undefined ? `msg:${e.attrs.message_id}` : `evt:${e.dedupe_key}`;
  return key.isWellFormed() ? key : key.toWellFormed();
}

/** True for an `api.request` that is a real API call (not a `<synthetic>` line written by the agent itself). */
export function isRealRequest(e: EventOf<'api.request'>): boolean {
  return e.attrs.model !== SYNTHETIC_MODEL;
}

/**
 * Distinct request keys of a session's real API requests, sorted. The store
 * uses them to find requests claimed by several sessions.
 */
export function requestKeysOf(events: readonly NormalizedEvent[]): string[] {
  const keys = new Set<string>();
  for (const e of events) {
    if (e.kind === 'api.request' && isRealRequest(e)) keys.add(requestKey(e));
  }
  return [...keys].sort();
}

/** One session's claim on a request key. */
export interface RequestClaim {
  session_id: string;
  /** When the session first saw the request (ms). */
  first_ts: number;
  /** The session this one was forked from, if known (see `forkedFromOf`). */
  forked_from: string | null;
}

/**
 * The session that owns a request key seen in several sessions. A claimant
 * forked from another claimant never wins over it (the copy is history, not a
 * new request); among the rest the earliest `first_ts` wins, then the
 * smallest session id. Decided on the set of claims, so their order does not
 * matter. If forks form a cycle (no claimant is left), all claimants compete.
 * Throws on an empty list.
 */
export function chooseRequestOwner(claims: readonly RequestClaim[]): string {
  if (claims.length === 0) throw new RangeError('chooseRequestOwner: no claims');
  const claimants = new Set(claims.map((c) => c.session_id));
  const originals = claims.filter((c) => c.forked_from === null || !claimants.has(c.forked_from) || c.forked_from === c.session_id);
  const pool = originals.length > 0 ? originals : claims;
  let best = pool[0]!;
  for (const claim of pool) {
    if (claim.first_ts < best.first_ts || (claim.first_ts === best.first_ts && claim.session_id < best.session_id)) {
      best = claim;
    }
  }
  return best.session_id;
}

/**
 * The session this one was forked from: the `forked_from` of a
 * `session.started` event, from the strongest source that gives one and,
 * within it, the earliest. Null when no start names a parent. Equals the
 * record's `forked_from`.
 */
export function forkedFromOf(events: readonly NormalizedEvent[]): string | null {
  const pick = new SourcePick<string>('earliest');
  for (const e of sortEvents(events)) {
    if (e.kind === 'session.started') pick.offer(e.source, e.attrs.forked_from);
  }
  return pick.value;
}

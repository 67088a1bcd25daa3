/**
 * How a normalized event maps to an `events` row and back. Events are read
 * back in one canonical shape (fixed key order, attrs parsed from the stored
 * JSON) so every projection of the same rows sees identical input.
 */
import type { NormalizedEvent, StoredEvent } from '../../schema/index.js';
import { loadedEvent } from '../pipeline/event-columns.js';

/** Columns selected when loading events, in order; see {@link eventFromRow}. */
export const EVENT_COLUMNS = 'seq, dedupe_key, source, framework, agent_id, ts, received_at, kind, attrs';

/** One `events` row as returned by a raw statement selecting {@link EVENT_COLUMNS}. */
export type EventRow = [
  seq: number,
  dedupe_key: string,
  source: string,
  framework: string,
  agent_id: string | null,
  ts: number,
  received_at: number,
  kind: string,
  attrs: string,
];

/**
 * Parameters of the insert statement, in column order: the session as its
 * integer key, attrs as the JSON text `attrsJson` (`JSON.stringify(event.attrs)`).
 */
export function insertParams(event: NormalizedEvent, sessionKey: number, attrsJson: string): unknown[] {
  return [
    event.dedupe_key,
    event.source,
    event.framework,
    sessionKey,
    event.agent_id,
    event.ts,
    event.received_at,
    event.kind,
    attrsJson,
  ];
}

/**
 * The event with its own text columns well-formed: `event` itself when they
 * are, else a copy whose dedupe key, session id and agent id have each lone
 * surrogate replaced by U+FFFD. SQLite stores such text with U+FFFD in its
 * place, so the copy kept in memory (event cache, fresh sessions) must say
 * the same, or a live projection would differ from one of loaded rows; two
 * ids differing only there are one id to the ledger. Attrs need nothing:
 * their JSON text escapes a lone surrogate and parses back to it.
 */
export function withWellFormedIds(event: NormalizedEvent): NormalizedEvent {
  const { dedupe_key: key, session_id: session, agent_id: agent } = event;
  if (key.isWellFormed() && session.isWellFormed() && (agent === null || agent.isWellFormed())) return event;
  return { ...event, dedupe_key: key.toWellFormed(), session_id: session.toWellFormed(), agent_id: agent === null ? null : agent.toWellFormed() };
}

/**
 * The event exactly as a later load of its row will return it. Its attrs are
 * built from the event's own object (see {@link asJsonTree}) and re-parsed
 * from `attrsJson` only when that object holds something JSON would change
 * beyond dropping an undefined member. Unchanged parts are shared with the
 * event: callers never mutate events.
 */
export function eventAsLoaded(event: NormalizedEvent, attrsJson: string): NormalizedEvent {
  const tree = asJsonTree(event.attrs);
  const attrs = tree === NOT_JSON ? (JSON.parse(attrsJson) as unknown) : tree;
  return loadedEvent(event.dedupe_key, event.source, event.framework, event.session_id, event.agent_id, event.ts, event.received_at, event.kind, attrs);
}

/** Returned by {@link asJsonTree} for a value a JSON round trip would change in other ways. */
export const NOT_JSON: unique symbol = Symbol('not JSON');

/**
 * What `JSON.parse(JSON.stringify(v))` gives, key order included, without the
 * round trip: `v` itself when nothing would change, a copy without its
 * undefined object members when only those would go, and {@link NOT_JSON}
 * for anything else JSON alters (non-finite numbers, -0, `undefined` in an
 * array or at the top, sparse arrays, non-plain objects and arrays, `toJSON`).
 * A null-prototype object is copied onto a plain one, as JSON.parse makes.
 */
export function asJsonTree(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0) ? v : NOT_JSON;
    case 'object':
      if (v === null) return v;
      return Array.isArray(v) ? arrayAsJsonTree(v) : objectAsJsonTree(v);
    default:
      return NOT_JSON;
  }
}

function arrayAsJsonTree(v: unknown[]): unknown {
  // A subclass would be kept by sharing and by `slice`; JSON.parse gives an Array.
  if (Object.getPrototypeOf(v) !== Array.prototype) return NOT_JSON;
  let copy: unknown[] | null = null;
  for (let i = 0; i < v.length; i++) {
    if (!(i in v)) return NOT_JSON;
    const item = asJsonTree(v[i]);
    if (item === NOT_JSON) return NOT_JSON;
    if (item !== v[i]) copy ??= v.slice(0, i);
    copy?.push(item);
  }
  return copy ?? v;
}

function objectAsJsonTree(v: object): unknown {
  const proto = Object.getPrototypeOf(v) as unknown;
  if ((proto !== Object.prototype && proto !== null) || 'toJSON' in v) return NOT_JSON;
  const members = v as Record<string, unknown>;
  // JSON.parse builds plain objects, so a null-prototype one (the OTLP decoders
  // make them) is always copied onto a plain object.
  let copy: Record<string, unknown> | null = proto === null ? {} : null;
  for (const key in members) {
    // Assigning `__proto__` would set the copy's prototype, not a member.
    if (key === '__proto__') return NOT_JSON;
    const value = members[key];
    const item = value === undefined ? DROPPED : asJsonTree(value);
    if (item === NOT_JSON) return NOT_JSON;
    if (copy === null && item !== value) copy = membersBefore(members, key);
    if (copy !== null && item !== DROPPED) copy[key] = item;
  }
  return copy ?? v;
}

/** A plain copy of the members of `members` that come before `key`, all of them unchanged by JSON. */
function membersBefore(members: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const earlier in members) {
    if (earlier === key) break;
    copy[earlier] = members[earlier];
  }
  return copy;
}

/** Marks an undefined object member, which JSON leaves out. */
const DROPPED: unique symbol = Symbol('dropped');

/** Rebuilds the event stored in a row (in the one shape every load returns, see `loadedEvent`). */
export function eventFromRow(row: EventRow, sessionId: string): NormalizedEvent {
  return loadedEvent(row[1], row[2], row[3], sessionId, row[4], row[5], row[6], row[7], JSON.parse(row[8]) as unknown);
}

/** Like {@link eventFromRow}, with the ledger sequence number first. */
export function storedEventFromRow(row: EventRow, sessionId: string): StoredEvent {
  return { seq: row[0], ...eventFromRow(row, sessionId) };
}

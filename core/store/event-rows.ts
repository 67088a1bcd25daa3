/**
 * How a normalized event maps to an `events` row and back. Events are read
 * back in one canonical shape (fixed key order, attrs parsed from the stored
 * JSON) so every projection of the same rows sees identical input.
 */
import type { NormalizedEvent, StoredEvent } from '../../schema/index.js';

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

/** The event exactly as a later load of its row will return it (attrs re-parsed from `attrsJson`). */
export function eventAsLoaded(event: NormalizedEvent, attrsJson: string): NormalizedEvent {
  const row: EventRow = [0, event.dedupe_key, event.source, event.framework, event.agent_id, event.ts, event.received_at, event.kind, attrsJson];
  return eventFromRow(row, event.session_id);
}

/**
 * Rebuilds the event stored in a row. Rows were written from typed events, so
 * the shape is trusted; the cast is the one place that trust is stated.
 */
export function eventFromRow(row: EventRow, sessionId: string): NormalizedEvent {
  return {
    dedupe_key: row[1],
    source: row[2],
    framework: row[3],
    session_id: sessionId,
    agent_id: row[4],
    ts: row[5],
    received_at: row[6],
    kind: row[7],
    attrs: JSON.parse(row[8]) as unknown,
  } as NormalizedEvent;
}

/** Like {@link eventFromRow}, with the ledger sequence number first. */
export function storedEventFromRow(row: EventRow, sessionId: string): StoredEvent {
  return { seq: row[0], ...eventFromRow(row, sessionId) };
}

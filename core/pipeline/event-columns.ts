/**
 * Events in stored form: the one object shape every load of an `events` row
 * returns, and a columnar transfer form that lets a producer on another
 * thread serialize each event's attrs once, for both the hand-over and the
 * insert. The store builds loaded events with {@link storedFormEvent}, so an
 * event rebuilt here is exactly what a later load of its row returns.
 */
import type { NormalizedEvent } from '../../schema/index.js';

/**
 * Events as parallel columns, attrs as the JSON text the `attrs` column
 * stores. A structured clone of flat arrays costs a fraction of one of event
 * objects, and the receiving thread then neither parses nor serializes more
 * than each attrs text once.
 */
export interface EventColumns {
  dedupeKeys: string[];
  sources: string[];
  frameworks: string[];
  sessionIds: string[];
  agentIds: (string | null)[];
  ts: Float64Array;
  receivedAt: Float64Array;
  kinds: string[];
  /** `JSON.stringify(event.attrs)`. */
  attrsJson: string[];
}

/** Events rebuilt from their stored form, with that form (see `IngestBatch.attrsJson`). */
export interface StoredFormEvents {
  events: NormalizedEvent[];
  /** `attrsJson[i]` is the JSON text `events[i].attrs` was parsed from. */
  attrsJson: string[];
}

/**
 * The event a load of its row returns: fixed key order, attrs parsed from the
 * stored text. Rows are only ever written from typed events, so the shape is
 * trusted; the cast is the one place that trust is stated. Throws a
 * SyntaxError when `attrsJson` is not JSON.
 */
export function storedFormEvent(
  dedupeKey: string,
  source: string,
  framework: string,
  sessionId: string,
  agentId: string | null,
  ts: number,
  receivedAt: number,
  kind: string,
  attrsJson: string,
): NormalizedEvent {
  return {
    dedupe_key: dedupeKey,
    source,
    framework,
    session_id: sessionId,
    agent_id: agentId,
    ts,
    received_at: receivedAt,
    kind,
    attrs: JSON.parse(attrsJson) as unknown,
  } as NormalizedEvent;
}

/** Splits `events` into {@link EventColumns}, serializing each event's attrs. */
export function eventColumns(events: readonly NormalizedEvent[]): EventColumns {
  const n = events.length;
  const columns: EventColumns = {
    dedupeKeys: new Array<string>(n),
    sources: new Array<string>(n),
    frameworks: new Array<string>(n),
    sessionIds: new Array<string>(n),
    agentIds: new Array<string | null>(n),
    ts: new Float64Array(n),
    receivedAt: new Float64Array(n),
    kinds: new Array<string>(n),
    attrsJson: new Array<string>(n),
  };
  for (let i = 0; i < n; i++) {
    const event = events[i]!;
    columns.dedupeKeys[i] = event.dedupe_key;
    columns.sources[i] = event.source;
    columns.frameworks[i] = event.framework;
    columns.sessionIds[i] = event.session_id;
    columns.agentIds[i] = event.agent_id;
    columns.ts[i] = event.ts;
    columns.receivedAt[i] = event.received_at;
    columns.kinds[i] = event.kind;
    columns.attrsJson[i] = JSON.stringify(event.attrs);
  }
  return columns;
}

/**
 * Rebuilds the events of `columns` in stored form. Throws a TypeError when
 * the columns differ in length and a SyntaxError when an attrs text is not
 * JSON: both mean a broken producer, never user input.
 */
export function eventsFromColumns(columns: EventColumns): StoredFormEvents {
  const c = columns;
  const n = c.dedupeKeys.length;
  const lengths = [c.sources, c.frameworks, c.sessionIds, c.agentIds, c.ts, c.receivedAt, c.kinds, c.attrsJson].map((column) => column.length);
  if (lengths.some((length) => length !== n)) throw new TypeError(`event columns differ in length: ${[n, ...lengths].join(', ')}`);
  const events = new Array<NormalizedEvent>(n);
  for (let i = 0; i < n; i++) {
    events[i] = storedFormEvent(c.dedupeKeys[i]!, c.sources[i]!, c.frameworks[i]!, c.sessionIds[i]!, c.agentIds[i]!, c.ts[i]!, c.receivedAt[i]!, c.kinds[i]!, c.attrsJson[i]!);
  }
  return { events, attrsJson: c.attrsJson };
}

/**
 * Events in stored form: the one object shape every load of an `events` row
 * returns, and a columnar transfer form that lets a producer on another
 * thread serialize each event's attrs once, for both the hand-over and the
 * insert. The store builds loaded events with {@link loadedEvent}, so an
 * event rebuilt here is exactly what a later load of its row returns.
 */
import type { NormalizedEvent } from '../../schema/index.js';

/**
 * Events as parallel columns, attrs as the JSON text the `attrs` column
 * stores. A structured clone of flat arrays costs a fraction of one of event
 * objects, and the receiving thread then neither parses nor serializes more
 * than each attrs text once. Fields a batch repeats (session, kind, source)
 * are sent once each with an index per event: fewer strings to clone, and
 * the rebuilt events share one string per value.
 */
export interface EventColumns {
  dedupeKeys: string[];
  sources: RepeatedColumn<string>;
  frameworks: RepeatedColumn<string>;
  sessionIds: RepeatedColumn<string>;
  agentIds: RepeatedColumn<string | null>;
  ts: Float64Array;
  receivedAt: Float64Array;
  kinds: RepeatedColumn<string>;
  /** `JSON.stringify(event.attrs)`. */
  attrsJson: string[];
}

/** A column of few distinct values: event `i` has `values[at[i]]`. */
export interface RepeatedColumn<T> {
  values: T[];
  at: Uint32Array;
}

/** Events rebuilt from their stored form, with that form (see `IngestBatch.attrsJson`). */
export interface StoredFormEvents {
  events: NormalizedEvent[];
  /** `attrsJson[i]` is the JSON text `events[i].attrs` was parsed from. */
  attrsJson: string[];
}

/**
 * The event a load of its row returns, attrs given as the parsed JSON tree:
 * the one object shape (fixed key order) of every loaded or cached event.
 * Rows are only ever written from typed events, so the shape is trusted;
 * the cast is the one place that trust is stated.
 */
export function loadedEvent(
  dedupeKey: string,
  source: string,
  framework: string,
  sessionId: string,
  agentId: string | null,
  ts: number,
  receivedAt: number,
  kind: string,
  attrs: unknown,
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
    attrs,
  } as NormalizedEvent;
}

/** Splits `events` into {@link EventColumns}, serializing each event's attrs. */
export function eventColumns(events: readonly NormalizedEvent[]): EventColumns {
  const n = events.length;
  const sources = new RepeatedColumnBuilder<string>(n);
  const frameworks = new RepeatedColumnBuilder<string>(n);
  const sessionIds = new RepeatedColumnBuilder<string>(n);
  const agentIds = new RepeatedColumnBuilder<string | null>(n);
  const kinds = new RepeatedColumnBuilder<string>(n);
  const dedupeKeys = new Array<string>(n);
  const ts = new Float64Array(n);
  const receivedAt = new Float64Array(n);
  const attrsJson = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const event = events[i]!;
    dedupeKeys[i] = event.dedupe_key;
    sources.set(i, event.source);
    frameworks.set(i, event.framework);
    sessionIds.set(i, event.session_id);
    agentIds.set(i, event.agent_id);
    ts[i] = event.ts;
    receivedAt[i] = event.received_at;
    kinds.set(i, event.kind);
    attrsJson[i] = JSON.stringify(event.attrs);
  }
  return {
    dedupeKeys,
    sources: sources.column,
    frameworks: frameworks.column,
    sessionIds: sessionIds.column,
    agentIds: agentIds.column,
    ts,
    receivedAt,
    kinds: kinds.column,
    attrsJson,
  };
}

/**
 * Rebuilds the events of `columns` in stored form. Throws a TypeError when
 * the columns differ in length or an index points past its values, and a
 * SyntaxError when an attrs text is not JSON: all mean a broken producer,
 * never user input.
 */
export function eventsFromColumns(columns: EventColumns): StoredFormEvents {
  const c = columns;
  const n = c.dedupeKeys.length;
  const repeated = [c.sources, c.frameworks, c.sessionIds, c.agentIds, c.kinds];
  const lengths = [...repeated.map((column) => column.at.length), c.ts.length, c.receivedAt.length, c.attrsJson.length];
  if (lengths.some((length) => length !== n)) throw new TypeError(`event columns differ in length: ${[n, ...lengths].join(', ')}`);
  for (const column of repeated) {
    for (const at of column.at) if (at >= column.values.length) throw new TypeError(`event column index ${at} is past its ${column.values.length} values`);
  }
  const events = new Array<NormalizedEvent>(n);
  for (let i = 0; i < n; i++) {
    events[i] = loadedEvent(
      c.dedupeKeys[i]!,
      c.sources.values[c.sources.at[i]!]!,
      c.frameworks.values[c.frameworks.at[i]!]!,
      c.sessionIds.values[c.sessionIds.at[i]!]!,
      c.agentIds.values[c.agentIds.at[i]!]!,
      c.ts[i]!,
      c.receivedAt[i]!,
      c.kinds.values[c.kinds.at[i]!]!,
      JSON.parse(c.attrsJson[i]!) as unknown,
    );
  }
  return { events, attrsJson: c.attrsJson };
}

/** Builds a {@link RepeatedColumn} of `length` entries, each value listed once. */
class RepeatedColumnBuilder<T> {
  readonly column: RepeatedColumn<T>;
  readonly #positions = new Map<T, number>();

  constructor(length: number) {
    this.column = { values: [], at: new Uint32Array(length) };
  }

  set(i: number, value: T): void {
    let position = this.#positions.get(value);
    if (position === undefined) {
      position = this.column.values.push(value) - 1;
      this.#positions.set(value, position);
    }
    this.column.at[i] = position;
  }
}

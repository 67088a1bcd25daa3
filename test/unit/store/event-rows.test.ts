import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../../../schema/index.js';
import { asJsonTree, eventAsLoaded, eventFromRow, NOT_JSON, withWellFormedIds, type EventRow } from '../../../core/store/event-rows.js';

/** Keys and order of an object tree, as text: equal trees with different key order differ here. */
function shape(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : value));
}

/** Same tree: same own keys in the same order (symbols included) and `Object.is` leaves; prototypes are not compared. */
function sameTree(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => sameTree((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k]));
}

function loadedFromRow(event: NormalizedEvent): NormalizedEvent {
  const json = JSON.stringify(event.attrs);
  const row: EventRow = [0, event.dedupe_key, event.source, event.framework, event.agent_id, event.ts, event.received_at, event.kind, json];
  return eventFromRow(row, event.session_id);
}

function eventWith(attrs: unknown): NormalizedEvent {
  return {
    kind: 'tool.called',
    attrs,
    dedupe_key: 'k',
    source: 'transcript',
    framework: 'claude-code',
    session_id: 's',
    agent_id: null,
    ts: 1,
    received_at: 2,
  } as unknown as NormalizedEvent;
}

describe('asJsonTree', () => {
  it('gives what a JSON round trip gives, key order included, or NOT_JSON', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBoxedValues: true, withSparseArray: true, withDate: true, withMap: true }), (v) => {
        const before = shape(v);
        const tree = asJsonTree(v);
        expect(shape(v)).toBe(before); // never mutates its input
        if (tree === NOT_JSON) return;
        expect(sameTree(tree, JSON.parse(JSON.stringify(v)))).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('shares a JSON tree, drops undefined members by copying, and refuses what JSON would alter', () => {
    const plain = { a: 'x', b: [1, 2.5, true, null, { c: '' }], d: {} };
    expect(asJsonTree(plain)).toBe(plain);
    const withHoles = { a: 1, b: undefined, c: { d: undefined, e: [2] }, f: 'g' };
    const pruned = asJsonTree(withHoles) as Record<string, unknown>;
    expect(shape(pruned)).toBe(shape({ a: 1, c: { e: [2] }, f: 'g' }));
    expect(Object.keys(withHoles)).toEqual(['a', 'b', 'c', 'f']);
    expect(pruned.c).not.toBe(withHoles.c);
    for (const bad of [[1, undefined], [1, , 3], -0, Number.NaN, Number.POSITIVE_INFINITY, new Date(0), new Map(), 1n, () => 1, { toJSON: () => 1 }]) { // eslint-disable-line no-sparse-arrays
      expect(asJsonTree({ v: bad })).toBe(NOT_JSON);
    }
    expect(asJsonTree(JSON.parse('{"__proto__":1}'))).toBe(NOT_JSON);
    expect(asJsonTree(undefined)).toBe(NOT_JSON);
  });

  it('gives plain prototypes, as JSON.parse does (OTLP kvlists are null-prototype objects)', () => {
    const kvlist = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1, b: { c: 'd' } });
    const tree = asJsonTree({ v: kvlist }) as { v: Record<string, unknown> };
    expect(Object.getPrototypeOf(tree.v)).toBe(Object.prototype);
    expect(Object.keys(tree.v)).toEqual(['a', 'b']);
    expect(tree.v.b).toBe(kvlist.b);
    class Row extends Array<number> {}
    expect(asJsonTree({ v: Row.from([1]) })).toBe(NOT_JSON);
  });
});

describe('eventAsLoaded', () => {
  it('equals what loading the stored row gives, attrs included', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.anything(), (json, anything) => {
        for (const attrs of [{ v: json }, { v: anything }]) {
          const event = eventWith(attrs);
          const fromRow = loadedFromRow(event);
          const loaded = eventAsLoaded(event, JSON.stringify(event.attrs));
          expect(sameTree(loaded, fromRow)).toBe(true);
          expect(shape(loaded)).toBe(shape(fromRow));
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('drops what JSON drops (an undefined attribute) instead of keeping it', () => {
    const loaded = eventAsLoaded(eventWith({ a: 1, b: undefined }), '{"a":1}');
    expect(Object.keys(loaded.attrs as object)).toEqual(['a']);
  });
});

describe('withWellFormedIds', () => {
  it('returns the event itself when its ids are well-formed', () => {
    const event = { ...eventWith({ a: '\ud800' }), agent_id: 'agent-1' };
    expect(withWellFormedIds(event)).toBe(event);
  });

  it('replaces each lone surrogate of the dedupe key, session id and agent id with U+FFFD, as SQLite stores them, keeping key order and attrs', () => {
    const base = eventWith({ text: 'x\udc00' });
    const event = { ...base, dedupe_key: 'k\ud800', session_id: 's\udfff1', agent_id: 'a\ud83d' };
    const fixed = withWellFormedIds(event);
    expect(fixed).toEqual({ ...event, dedupe_key: 'k\ufffd', session_id: 's\ufffd1', agent_id: 'a\ufffd' });
    expect(Object.keys(fixed)).toEqual(Object.keys(event));
    expect(fixed.attrs).toBe(event.attrs);
    expect(withWellFormedIds({ ...event, agent_id: null }).agent_id).toBeNull();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventColumns, eventsFromColumns, type EventColumns } from '../../../core/pipeline/event-columns.js';
import { eventFromRow, type EventRow } from '../../../core/store/event-rows.js';
import type { NormalizedEvent } from '../../../schema/index.js';

/** Keys and order of an object tree, as text: equal trees with different key order differ here. */
function shape(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : value));
}

/** What a load of the event's row returns. */
function loaded(event: NormalizedEvent): NormalizedEvent {
  const row: EventRow = [0, event.dedupe_key, event.source, event.framework, event.agent_id, event.ts, event.received_at, event.kind, JSON.stringify(event.attrs)];
  return eventFromRow(row, event.session_id);
}

/** Events with any attrs JSON can hold, and what it alters (undefined members, NaN, -0, nested arrays). */
const events = fc.array(
  fc.record({
    dedupe_key: fc.string(),
    source: fc.constantFrom('otel', 'hook', 'transcript'),
    framework: fc.constant('claude_code'),
    session_id: fc.uuid(),
    agent_id: fc.option(fc.string(), { nil: null }),
    ts: fc.integer({ min: 0, max: 2 ** 45 }),
    received_at: fc.integer({ min: 0, max: 2 ** 45 }),
    kind: fc.constantFrom('api.request', 'tool.called', 'session.activity'),
    attrs: fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.double())),
  }),
  { maxLength: 20 },
) as unknown as fc.Arbitrary<NormalizedEvent[]>;

describe('event columns', () => {
  it('rebuild, after a structured clone, exactly the events and attrs texts a load of their rows gives (property)', () => {
    fc.assert(
      fc.property(events, (input) => {
        const rebuilt = eventsFromColumns(structuredClone(eventColumns(input)));
        expect(rebuilt.events).toHaveLength(input.length);
        rebuilt.events.forEach((event, i) => {
          expect(shape(event)).toBe(shape(loaded(input[i]!)));
          expect(rebuilt.attrsJson[i]).toBe(JSON.stringify(input[i]!.attrs));
          expect(JSON.stringify(event.attrs)).toBe(rebuilt.attrsJson[i]);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('list each repeated value once and share it among the rebuilt events', () => {
    const event = (i: number, session: string) =>
      ({ dedupe_key: `k${i}`, source: 'otel', framework: 'claude_code', session_id: session, agent_id: null, ts: i, received_at: 9, kind: 'tool.called', attrs: {} }) as unknown as NormalizedEvent;
    const columns = eventColumns([event(1, 'a'), event(2, 'b'), event(3, 'a')]);
    expect(columns.sessionIds.values).toEqual(['a', 'b']);
    expect([...columns.sessionIds.at]).toEqual([0, 1, 0]);
    expect(columns.sources.values).toEqual(['otel']);
    expect(columns.agentIds.values).toEqual([null]);
    expect(eventsFromColumns(structuredClone(columns)).events.map((e) => e.session_id)).toEqual(['a', 'b', 'a']);
  });

  it('refuse columns of different lengths, indexes past their values and attrs that are not JSON', () => {
    const sample = eventColumns([
      { dedupe_key: 'k', source: 'otel', framework: 'claude_code', session_id: 's', agent_id: null, ts: 1, received_at: 2, kind: 'tool.called', attrs: { a: 1 } } as unknown as NormalizedEvent,
    ]);
    const short: EventColumns = { ...sample, kinds: { values: sample.kinds.values, at: new Uint32Array(0) } };
    expect(() => eventsFromColumns(short)).toThrow(/differ in length: 1, 1, 1, 1, 1, 0, 1, 1, 1/);
    expect(() => eventsFromColumns({ ...sample, sessionIds: { values: [], at: new Uint32Array(1) } })).toThrow(/index 0 is past its 0 values/);
    expect(() => eventsFromColumns({ ...sample, attrsJson: ['{'] })).toThrow(SyntaxError);
  });
});

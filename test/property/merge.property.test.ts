/**
 * The three promises of ARCHITECTURE §6, over generated sessions: the record
 * does not depend on arrival order, on duplicate delivery, or on how events
 * were split into batches. Also checks, on every generated session, that
 * usage equals the real usage of its requests (repeated lines never add up).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseRequestOwner, projectSession } from '../../core/merge/index.js';
import type { NormalizedEvent } from '../../schema/index.js';
import { claimsArb, sessionArb, type GeneratedSession } from './merge-arbitraries.js';

const ctx = { machine_id: 'machine-prop' };
const RUNS = 300;

/** A session, and a permutation of its events. */
const shuffled = sessionArb.chain((s) =>
  fc.tuple(fc.constant(s), fc.shuffledSubarray(s.events, { minLength: s.events.length, maxLength: s.events.length })),
);

/** A session, and a delivery of its events in some order with some of them delivered again. */
const redelivered = sessionArb.chain((s) =>
  fc.subarray(s.events).chain((again) => {
    const all = [...s.events, ...again];
    return fc.tuple(fc.constant(s), fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }));
  }),
);

function expectSameRecord(got: NormalizedEvent[], want: NormalizedEvent[]): void {
  const a = projectSession(got, ctx);
  const b = projectSession(want, ctx);
  expect(a).toEqual(b);
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
}

describe('merge properties', () => {
  it('any shuffle of the events gives the identical record (deep-equal and the same JSON)', () => {
    fc.assert(
      fc.property(shuffled, ([session, order]) => {
        expectSameRecord(order, session.events);
      }),
      { numRuns: RUNS },
    );
  });

  it('a caller vouching for distinct keys (the store) gets the same record, in any order', () => {
    fc.assert(
      fc.property(shuffled, ([session, order]) => {
        const vouched = projectSession(order, { ...ctx, distinct_keys: true });
        expect(JSON.stringify(vouched)).toBe(JSON.stringify(projectSession(session.events, ctx)));
      }),
      { numRuns: RUNS },
    );
  });

  it('duplicating any events changes nothing', () => {
    fc.assert(
      fc.property(redelivered, ([session, delivery]) => {
        expectSameRecord(delivery, session.events);
      }),
      { numRuns: RUNS },
    );
  });

  it('incremental batches (each step projecting the union so far) end at the single-projection record', () => {
    const batched = redelivered.chain(([session, delivery]) =>
      fc.tuple(
        fc.constant(session),
        fc.constant(delivery),
        fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, delivery.length - 1) }), { maxLength: 5 }),
      ),
    );
    fc.assert(
      fc.property(batched, ([session, delivery, cuts]) => {
        const bounds = [...cuts.sort((x, y) => x - y), delivery.length];
        const sofar: NormalizedEvent[] = [];
        let start = 0;
        let last = projectSession(delivery.slice(0, 1), ctx);
        let eventsSeen = 0;
        for (const end of bounds) {
          sofar.push(...delivery.slice(start, end));
          start = end;
          if (sofar.length === 0) continue;
          last = projectSession(sofar, ctx);
          // The ledger only grows: the count of distinct events never goes back.
          expect(last.n_events).toBeGreaterThanOrEqual(eventsSeen);
          eventsSeen = last.n_events;
        }
        const whole = projectSession(session.events, ctx);
        expect(last).toEqual(whole);
        expect(JSON.stringify(last)).toBe(JSON.stringify(whole));
      }),
      { numRuns: RUNS },
    );
  });

  it('usage equals the sum of each real request counted once, whatever the repeated lines and copies', () => {
    fc.assert(
      fc.property(sessionArb, (session: GeneratedSession) => {
        const record = projectSession(session.events, ctx);
        const hasRequests = session.expected.requests > 0;
        expect(record.api_request_count).toBe(session.expected.requests);
        if (!hasRequests) return;
        expect({
          requests: record.api_request_count,
          input: record.tokens_input,
          output: record.tokens_output,
          cache_read: record.tokens_cache_read,
          cache_write: record.tokens_cache_write,
        }).toEqual(session.expected);
        const byAgent = Object.values(record.usage_by_agent).reduce((n, t) => n + t.tokens_output, 0);
        const byModel = Object.values(record.usage_by_model).reduce((n, t) => n + t.tokens_output, 0);
        expect(byAgent).toBe(record.tokens_output);
        expect(byModel).toBe(record.tokens_output);
      }),
      { numRuns: RUNS },
    );
  });

  it('chooseRequestOwner does not depend on the order of the claims and picks a claimant', () => {
    const claimsInTwoOrders = claimsArb.chain((claims) =>
      fc.tuple(fc.constant(claims), fc.shuffledSubarray(claims, { minLength: claims.length, maxLength: claims.length })),
    );
    fc.assert(
      fc.property(claimsInTwoOrders, ([claims, reordered]) => {
        const owner = chooseRequestOwner(claims);
        expect(chooseRequestOwner(reordered)).toBe(owner);
        expect(claims.map((c) => c.session_id)).toContain(owner);
      }),
      { numRuns: 500 },
    );
  });
});

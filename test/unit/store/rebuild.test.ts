import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type Store } from '../../../core/store/index.js';
import { openTestStore, projectionSnapshot, queryRows, tempDir, TEST_MACHINE, type ProjectionSnapshot, type TempDir } from './store-fixture.js';
import { deliveries, generateLedger, shuffled } from './ledger-generator.js';
import { seededRandom } from '../../support/seeded-random.js';
import { eventColumns, eventsFromColumns } from '../../../core/pipeline/event-columns.js';

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** Ingests a generated ledger incrementally and checks rebuild and one-batch ingest give identical rows. */
function checkRebuild(seed: number, childrenFirst: boolean, tag: string): void {
  const random = seededRandom(seed);
  const sessions = 8;
  const events = generateLedger(random, { sessions, turnsPerSession: 4 });
  const ordered = childrenFirst ? byDescendingSession(shuffled(random, events)) : events;
  const incremental = openTestStore(tmp.dir, `incremental-${tag}.db`);
  for (const batch of deliveries(random, ordered, { duplicateShare: 0.2, maxBatch: 40, shuffle: !childrenFirst })) {
    incremental.writer.commit(batch, []);
  }
  const before = projectionSnapshot(incremental.path);
  expect(before.sessions).toHaveLength(sessions);

  const rebuilt = incremental.writer.rebuild();
  expect(rebuilt).toEqual({ sessions, events: events.length });
  const after = projectionSnapshot(incremental.path);
  incremental.close();
  expect(after).toEqual(before);

  const oneShot = openTestStore(tmp.dir, `one-shot-${tag}.db`);
  oneShot.writer.commit(events, []);
  const fromScratch = projectionSnapshot(oneShot.path);
  oneShot.close();
  expect(fromScratch).toEqual(before);
}

/** A store of its own for one property run, with an event cache of `budget` events. */
function storeWithCache(name: string, budget: number): Store {
  return openStore(join(tmp.dir, `${name}.db`), { machineId: TEST_MACHINE, now: () => 1_700_000_000_000, eventCacheEvents: budget });
}

/** The projection as committed, then as a rebuild makes it; closes the store. */
function liveThenRebuilt(store: Store): { live: ProjectionSnapshot; rebuilt: ProjectionSnapshot } {
  const live = projectionSnapshot(store.path);
  store.writer.rebuild();
  const rebuilt = projectionSnapshot(store.path);
  store.close();
  return { live, rebuilt };
}

/** Stable sort by session id, highest first: generated children have higher ids than their parents. */
function byDescendingSession<T extends { session_id: string }>(events: T[]): T[] {
  return events.sort((a, b) => (a.session_id < b.session_id ? 1 : a.session_id > b.session_id ? -1 : 0));
}

describe('rebuild', () => {
  it('reproduces every projection row byte for byte on a ledger with forks, resumes, duplicates and shuffled batches', () => {
    const random = seededRandom(7);
    const events = generateLedger(random, { sessions: 40, turnsPerSession: 12 });
    // Children first: copies arrive before the requests they copy, so every
    // ownership change lands on a session that gets no further events.
    const childrenFirst = byDescendingSession(shuffled(random, events));
    const store = openTestStore(tmp.dir);
    for (const batch of deliveries(random, childrenFirst, { duplicateShare: 0.25, maxBatch: 60, shuffle: false })) store.writer.commit(batch, []);
    const before = projectionSnapshot(store.path);
    // The ledger really exercises shared requests and fork links.
    const shared = queryRows(store.path, 'SELECT request_key FROM request_claims GROUP BY request_key HAVING count(*) > 1');
    expect(shared.length).toBeGreaterThan(5);
    expect(before.session_lineage.length).toBeGreaterThan(1);
    expect(before.sessions).toHaveLength(40);

    expect(store.writer.rebuild()).toEqual({ sessions: 40, events: events.length });
    const after = projectionSnapshot(store.path);
    store.close();
    for (let i = 0; i < before.sessions.length; i++) expect(after.sessions[i]).toEqual(before.sessions[i]);
    expect(after).toEqual(before);
  });

  it('equals incremental ingest for any seed (property)', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), (seed, childrenFirst) => {
        checkRebuild(seed, childrenFirst, String(run++));
      }),
      { numRuns: 8 },
    );
  });

  it('stores events handed over in stored form exactly like the same events serialized by the writer', () => {
    // The OTLP decode worker hands events over as columns with their attrs already
    // serialized; the writer then keeps those event objects for projection.
    const random = seededRandom(11);
    const events = generateLedger(random, { sessions: 12, turnsPerSession: 6 });
    const batches = deliveries(random, events, { duplicateShare: 0.2, maxBatch: 50, shuffle: true });
    const plain = openTestStore(tmp.dir, 'plain.db');
    const stored = openTestStore(tmp.dir, 'stored-form.db');
    for (const batch of batches) {
      plain.writer.commit(batch, []);
      // structuredClone: what crossing to another thread does to the columns.
      const handed = eventsFromColumns(structuredClone(eventColumns(batch)));
      stored.writer.commit(handed.events, [], handed.attrsJson);
    }
    const eventRows = 'SELECT seq, dedupe_key, source, framework, session_key, agent_id, ts, received_at, kind, attrs FROM events ORDER BY seq';
    expect(queryRows(stored.path, eventRows)).toEqual(queryRows(plain.path, eventRows));
    const projected = projectionSnapshot(stored.path);
    expect(projected).toEqual(projectionSnapshot(plain.path));
    stored.writer.rebuild();
    expect(projectionSnapshot(stored.path)).toEqual(projected);
    plain.close();
    stored.close();
  });

  it('with an event cache too small for the ledger (sessions evicted part-way through a batch) still equals a rebuild (property)', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 10, max: 80 }), (seed, budget) => {
        const random = seededRandom(seed);
        const events = generateLedger(random, { sessions: 10, turnsPerSession: 6 });
        const store = storeWithCache(`small-cache-${run++}`, budget);
        for (const batch of deliveries(random, events, { duplicateShare: 0.2, maxBatch: 120, shuffle: true })) store.writer.commit(batch, []);
        const { live, rebuilt } = liveThenRebuilt(store);
        expect(rebuilt).toEqual(live);
      }),
      { numRuns: 12 },
    );
  });

  it('with lone surrogates in session ids, agent ids and dedupe keys, live projection (cached or not) equals a rebuild (property)', () => {
    // SQLite stores a lone surrogate as U+FFFD: "x\ud800" and "x\udc00" are one session to the ledger.
    const lone = ['\ud800', '\udc00', '\udfff', '\ud83d'];
    let run = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom(0, 25, 50_000), (seed, budget) => {
        const random = seededRandom(seed);
        const generated = generateLedger(random, { sessions: 8, turnsPerSession: 4 });
        const mark = (text: string, salt: number): string => `${text.slice(0, 4)}${lone[salt % lone.length]!}${text.slice(4)}`;
        const events = generated.map((e, i) => {
          const sessionNo = Number.parseInt(e.session_id.slice(0, 8), 16);
          // Sessions 1 and 2 differ only by their lone surrogate once marked: they collide.
          const session = sessionNo <= 2 ? `pair${lone[sessionNo]!}` : sessionNo % 2 === 0 ? mark(e.session_id, sessionNo) : e.session_id;
          const key = i % 5 === 0 ? mark(e.dedupe_key, i) : e.dedupe_key;
          const agent = e.agent_id === null ? null : mark(e.agent_id, i);
          return { ...e, session_id: session, dedupe_key: key, agent_id: agent };
        });
        const store = storeWithCache(`lone-${run++}`, budget);
        for (const batch of deliveries(random, events, { duplicateShare: 0.2, maxBatch: 40, shuffle: true })) {
          const result = store.writer.commit(batch, []);
          for (const id of result.touched_sessions) expect(id.isWellFormed()).toBe(true);
        }
        const { live, rebuilt } = liveThenRebuilt(store);
        expect(live.sessions.map((row) => row.session_id)).toContain('pair\ufffd');
        expect(rebuilt).toEqual(live);
      }),
      { numRuns: 12 },
    );
  });

  it('on an empty ledger leaves an empty projection', () => {
    const store = openTestStore(tmp.dir);
    store.writer.commit([], [{ collector: 'c', key: 'k', value: 'v' }]);
    expect(store.writer.rebuild()).toEqual({ sessions: 0, events: 0 });
    expect(projectionSnapshot(store.path).sessions).toEqual([]);
    store.close();
  });
});

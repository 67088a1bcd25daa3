import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store/index.js';
import type { NormalizedEvent } from '../../../schema/index.js';
import { ev, usage } from '../../support/events.js';
import { deliveries, generateLedger, shuffled } from './ledger-generator.js';
import { seededRandom } from '../../support/seeded-random.js';
import { openTestStore, projectionSnapshot, tempDir, type TempDir } from './store-fixture.js';

const PARENT = 'aaaaaaaa-0000-4000-8000-00000000000p';
const FORK = 'ffffffff-0000-4000-8000-00000000000f';

let tmp: TempDir;
const open: Store[] = [];
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  for (const store of open.splice(0)) store.close();
  tmp.cleanup();
});

function storeNamed(name: string): Store {
  const store = openTestStore(tmp.dir, name);
  open.push(store);
  return store;
}

function request(session: string, ts: number, id: string, input: number): NormalizedEvent {
  return ev.request(ts, { request_id: id, message_id: `msg_${id}`, model: 'claude-sonnet-4-5', usage: usage({ input, output: 1 }) }, { session_id: session });
}

describe('deferred projection', () => {
  it('commitDeferred stores events and checkpoints but leaves the session dirty until reprojectDirty', () => {
    const store = storeNamed('a.db');
    const result = store.writer.commitDeferred([ev.started(1_000, 'startup', { session_id: PARENT }), request(PARENT, 2_000, 'r1', 5)], [{ collector: 'c', key: 'k', value: 'v' }]);
    expect(result).toMatchObject({ inserted: 2, duplicates: 0, touched_sessions: [] });
    expect(store.reader.totals()).toMatchObject({ events: 2, sessions: 0 });
    expect(store.writer.loadCheckpoints('c')).toEqual(new Map([['k', 'v']]));
    expect(store.writer.dirtyCount()).toBe(1);

    expect(store.writer.reprojectDirty()).toEqual({ touched_sessions: [PARENT], remaining: 0 });
    expect(store.writer.dirtyCount()).toBe(0);
    expect(store.reader.findSession(PARENT)).toMatchObject({ session: { api_request_count: 1, tokens_input: 5 } });
    // Nothing dirty: nothing to do.
    expect(store.writer.reprojectDirty()).toEqual({ touched_sessions: [], remaining: 0 });
  });

  it('a duplicate-only deferred commit marks nothing dirty', () => {
    const store = storeNamed('dup.db');
    const start = ev.started(1_000, 'startup', { session_id: PARENT });
    store.writer.commit([start], []);
    expect(store.writer.commitDeferred([start], [])).toMatchObject({ inserted: 0, duplicates: 1 });
    expect(store.writer.dirtyCount()).toBe(0);
  });

  it('sessions left dirty by a crash are re-projected when the store is reopened', () => {
    const first = openTestStore(tmp.dir, 'crash.db');
    first.writer.commitDeferred([ev.started(1_000, 'startup', { session_id: PARENT }), request(PARENT, 2_000, 'r1', 9)], []);
    // Closing without reprojectDirty leaves exactly what a SIGKILL after the commit leaves.
    first.close();
    const reopened = storeNamed('crash.db');
    expect(reopened.writer.dirtyCount()).toBe(0);
    expect(reopened.reader.findSession(PARENT)).toMatchObject({ session: { api_request_count: 1, tokens_input: 9 } });
  });

  it('a fork arriving deferred still re-projects the parent whose requests it copies', () => {
    const store = storeNamed('fork.db');
    store.writer.commit([ev.started(1_000, 'startup', { session_id: PARENT }), request(PARENT, 2_000, 'r1', 100), request(PARENT, 3_000, 'r2', 200)], []);
    store.writer.commitDeferred([request(FORK, 2_000, 'r1', 100), request(FORK, 3_000, 'r2', 200), request(FORK, 11_000, 'r3', 7)], []);
    store.writer.commitDeferred([ev.started(10_000, 'fork', { session_id: FORK }, { forked_from: PARENT })], []);
    const projected = store.writer.reprojectDirty();
    expect(projected.touched_sessions).toEqual([PARENT, FORK]);
    expect(store.reader.findSession(PARENT)).toMatchObject({ session: { api_request_count: 2, tokens_input: 300 } });
    expect(store.reader.findSession(FORK)).toMatchObject({ session: { api_request_count: 1, tokens_input: 7, forked_from: PARENT } });
  });

  it('budgeted catch-up in small steps ends equal to a rebuild and to immediate projection', () => {
    const random = seededRandom(11);
    // More sessions than one catch-up transaction takes, so ownership crosses chunk boundaries.
    const events = generateLedger(random, { sessions: 80, turnsPerSession: 5 });
    const batches = deliveries(random, shuffled(random, events), { duplicateShare: 0.2, maxBatch: 50, shuffle: true });
    const deferred = storeNamed('deferred.db');
    const immediate = storeNamed('immediate.db');
    let steps = 0;
    for (const [i, batch] of batches.entries()) {
      deferred.writer.commitDeferred(batch, []);
      immediate.writer.commit(batch, []);
      // Catch up only now and then, one chunk at a time (a zero budget still runs one transaction).
      if (i % 3 === 2) {
        deferred.writer.reprojectDirty(0);
        steps++;
      }
    }
    while (deferred.writer.reprojectDirty(0).remaining > 0) steps++;
    expect(steps).toBeGreaterThan(3);
    expect(deferred.writer.dirtyCount()).toBe(0);
    const caughtUp = projectionSnapshot(deferred.path);
    expect(caughtUp.sessions).toHaveLength(80);
    expect(caughtUp).toEqual(projectionSnapshot(immediate.path));
    deferred.writer.rebuild();
    expect(projectionSnapshot(deferred.path)).toEqual(caughtUp);
  });

  it('rebuild clears dirty marks along with the projection it recomputes', () => {
    const store = storeNamed('rebuild.db');
    store.writer.commitDeferred([ev.started(1_000, 'startup', { session_id: PARENT })], []);
    expect(store.writer.rebuild()).toEqual({ sessions: 1, events: 1 });
    expect(store.writer.dirtyCount()).toBe(0);
    expect(store.reader.findSession(PARENT)).not.toBeNull();
  });

  it('commit re-projects sessions an earlier deferred commit left dirty', () => {
    const store = storeNamed('mixed.db');
    store.writer.commitDeferred([ev.started(1_000, 'startup', { session_id: PARENT })], []);
    const result = store.writer.commit([ev.started(1_000, 'startup', { session_id: FORK })], []);
    expect(result.touched_sessions).toEqual([PARENT, FORK]);
    expect(store.writer.dirtyCount()).toBe(0);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store/index.js';
import type { NormalizedEvent, SessionRecord } from '../../../schema/index.js';
import { ev, usage } from '../../support/events.js';
import { openTestStore, projectionSnapshot, tempDir, type TempDir } from './store-fixture.js';

const PARENT = 'aaaaaaaa-0000-4000-8000-00000000000p';
const FORK = 'ffffffff-0000-4000-8000-00000000000f';

let tmp: TempDir;
let store: Store;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  store?.close();
  tmp.cleanup();
});

function request(session: string, ts: number, id: string, input: number): NormalizedEvent {
  return ev.request(ts, { request_id: id, message_id: `msg_${id}`, model: 'claude-sonnet-4-5', usage: usage({ input, output: 1 }) }, { session_id: session });
}

/** The parent's own history: two requests. */
const parentEvents = [ev.started(1_000, 'startup', { session_id: PARENT }), request(PARENT, 2_000, 'r1', 100), request(PARENT, 3_000, 'r2', 200)];
/** The fork: a start naming the parent, the parent's requests copied with the same times, then one request of its own. */
const forkEvents = [
  ev.started(10_000, 'fork', { session_id: FORK }, { forked_from: PARENT }),
  request(FORK, 2_000, 'r1', 100),
  request(FORK, 3_000, 'r2', 200),
  request(FORK, 11_000, 'r3', 7),
];

function record(id: string): SessionRecord {
  const found = store.reader.findSession(id);
  if (!found || !('session' in found)) throw new Error(`no session ${id}`);
  return found.session;
}

function expectOwnershipSettled(): void {
  expect(record(PARENT)).toMatchObject({ api_request_count: 2, tokens_input: 300 });
  expect(record(FORK)).toMatchObject({ api_request_count: 1, tokens_input: 7, forked_from: PARENT });
}

describe('cross-session request ownership', () => {
  const orders: [string, NormalizedEvent[][]][] = [
    ['parent first', [parentEvents, forkEvents]],
    ['fork first', [forkEvents, parentEvents]],
    ['one batch', [[...forkEvents, ...parentEvents]]],
    ['interleaved pieces', [forkEvents.slice(1, 3), parentEvents.slice(1), forkEvents.slice(3), [forkEvents[0]!], parentEvents.slice(0, 1)]],
    ['fork start last', [forkEvents.slice(1), parentEvents, forkEvents.slice(0, 1)]],
  ];

  it.each(orders)('the parent keeps copied requests and the fork does not count them (%s)', (name, batches) => {
    store = openTestStore(tmp.dir, `${name.replace(/\W/g, '-')}.db`);
    for (const batch of batches) store.writer.commit(batch, []);
    expectOwnershipSettled();
  });

  it('every arrival order leaves identical projection rows', () => {
    const snapshots = orders.map(([name, batches]) => {
      const s = openTestStore(tmp.dir, `snap-${name.replace(/\W/g, '-')}.db`);
      for (const batch of batches) s.writer.commit(batch, []);
      const path = s.path;
      s.close();
      return projectionSnapshot(path);
    });
    for (const snap of snapshots.slice(1)) expect(snap).toEqual(snapshots[0]);
  });

  it('re-projects the other claimant when a batch changes who owns a shared request', () => {
    store = openTestStore(tmp.dir);
    // The fork's copies arrive first: with no parent known yet, the fork owns r1 and r2.
    store.writer.commit(forkEvents, []);
    expect(record(FORK)).toMatchObject({ api_request_count: 3, tokens_input: 307 });
    // The parent arrives: ownership moves, so the fork is re-projected without new events of its own.
    const result = store.writer.commit(parentEvents, []);
    expect(result.touched_sessions).toEqual([PARENT, FORK].sort());
    expectOwnershipSettled();
  });

  it('does not touch sessions that merely share nothing with the batch', () => {
    store = openTestStore(tmp.dir);
    store.writer.commit([...parentEvents, ...forkEvents], []);
    const result = store.writer.commit([request(PARENT, 20_000, 'r9', 1)], []);
    expect(result.touched_sessions).toEqual([PARENT]);
  });

  it('without a fork link the session that saw the request first owns it, and an earlier sighting moves ownership', () => {
    store = openTestStore(tmp.dir);
    const x = 'xxxxxxxx-0000-4000-8000-000000000001';
    const y = 'yyyyyyyy-0000-4000-8000-000000000002';
    store.writer.commit([request(y, 5_000, 'shared', 50), request(y, 6_000, 'own-y', 1)], []);
    expect(record(y)).toMatchObject({ api_request_count: 2, tokens_input: 51 });
    const result = store.writer.commit([request(x, 4_000, 'shared', 50)], []);
    expect(result.touched_sessions).toEqual([x, y]);
    expect(record(x)).toMatchObject({ api_request_count: 1, tokens_input: 50 });
    expect(record(y)).toMatchObject({ api_request_count: 1, tokens_input: 1 });
  });

  it('claims kept up to date from each commit\'s new events alone (live, cached sessions) equal those synced from every event', () => {
    // A request id SQLite hands back differently (a lone surrogate comes back as U+FFFD) must not confuse the comparison.
    const odd = 'r\ud800';
    const withOdd = (events: NormalizedEvent[], session: string, ts: number) => [...events, request(session, ts, odd, 5)];
    const cases: [string, NormalizedEvent[][]][] = orders.map(([name, batches]) => [name, [...batches, withOdd([], FORK, 2_500), withOdd([], PARENT, 2_400)]]);
    for (const [name, batches] of cases) {
      const snapshots = [() => 1_700_000_000_000, () => 20_000].map((now, i) => {
        // At 20,000 ms every session is live, so it stays cached and later commits sync claims from their new events only.
        const s = openTestStore(tmp.dir, `live-${i}-${name.replace(/\W/g, '-')}.db`, now);
        for (const batch of batches) s.writer.commit(batch, []);
        const incremental = projectionSnapshot(s.path);
        s.writer.rebuild();
        const rebuilt = projectionSnapshot(s.path);
        s.close();
        expect(rebuilt).toEqual(incremental);
        return incremental;
      });
      expect(snapshots[1]).toEqual(snapshots[0]);
    }
  });
});

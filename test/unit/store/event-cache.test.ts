import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionEventCache } from '../../../core/store/event-cache.js';
import { join } from 'node:path';
import { DEFAULT_EVENT_CACHE_EVENTS, openStore, type Store } from '../../../core/store/index.js';
import type { NormalizedEvent } from '../../../schema/index.js';
import { ev } from '../../support/events.js';
import { TEST_MACHINE, openTestStore, projectionSnapshot, tempDir, type TempDir, unbindableCheckpoint } from './store-fixture.js';

const events = (n: number): NormalizedEvent[] => Array.from({ length: n }, (_, i) => ev.activity(1_000 + i));

describe('SessionEventCache', () => {
  it('evicts least recently used sessions to stay within its event budget', () => {
    const cache = new SessionEventCache(10);
    cache.put(1, events(4));
    cache.put(2, events(4));
    expect(cache.get(1)).toHaveLength(4);
    cache.put(3, events(4));
    expect([cache.holds(1), cache.holds(2), cache.holds(3)]).toEqual([true, false, true]);
    expect(cache.size).toBe(8);
    cache.append(3, ev.activity(5_000));
    cache.append(3, ev.activity(5_001));
    cache.append(3, ev.activity(5_002));
    expect(cache.holds(1)).toBe(false);
    expect(cache.get(3)).toHaveLength(7);
    expect(cache.size).toBe(7);
  });

  it('never holds a session larger than the budget, and appends nothing to sessions it does not hold', () => {
    const cache = new SessionEventCache(3);
    cache.put(1, events(4));
    cache.append(2, ev.activity(1));
    expect(cache.size).toBe(0);
    expect(cache.get(1)).toBeUndefined();
    const off = new SessionEventCache(0);
    off.put(1, events(1));
    expect(off.holds(1)).toBe(false);
  });

  it('replaces an entry put twice and forgets everything on clear', () => {
    const cache = new SessionEventCache(100);
    cache.put(1, events(5));
    cache.put(1, events(2));
    expect(cache.size).toBe(2);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.holds(1)).toBe(false);
  });
});

/** The tests' events are a few seconds after the epoch: a clock there keeps their sessions live (cacheable). */
const NEAR_EVENTS = () => 10_000;

/** A fresh store (and its temp dir) for each test of the enclosing describe, on the clock `now`. */
function storePerTest(now: () => number): { tmp: TempDir; store: Store } {
  const t = {} as { tmp: TempDir; store: Store };
  beforeEach(() => {
    t.tmp = tempDir();
    t.store = openTestStore(t.tmp.dir, 'dossier.db', now);
  });
  afterEach(() => {
    t.store.close();
    t.tmp.cleanup();
  });
  return t;
}

describe('the writer with its event cache', () => {
  const S = 'cccccccc-0000-4000-8000-000000000001';
  const t = storePerTest(NEAR_EVENTS);

  it('regression: an event inserted by a rolled-back commit does not linger in the cached session', () => {
    t.store.writer.commit([ev.prompt(1_000, { text: 'kept' }, { session_id: S })], []);
    expect(t.store.writer.cacheStats()).toMatchObject({ sessions: 1, events: 1 });
    const broken = unbindableCheckpoint();
    expect(() => t.store.writer.commit([ev.prompt(2_000, { text: 'rolled back' }, { session_id: S })], [broken])).toThrow();
    t.store.writer.commit([ev.activity(3_000, { session_id: S })], []);
    expect(t.store.reader.findSession(S)).toMatchObject({ session: { message_count: 1, last_user_message: 'kept' } });
    const before = projectionSnapshot(t.store.path);
    t.store.writer.rebuild();
    expect(projectionSnapshot(t.store.path)).toEqual(before);
  });

  it('gives the same rows as a writer with the cache disabled', () => {
    const uncached = openStore(join(t.tmp.dir, 'no-cache.db'), { machineId: TEST_MACHINE, now: NEAR_EVENTS, eventCacheEvents: 0 });
    const batches = [3, 1, 2, 0].map((b) => [ev.prompt(1_000 + b, { text: `p${b}` }, { session_id: S }), ev.activity(1_500 + b, { session_id: S }, { name: `a${b}` })]);
    for (const batch of batches) {
      t.store.writer.commit(batch, []);
      uncached.writer.commit(batch, []);
    }
    expect(t.store.writer.cacheStats().events).toBe(8);
    uncached.close();
    expect(projectionSnapshot(uncached.path)).toEqual(projectionSnapshot(t.store.path));
  });
});

describe('a session first seen in a commit', () => {
  const NEW = 'dddddddd-0000-4000-8000-000000000001';
  const OLD = 'eeeeeeee-0000-4000-8000-000000000002';
  const t = storePerTest(NEAR_EVENTS);

  it('is projected from memory exactly as a rebuild projects it from the ledger', () => {
    t.store.writer.commit([ev.prompt(500, { text: 'old' }, { session_id: OLD, dedupe_key: 'shared' })], []);
    // Out of order, with a key already stored under another session (not inserted, so not the new session's).
    const batch = [
      ev.activity(3_000, { session_id: NEW }),
      ev.prompt(900, { text: 'replayed' }, { session_id: NEW, dedupe_key: 'shared' }),
      ev.prompt(1_000, { text: 'first' }, { session_id: NEW }),
      ev.started(800, 'startup', { session_id: NEW }),
    ];
    expect(t.store.writer.commit(batch, []).inserted_flags).toEqual([true, false, true, true]);
    expect(t.store.reader.findSession(NEW)).toMatchObject({ session: { message_count: 1, last_user_message: 'first' } });
    const incremental = projectionSnapshot(t.store.path);
    t.store.writer.commit([ev.prompt(4_000, { text: 'later' }, { session_id: NEW })], []);
    t.store.writer.rebuild();
    const uncached = openStore(join(t.tmp.dir, 'no-cache.db'), { machineId: TEST_MACHINE, now: NEAR_EVENTS, eventCacheEvents: 0 });
    uncached.writer.commit([ev.prompt(500, { text: 'old' }, { session_id: OLD, dedupe_key: 'shared' })], []);
    uncached.writer.commit(batch, []);
    uncached.close();
    expect(incremental).toEqual(projectionSnapshot(uncached.path));
    expect(t.store.reader.findSession(NEW)).toMatchObject({ session: { message_count: 2, last_user_message: 'later' } });
  });

  it('a new session whose only event is a duplicate stores no events and no session', () => {
    t.store.writer.commit([ev.prompt(500, { text: 'old' }, { session_id: OLD, dedupe_key: 'shared' })], []);
    expect(t.store.writer.commit([ev.prompt(900, { text: 'x' }, { session_id: NEW, dedupe_key: 'shared' }), ev.activity(950, { session_id: OLD })], []).inserted_flags).toEqual([false, true]);
    expect(t.store.reader.findSession(NEW)).toBeNull();
    expect(t.store.reader.findSession(OLD)).toMatchObject({ session: { last_activity: 950 } });
  });
});

describe('which sessions the event cache keeps', () => {
  const HOUR = 3_600_000;
  const NOW = 100 * HOUR;
  const t = storePerTest(() => NOW);

  it('keeps sessions with an event in the last hour, and projects history without keeping it', () => {
    const history = 'ffffffff-0000-4000-8000-000000000001';
    const live = 'ffffffff-0000-4000-8000-000000000002';
    // A backfill commit: an old session first seen, and one whose newest event is recent.
    t.store.writer.commit(
      [
        ev.prompt(NOW - 30 * HOUR, { text: 'old' }, { session_id: history }),
        ev.activity(NOW - 2 * HOUR, { session_id: history }),
        ev.prompt(NOW - 30 * HOUR, { text: 'start' }, { session_id: live }),
        ev.activity(NOW - 60_000, { session_id: live }),
      ],
      [],
    );
    expect(t.store.writer.cacheStats()).toEqual({ sessions: 1, events: 2, budget: DEFAULT_EVENT_CACHE_EVENTS });
    expect(t.store.reader.findSession(history)).toMatchObject({ session: { last_user_message: 'old', last_activity: NOW - 2 * HOUR } });
    // A later event of the old session reads it from the ledger and still does not keep it.
    t.store.writer.commit([ev.prompt(NOW - 90 * 60_000, { text: 'later' }, { session_id: history })], []);
    expect(t.store.writer.cacheStats().sessions).toBe(1);
    expect(t.store.reader.findSession(history)).toMatchObject({ session: { message_count: 2, last_user_message: 'later' } });
    // Once it is live again it is kept.
    t.store.writer.commit([ev.activity(NOW - 1_000, { session_id: history })], []);
    expect(t.store.writer.cacheStats()).toMatchObject({ sessions: 2, events: 6 });
  });
});

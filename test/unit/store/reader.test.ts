import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, type Store } from '../../../core/store/index.js';
import { isDossierError, type NormalizedEvent } from '../../../schema/index.js';
import { ev } from '../../support/events.js';
import { openTestStore, tempDir, type TempDir, unbindableCheckpoint } from './store-fixture.js';

let tmp: TempDir;
let store: Store;
beforeEach(() => {
  tmp = tempDir();
  store = openTestStore(tmp.dir);
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const id = (n: number): string => `${n.toString(16).padStart(8, '0')}-1111-4000-8000-000000000000`;

/** A visible session whose last activity is `at`. */
function sessionAt(session: string, at: number, extra: NormalizedEvent[] = []): NormalizedEvent[] {
  return [ev.prompt(at - 500, { text: 'hi' }, { session_id: session }), ev.activity(at, { session_id: session }), ...extra];
}

function ids(list: { session_id: string }[]): string[] {
  return list.map((s) => s.session_id);
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('listSessions', () => {
  beforeEach(() => {
    store.writer.commit(
      [
        ...sessionAt(id(1), 1_000),
        ...sessionAt(id(2), 3_000),
        ...sessionAt(id(3), 3_000),
        ...sessionAt(id(4), 5_000),
        ...sessionAt(id(5), 2_000, [ev.ended(2_000, 'prompt_input_exit', { session_id: id(5) })]),
        // Only a metric point: the throw-away id of `-p --continue` start-up telemetry, hidden.
        ev.metric(9_000, { name: 'claude_code.session.count', value: 1 }, { session_id: id(6) }),
      ],
      [],
    );
  });

  it('orders by last activity, most recent first, ties by id, and leaves hidden sessions out', () => {
    expect(ids(store.reader.listSessions({ limit: 50 }).sessions)).toEqual([id(4), id(2), id(3), id(5), id(1)]);
  });

  it('includes hidden sessions on request', () => {
    expect(ids(store.reader.listSessions({ limit: 50, include_hidden: true }).sessions)).toEqual([id(6), id(4), id(2), id(3), id(5), id(1)]);
  });

  it('filters by status, activity window and id prefix, combined with AND', () => {
    expect(ids(store.reader.listSessions({ limit: 50, status: ['ended'] }).sessions)).toEqual([id(5)]);
    // Ended sessions before the window drop out; sessions not ended stay whatever their age.
    expect(ids(store.reader.listSessions({ limit: 50, active_since: 2_500 }).sessions)).toEqual([id(4), id(2), id(3), id(1)]);
    expect(ids(store.reader.listSessions({ limit: 50, id_prefix: '0000000' }).sessions)).toEqual([id(4), id(2), id(3), id(5), id(1)]);
    expect(ids(store.reader.listSessions({ limit: 50, id_prefix: '00000003' }).sessions)).toEqual([id(3)]);
    expect(ids(store.reader.listSessions({ limit: 50, id_prefix: '00000003', status: ['ended'] }).sessions)).toEqual([]);
  });

  it('pages with a cursor that stays stable while new sessions arrive', () => {
    const first = store.reader.listSessions({ limit: 2 });
    expect(ids(first.sessions)).toEqual([id(4), id(2)]);
    expect(first.next_cursor).not.toBeNull();
    // New sessions sort both before the cursor (newer) and after it (older).
    store.writer.commit([...sessionAt(id(7), 8_000), ...sessionAt(id(8), 3_000), ...sessionAt(id(9), 500)], []);
    const second = store.reader.listSessions({ limit: 2, cursor: first.next_cursor! });
    expect(ids(second.sessions)).toEqual([id(3), id(8)]);
    const third = store.reader.listSessions({ limit: 2, cursor: second.next_cursor! });
    expect(ids(third.sessions)).toEqual([id(5), id(1)]);
    const last = store.reader.listSessions({ limit: 2, cursor: third.next_cursor! });
    expect(ids(last.sessions)).toEqual([id(9)]);
    expect(last.next_cursor).toBeNull();
  });

  it('gives no cursor when the page holds the last row', () => {
    expect(store.reader.listSessions({ limit: 5 }).next_cursor).toBeNull();
    expect(store.reader.listSessions({ limit: 4 }).next_cursor).not.toBeNull();
  });

  it('rejects a cursor it did not make and a non-positive limit', () => {
    for (const cursor of ['not a cursor', Buffer.from('[1,2]').toString('base64url'), Buffer.from('{}').toString('base64url')]) {
      expect(isDossierError(thrownBy(() => store.reader.listSessions({ limit: 2, cursor })), 'DOSSIER_E_API_BAD_QUERY')).toBe(true);
    }
    expect(isDossierError(thrownBy(() => store.reader.listSessions({ limit: 0 })), 'DOSSIER_E_API_BAD_QUERY')).toBe(true);
  });
});

describe('findSession', () => {
  beforeEach(() => {
    store.writer.commit([...sessionAt('abc-111', 1_000), ...sessionAt('abc-222', 2_000), ...sessionAt('abd-333', 3_000)], []);
  });

  it('finds by full id or unique prefix', () => {
    expect(store.reader.findSession('abc-111')).toMatchObject({ session: { session_id: 'abc-111' } });
    expect(store.reader.findSession('abd')).toMatchObject({ session: { session_id: 'abd-333', last_activity: 3_000 } });
  });

  it('lists the candidates of an ambiguous prefix and answers null for no match', () => {
    expect(store.reader.findSession('abc')).toEqual({ ambiguous: ['abc-111', 'abc-222'] });
    expect(store.reader.findSession('zzz')).toBeNull();
    expect(store.reader.findSession('')).toBeNull();
  });

  it('prefers an exact id over longer ids it prefixes', () => {
    store.writer.commit(sessionAt('abc', 4_000), []);
    expect(store.reader.findSession('abc')).toMatchObject({ session: { session_id: 'abc' } });
  });
});

describe('listEvents', () => {
  const S = id(42);

  it('returns events oldest first by ts, then by insertion order, as stored', () => {
    const late = ev.prompt(5_000, { text: 'late' }, { session_id: S });
    const tieB = ev.activity(2_000, { session_id: S }, { name: 'b' });
    const tieA = ev.activity(2_000, { session_id: S }, { name: 'a' });
    store.writer.commit([late, tieB], []);
    store.writer.commit([tieA], []);
    const { events, next_cursor } = store.reader.listEvents(S, { limit: 10 });
    expect(events.map((e) => [e.ts, e.dedupe_key])).toEqual([
      [2_000, tieB.dedupe_key],
      [2_000, tieA.dedupe_key],
      [5_000, late.dedupe_key],
    ]);
    expect(events[0]).toEqual({ seq: 2, ...tieB });
    expect(next_cursor).toBeNull();
  });

  it('filters by kind and source and pages with a cursor', () => {
    const events: NormalizedEvent[] = [];
    for (let i = 0; i < 25; i++) {
      events.push(ev.activity(1_000 + i, { session_id: S }));
      events.push(ev.status(1_000 + i, i % 2 === 0 ? 'busy' : 'idle', 'test', { session_id: S }));
    }
    store.writer.commit(events, []);
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = store.reader.listEvents(S, { limit: 7, kinds: ['status.changed'], sources: ['hook'], ...(cursor ? { cursor } : {}) });
      expect(page.events.every((e) => e.kind === 'status.changed' && e.source === 'hook')).toBe(true);
      seen.push(...page.events.map((e) => e.ts));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 1_000 + i));
    expect(store.reader.listEvents(S, { limit: 100, sources: ['otel'] }).events).toEqual([]);
  });

  it('answers an unknown session with no events', () => {
    expect(store.reader.listEvents('nope', { limit: 10 })).toEqual({ events: [], next_cursor: null });
  });
});

describe('totals', () => {
  it('counts exactly the stored events across duplicates and a rolled-back commit', () => {
    const count = (): number => {
      const db = new Database(store.path, { readonly: true });
      try {
        return Number(db.prepare('SELECT count(*) FROM events').pluck().get());
      } finally {
        db.close();
      }
    };
    store.writer.commit([...sessionAt(id(1), 1_000), ...sessionAt(id(2), 2_000)], []);
    store.writer.commit([...sessionAt(id(1), 1_000), ...sessionAt(id(3), 3_000)], []);
    // A checkpoint with a non-string value fails the transaction after its events were inserted.
    expect(() => store.writer.commit(sessionAt(id(4), 4_000), [unbindableCheckpoint()])).toThrow();
    store.writer.commit(sessionAt(id(5), 5_000), []);
    expect(count()).toBe(8);
    expect(store.reader.totals().events).toBe(8);
  });

  it('counts events and sessions and reports size and schema version, seeing commits made after the reader opened', () => {
    expect(store.reader.totals()).toMatchObject({ events: 0, sessions: 0, schema_version: LATEST_SCHEMA_VERSION });
    store.writer.commit([...sessionAt(id(1), 1_000), ...sessionAt(id(2), 2_000)], []);
    const totals = store.reader.totals();
    expect(totals).toMatchObject({ events: 4, sessions: 2, schema_version: LATEST_SCHEMA_VERSION });
    expect(totals.bytes).toBeGreaterThan(0);
    const another = store.openReader();
    try {
      expect(another.totals()).toEqual(totals);
    } finally {
      another.close();
    }
  });
});

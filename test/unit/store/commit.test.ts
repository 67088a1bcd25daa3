import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../../core/pipeline/sink.js';
import { projectSession } from '../../../core/merge/index.js';
import { openStore, type Store } from '../../../core/store/index.js';
import type { NormalizedEvent, SessionRecord } from '../../../schema/index.js';
import { ev, usage } from '../../support/events.js';
import { TEST_MACHINE, openTestStore, tableRows, tempDir, type TempDir, unbindableCheckpoint } from './store-fixture.js';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const C = 'cccccccc-0000-4000-8000-000000000003';

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

function turn(session: string, t: number, requestId: string): NormalizedEvent[] {
  return [
    ev.prompt(t, { text: `prompt at ${t}`, cwd: '/work/repo' }, { session_id: session }),
    ev.request(t + 10, { request_id: requestId, model: 'claude-sonnet-4-5', usage: usage({ input: 10, output: 20, cache_read: 300 }) }, { session_id: session }),
  ];
}

function countRows(table: string): number {
  return (tableRows(store.path, table, '1') as unknown[]).length;
}

describe('commit: dedupe', () => {
  it('committing the same batch twice inserts nothing the second time', () => {
    const batch = [ev.started(1_000, 'startup', { session_id: A }), ...turn(A, 2_000, 'req_1')];
    expect(store.writer.commit(batch, [])).toEqual({ inserted: 3, duplicates: 0, touched_sessions: [A], inserted_flags: [true, true, true] });
    expect(store.writer.commit(batch, [])).toEqual({ inserted: 0, duplicates: 3, touched_sessions: [], inserted_flags: [false, false, false] });
    expect(countRows('events')).toBe(3);
  });

  it('counts a key repeated inside one call as a duplicate at its later position', () => {
    const [first, second] = turn(A, 2_000, 'req_1');
    const result = store.writer.commit([first!, second!, first!], []);
    expect(result.inserted_flags).toEqual([true, true, false]);
    expect(result).toMatchObject({ inserted: 2, duplicates: 1 });
  });

  it('keeps the first version of an event whose dedupe key comes back with other content', () => {
    const original = ev.prompt(2_000, { text: 'original' }, { session_id: A, dedupe_key: 'k1' });
    const replay = ev.prompt(2_000, { text: 'changed' }, { session_id: A, dedupe_key: 'k1' });
    store.writer.commit([original], []);
    expect(store.writer.commit([replay], []).inserted).toBe(0);
    expect(store.reader.listEvents(A, { limit: 10 }).events.map((e) => e.attrs)).toEqual([{ text: 'original' }]);
  });
});

describe('commit: checkpoints', () => {
  it('upserts checkpoints with the events, the last value for a key winning', () => {
    const checkpoints: Checkpoint[] = [
      { collector: 'transcripts', key: '/a.jsonl', value: '{"offset":10}' },
      { collector: 'transcripts', key: '/a.jsonl', value: '{"offset":20}' },
      { collector: 'hooks', key: 'spool', value: '7' },
    ];
    store.writer.commit(turn(A, 2_000, 'req_1'), checkpoints);
    expect(store.writer.loadCheckpoints('transcripts')).toEqual(new Map([['/a.jsonl', '{"offset":20}']]));
    expect(store.writer.load('hooks')).toEqual(new Map([['spool', '7']]));
    expect(store.writer.loadCheckpoints('nobody')).toEqual(new Map());
  });

  it('commits a checkpoint-only batch', () => {
    expect(store.writer.commit([], [{ collector: 'c', key: 'k', value: 'v' }])).toEqual({
      inserted: 0,
      duplicates: 0,
      touched_sessions: [],
      inserted_flags: [],
    });
    expect(store.writer.loadCheckpoints('c').get('k')).toBe('v');
  });

  it('a null value deletes the checkpoint, in order with the others of the batch', () => {
    store.writer.commit([], [{ collector: 'c', key: 'gone', value: '1' }, { collector: 'c', key: 'kept', value: '2' }]);
    store.writer.commit(turn(A, 1_000, 'req_0'), [{ collector: 'c', key: 'gone', value: null }, { collector: 'c', key: 'back', value: null }, { collector: 'c', key: 'back', value: '3' }]);
    expect(store.writer.loadCheckpoints('c')).toEqual(new Map([['back', '3'], ['kept', '2']]));
    expect(countRows('events')).toBe(2);
  });

  it('a failure inside the transaction keeps neither the events nor the checkpoints nor any projection', () => {
    store.writer.commit(turn(A, 1_000, 'req_0'), [{ collector: 'transcripts', key: '/a.jsonl', value: 'old' }]);
    const before = tableRows(store.path, 'sessions', 'session_id');
    const broken = unbindableCheckpoint('transcripts', '/a.jsonl');
    expect(() =>
      store.writer.commit([...turn(A, 5_000, 'req_5'), ...turn(B, 5_000, 'req_b')], [{ collector: 'hooks', key: 's', value: '1' }, broken]),
    ).toThrow();
    expect(countRows('events')).toBe(2);
    expect(store.writer.loadCheckpoints('transcripts')).toEqual(new Map([['/a.jsonl', 'old']]));
    expect(store.writer.loadCheckpoints('hooks')).toEqual(new Map());
    expect(tableRows(store.path, 'sessions', 'session_id')).toEqual(before);
    expect(tableRows(store.path, 'session_keys', 'session_key')).toEqual([{ session_key: 1, session_id: A }]);
  });

  it('regression: a session key created by a rolled-back commit is not reused for another session', () => {
    store.writer.commit(turn(A, 1_000, 'req_a'), []);
    const broken = unbindableCheckpoint();
    expect(() => store.writer.commit(turn(B, 2_000, 'req_b'), [broken])).toThrow();
    store.writer.commit(turn(C, 3_000, 'req_c'), []);
    store.writer.commit(turn(B, 4_000, 'req_b2'), []);
    const c = store.reader.listEvents(C, { limit: 10 }).events;
    const b = store.reader.listEvents(B, { limit: 10 }).events;
    expect(c.map((e) => e.session_id)).toEqual([C, C]);
    expect(b.map((e) => e.session_id)).toEqual([B, B]);
    expect(b.map((e) => e.ts)).toEqual([4_000, 4_010]);
  });
});

describe('commit: projection', () => {
  function storedRecord(id: string): SessionRecord {
    const found = store.reader.findSession(id);
    if (!found || !('session' in found)) throw new Error(`no session ${id}`);
    return found.session;
  }

  it('stores exactly what projectSession returns, and the list columns from it', () => {
    const events = [ev.started(1_000, 'startup', { session_id: A }, { cwd: '/work/repo', model: 'claude-opus-4-1' }), ...turn(A, 2_000, 'req_1')];
    store.writer.commit(events, []);
    const expected = projectSession(events, { machine_id: TEST_MACHINE, foreign_request_keys: new Set() });
    const [row] = tableRows(store.path, 'sessions', 'session_id');
    expect(row!.record).toBe(JSON.stringify(expected));
    expect(row).toMatchObject({
      session_id: A,
      activity_key: expected.last_activity,
      status: expected.status,
      hidden: expected.hidden ? 1 : 0,
      first_started_at: expected.first_started_at,
      last_activity: expected.last_activity,
      cwd: '/work/repo',
      framework: 'claude_code',
      model: expected.model,
      tokens_input: 10,
      tokens_output: 20,
      tokens_cache_read: 300,
      cost_usd: expected.cost_usd,
    });
    expect(storedRecord(A)).toEqual(expected);
  });

  it('re-projects a session when it gets new events, and only sessions with new events', () => {
    store.writer.commit([...turn(A, 1_000, 'req_1'), ...turn(B, 1_000, 'req_b')], []);
    const result = store.writer.commit([...turn(A, 5_000, 'req_2'), ...turn(B, 1_000, 'req_b')], []);
    expect(result.touched_sessions).toEqual([A]);
    expect(storedRecord(A)).toMatchObject({ api_request_count: 2, tokens_input: 20, last_activity: 5_010 });
    expect(storedRecord(B)).toMatchObject({ api_request_count: 1, tokens_input: 10 });
  });

  it('writes one usage row per model and per agent, replacing the previous ones', () => {
    store.writer.commit(turn(A, 1_000, 'req_1'), []);
    store.writer.commit(
      [ev.request(3_000, { request_id: 'req_sub', model: 'claude-haiku-4-5', usage: usage({ input: 1, output: 2 }) }, { session_id: A, agent_id: 'agent-x' })],
      [],
    );
    const rows = tableRows(store.path, 'session_usage', 'dimension, name').map((r) => [r.dimension, r.name, r.requests, r.tokens_input, r.tokens_output]);
    expect(rows).toEqual([
      ['agent', 'agent-x', 1, 1, 2],
      ['agent', 'main', 1, 10, 20],
      ['model', 'claude-haiku-4-5', 1, 1, 2],
      ['model', 'claude-sonnet-4-5', 1, 10, 20],
    ]);
  });
});

describe('commit: one transaction', () => {
  it('fails whole while another connection holds the write lock, and succeeds once it is released', () => {
    store.close();
    store = openStore(join(tmp.dir, 'dossier.db'), { machineId: TEST_MACHINE, busyTimeoutMs: 20 });
    const other = new Database(store.path);
    other.pragma('busy_timeout = 0');
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      expect(() => store.writer.commit(turn(A, 1_000, 'req_1'), [])).toThrow(/locked|busy/i);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect(countRows('events')).toBe(0);
    expect(store.writer.commit(turn(A, 1_000, 'req_1'), []).inserted).toBe(2);
  });
});

describe('commit: totals past what the store can hold', () => {
  it('token and cost totals saturate instead of failing the commit (and every later open) when their sum passes 2^63', () => {
    // Each request is within bounds; 1,100 of them sum past the 64-bit integer columns.
    const max = Number.MAX_SAFE_INTEGER;
    const requests = Array.from({ length: 1_100 }, (_, i) =>
      ev.request(1_000 + i, { request_id: `req_${i}`, model: 'claude-opus-4-8', usage: usage({ input: max, cache_read: max }), reported_cost_usd: 1e300 }, { session_id: A, source: 'otel' }),
    );
    store.writer.commit(requests, []);
    const row = tableRows(store.path, 'sessions', 'session_id')[0]!;
    expect([row.tokens_input, row.tokens_cache_read, row.reported_cost_usd]).toEqual([max, max, 1e12]);
    const record = JSON.parse(row.record as string) as SessionRecord;
    expect([record.tokens_input, record.reported_cost_usd]).toEqual([max, 1e12]);
    store.close();
    store = openTestStore(tmp.dir);
    expect(store.writer.rebuild()).toEqual({ sessions: 1, events: 1_100 });
    expect(tableRows(store.path, 'sessions', 'session_id')[0]).toEqual(row);
  });
});

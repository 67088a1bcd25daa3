import { describe, expect, it } from 'vitest';
import type { CommittedBatch } from '../../../core/pipeline/commit-listeners.js';
import { isDossierError, type NormalizedEvent } from '../../../schema/index.js';
import { ev } from '../../support/events.js';
import { FakeWriter, pipelinesStoppedAfterEach } from './fake-writer.js';

const S1 = 'session-1';
const S2 = 'session-2';

function events(n: number, session = S1, from = 0): NormalizedEvent[] {
  return Array.from({ length: n }, (_, i) => ev.activity(1_000 + from + i, { session_id: session }));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

const pipeline = pipelinesStoppedAfterEach();

describe('IngestPipeline: coalescing and attribution', () => {
  it('commits submits made together in one transaction and answers each with its own counts', async () => {
    const writer = new FakeWriter();
    const p = pipeline(writer);
    const shared = events(2, S1, 0);
    const results = await Promise.all([
      p.submit({ events: shared, checkpoints: [{ collector: 'a', key: 'f', value: '1' }] }),
      p.submit({ events: [...events(3, S2, 10)] }),
      // Repeats the first submitter's events in the same transaction: duplicates for this submitter only.
      p.submit({ events: [...shared, ...events(1, S1, 20)], checkpoints: [{ collector: 'a', key: 'f', value: '2' }] }),
    ]);
    expect(writer.calls).toHaveLength(1);
    expect(writer.calls[0]!.events).toHaveLength(8);
    expect(results).toEqual([
      { received: 2, inserted: 2, duplicates: 0 },
      { received: 3, inserted: 3, duplicates: 0 },
      { received: 3, inserted: 1, duplicates: 2 },
    ]);
    expect(writer.checkpoints.get('a/f')).toBe('2');
    expect(p.counters()).toMatchObject({ received: 8, inserted: 6, duplicates: 2, rejected: 0, batches: 1, queue_depth: 0 });
    expect(p.counters().last_commit_ms).not.toBeNull();
  });

  it('a later submit of already committed events is all duplicates', async () => {
    const writer = new FakeWriter();
    const p = pipeline(writer);
    const batch = events(4);
    await p.submit({ events: batch });
    expect(await p.submit({ events: batch })).toEqual({ received: 4, inserted: 0, duplicates: 4 });
  });

  it('splits a long queue into transactions of at most maxBatchEvents, never splitting a submission', async () => {
    const writer = new FakeWriter();
    const p = pipeline(writer, { maxBatchEvents: 5 });
    await Promise.all([
      p.submit({ events: events(3, S1, 0) }),
      p.submit({ events: events(3, S1, 10) }),
      p.submit({ events: events(7, S1, 20) }),
      p.submit({ events: events(2, S1, 40) }),
    ]);
    expect(writer.calls.map((c) => c.events.length)).toEqual([3, 3, 7, 2]);
    expect(p.counters().batches).toBe(4);
  });

  it('notifies listeners after each commit with the touched sessions', async () => {
    const writer = new FakeWriter();
    const p = pipeline(writer);
    const seen: CommittedBatch[] = [];
    const unsubscribe = p.onCommitted((b) => seen.push(b));
    p.onCommitted(() => {
      throw new Error('a broken listener');
    });
    await Promise.all([p.submit({ events: events(2, S2) }), p.submit({ events: events(1, S1) })]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ touched_sessions: [S1, S2], events: 3, inserted: 3, duplicates: 0 });
    unsubscribe();
    await p.submit({ events: events(1, S1, 50) });
    expect(seen).toHaveLength(1);
  });
});

describe('IngestPipeline: bounds and failures', () => {
  it('refuses at once a batch that would overflow the queue, and accepts again once it drains', async () => {
    const writer = new FakeWriter();
    const p = pipeline(writer, { capacity: 10 });
    const first = p.submit({ events: events(8) });
    expect(p.accepting).toBe(true);
    const refused = await rejection(p.submit({ events: events(3, S1, 100) }));
    expect(isDossierError(refused, 'DOSSIER_E_PIPELINE_QUEUE_FULL')).toBe(true);
    expect((refused as { retryable: boolean }).retryable).toBe(true);
    const fits = p.submit({ events: events(2, S1, 200) });
    expect(p.accepting).toBe(false);
    expect(p.counters()).toMatchObject({ queue_depth: 10, queue_capacity: 10, rejected: 3 });
    await Promise.all([first, fits]);
    expect(p.accepting).toBe(true);
    expect(await p.submit({ events: events(3, S1, 100) })).toMatchObject({ inserted: 3 });
  });

  it('refuses a batch larger than the whole capacity, saying so', async () => {
    const p = pipeline(new FakeWriter(), { capacity: 4 });
    const refused = await rejection(p.submit({ events: events(5) }));
    expect(isDossierError(refused, 'DOSSIER_E_PIPELINE_QUEUE_FULL')).toBe(true);
    expect((refused as Error).message).toMatch(/exceeds the queue capacity of 4/);
  });

  it('rejects the submitters of a failed commit with DOSSIER_E_STORE_WRITE and keeps running', async () => {
    const writer = new FakeWriter();
    writer.broken = new Error('disk I/O error');
    const p = pipeline(writer);
    const [a, b] = await Promise.allSettled([p.submit({ events: events(2) }), p.submit({ events: events(1, S2) })]);
    for (const outcome of [a, b]) {
      expect(outcome!.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as Error & { cause: unknown };
      expect(isDossierError(reason, 'DOSSIER_E_STORE_WRITE')).toBe(true);
      expect(reason.message).toContain('disk I/O error');
      expect(reason.cause).toBe(writer.broken);
    }
    // The coalesced transaction, then each submission alone.
    expect(writer.calls.map((c) => c.events.length)).toEqual([3, 2, 1]);
    expect(writer.keys.size).toBe(0);
    writer.broken = null;
    expect(await p.submit({ events: events(2) })).toEqual({ received: 2, inserted: 2, duplicates: 0 });
    expect(p.counters()).toMatchObject({ received: 5, inserted: 2, rejected: 3, batches: 1 });
  });

  it('passes stored-form attrs to the writer by event position, and none for a group without them', async () => {
    const writer = new FakeWriter();
    const p = pipeline(writer);
    const [plain, stored, mismatched] = [events(2), events(2, S2, 100), events(1, S1, 200)];
    await Promise.all([
      p.submit({ events: plain }),
      p.submit({ events: stored, attrsJson: ['{"a":1}', '{"a":2}'] }),
      // A list that does not match its events is not used at all.
      p.submit({ events: mismatched, attrsJson: ['{}', '{}'] }),
    ]);
    await p.submit({ events: events(1, S2, 300) });
    expect(writer.calls.map((c) => c.storedAttrs)).toEqual([[undefined, undefined, '{"a":1}', '{"a":2}', undefined], undefined]);
  });

  it('a submission that cannot be stored fails alone, not the others coalesced with it', async () => {
    const writer = new FakeWriter();
    const bad = events(2, S2, 500);
    writer.poison.add(bad[1]!.dedupe_key);
    const p = pipeline(writer);
    const seen: number[] = [];
    p.onCommitted((b) => seen.push(b.events));
    const [a, b, c] = await Promise.allSettled([p.submit({ events: events(2) }), p.submit({ events: bad }), p.submit({ events: events(3, S1, 10) })]);
    expect(a).toEqual({ status: 'fulfilled', value: { received: 2, inserted: 2, duplicates: 0 } });
    expect(c).toEqual({ status: 'fulfilled', value: { received: 3, inserted: 3, duplicates: 0 } });
    expect(b!.status).toBe('rejected');
    expect(isDossierError((b as PromiseRejectedResult).reason, 'DOSSIER_E_STORE_WRITE')).toBe(true);
    expect(writer.keys.has(bad[0]!.dedupe_key)).toBe(false);
    expect(seen).toEqual([2, 3]);
    expect(p.counters()).toMatchObject({ received: 7, inserted: 5, rejected: 2, batches: 2 });
  });

  it('answers DOSSIER_E_INTERNAL, without retrying, when the writer result does not fit the batch', async () => {
    let calls = 0;
    const p = pipeline({
      commit: () => {
        calls++;
        return { inserted_flags: [true], touched_sessions: [] };
      },
    });
    const outcomes = await Promise.allSettled([p.submit({ events: events(2) }), p.submit({ events: events(1, S2) })]);
    for (const o of outcomes) expect(isDossierError((o as PromiseRejectedResult).reason, 'DOSSIER_E_INTERNAL')).toBe(true);
    expect(calls).toBe(1);
  });
});

describe('IngestPipeline: drain and stop', () => {
  it('drain settles once everything queued is committed, and keeps accepting', async () => {
    const writer = new FakeWriter();
    const p = pipeline(writer);
    void p.submit({ events: events(3) });
    void p.submit({ events: events(2, S2) });
    await p.drain();
    expect(writer.keys.size).toBe(5);
    expect(p.accepting).toBe(true);
    await expect(p.drain()).resolves.toBeUndefined();
  });

  it('stop commits everything queued, then refuses new batches with DOSSIER_E_PIPELINE_STOPPED', async () => {
    const writer = new FakeWriter();
    const p = pipeline(writer, { maxBatchEvents: 2 });
    const pending = [p.submit({ events: events(2) }), p.submit({ events: events(2, S1, 10) }), p.submit({ events: events(2, S2) })];
    const stopped = p.stop(60_000);
    expect(p.accepting).toBe(false);
    const refused = await rejection(p.submit({ events: events(1, S1, 99) }));
    expect(isDossierError(refused, 'DOSSIER_E_PIPELINE_STOPPED')).toBe(true);
    await stopped;
    expect((await Promise.all(pending)).map((r) => r.inserted)).toEqual([2, 2, 2]);
    expect(writer.calls).toHaveLength(3);
    expect(p.stop(0)).toBe(stopped);
  });

  it('stop refuses, for redelivery, what is still queued when its deadline has passed', async () => {
    let now = 0;
    const writer = new FakeWriter();
    const p = pipeline(writer, { maxBatchEvents: 1, clock: () => now });
    const first = p.submit({ events: events(1) });
    const second = p.submit({ events: events(1, S1, 10) });
    const third = p.submit({ events: events(1, S1, 20) });
    p.onCommitted(() => {
      now += 1_000;
    });
    await p.stop(500);
    expect(await first).toMatchObject({ inserted: 1 });
    for (const late of [second, third]) expect(isDossierError(await rejection(late), 'DOSSIER_E_PIPELINE_STOPPED')).toBe(true);
    expect(writer.keys.size).toBe(1);
    expect(p.counters()).toMatchObject({ received: 3, inserted: 1, rejected: 2, queue_depth: 0 });
  });

  it('stop on an idle pipeline settles at once and is idempotent', async () => {
    const p = pipeline(new FakeWriter());
    const a = p.stop(0);
    expect(p.stop(1_000)).toBe(a);
    await a;
    expect(p.accepting).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { CommittedBatch } from '../../../core/pipeline/commit-listeners.js';
import type { DeferredProjectionWriter } from '../../../core/pipeline/ingest-pipeline.js';
import type { Checkpoint } from '../../../core/pipeline/sink.js';
import type { NormalizedEvent } from '../../../schema/index.js';
import { ev } from '../../support/events.js';
import { FakeWriter, pipelinesStoppedAfterEach } from './fake-writer.js';

const S1 = 'session-1';
const S2 = 'session-2';

/**
 * A fake store writer that can defer projection like the store's: `commit`
 * projects every dirty session with its own, `commitDeferred` only marks them.
 */
class FakeDeferredWriter extends FakeWriter implements DeferredProjectionWriter {
  readonly dirty = new Set<string>();
  readonly budgets: number[] = [];
  readonly modes: ('deferred' | 'ordinary')[] = [];
  /** While set, `reprojectDirty` throws it and keeps the sessions dirty. */
  projectionFailure: Error | null = null;

  override commit(events: readonly NormalizedEvent[], checkpoints: readonly Checkpoint[]) {
    const result = super.commit(events, checkpoints);
    this.modes.push('ordinary');
    for (const id of result.touched_sessions) this.dirty.add(id);
    const touched = [...this.dirty].sort();
    this.dirty.clear();
    return { inserted_flags: result.inserted_flags, touched_sessions: touched };
  }

  commitDeferred(events: readonly NormalizedEvent[], checkpoints: readonly Checkpoint[]) {
    const result = super.commit(events, checkpoints);
    this.modes.push('deferred');
    for (const id of result.touched_sessions) this.dirty.add(id);
    return { inserted_flags: result.inserted_flags, touched_sessions: [] };
  }

  reprojectDirty(budgetMs = Number.POSITIVE_INFINITY) {
    this.budgets.push(budgetMs);
    if (this.projectionFailure) throw this.projectionFailure;
    const touched = [...this.dirty].sort();
    this.dirty.clear();
    return { touched_sessions: touched, remaining: 0 };
  }
}

function activity(session: string, ts: number): NormalizedEvent {
  return ev.activity(ts, { session_id: session });
}

const pipeline = pipelinesStoppedAfterEach();

describe('IngestPipeline with deferred projection', () => {
  it('commits a lone batch the ordinary way: projected before it is acknowledged', async () => {
    const writer = new FakeDeferredWriter();
    const p = pipeline(writer);
    const seen: CommittedBatch[] = [];
    p.onCommitted((b) => seen.push(b));
    await expect(p.submit({ events: [activity(S1, 1), activity(S2, 2)], checkpoints: [] })).resolves.toEqual({ received: 2, inserted: 2, duplicates: 0 });
    expect(writer.modes).toEqual(['ordinary']);
    expect(writer.dirty.size).toBe(0);
    expect(seen).toEqual([expect.objectContaining({ touched_sessions: [S1, S2], events: 2, inserted: 2 })]);
  });

  it('defers projection of commits with more queued behind them; the commit that empties the queue projects them all', async () => {
    const writer = new FakeDeferredWriter();
    // One submission per transaction, so five queued submissions are five commits.
    const p = pipeline(writer, { maxBatchEvents: 1, projectionMaxLagMs: 60_000 });
    const seen: CommittedBatch[] = [];
    p.onCommitted((b) => seen.push(b));
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => p.submit({ events: [activity(i % 2 === 0 ? S1 : S2, i)], checkpoints: [] })));
    expect(results.every((r) => r.inserted === 1)).toBe(true);
    expect(writer.modes).toEqual(['deferred', 'deferred', 'deferred', 'deferred', 'ordinary']);
    expect(writer.budgets).toEqual([]);
    expect(writer.dirty.size).toBe(0);
    expect(seen.map((b) => b.touched_sessions)).toEqual([[], [], [], [], [S1, S2]]);
  });

  it('projects within its budget between queued commits once the oldest dirty session waited the longest lag', async () => {
    let now = 0;
    const writer = new FakeDeferredWriter();
    const commitDeferred = writer.commitDeferred.bind(writer);
    writer.commitDeferred = (events, checkpoints) => {
      now += 60;
      return commitDeferred(events, checkpoints);
    };
    const p = pipeline(writer, { clock: () => now, maxBatchEvents: 1, projectionMaxLagMs: 100, projectionBudgetMs: 40 });
    const seen: CommittedBatch[] = [];
    p.onCommitted((b) => seen.push(b));
    await Promise.all([1, 2, 3, 4].map((i) => p.submit({ events: [activity(S1, i)], checkpoints: [] })));
    // Dirty since t=60; the third commit (t=180) passes the lag; the fourth empties the queue.
    expect(writer.budgets).toEqual([40]);
    expect(seen.filter((b) => b.events === 0).map((b) => b.touched_sessions)).toEqual([[S1]]);
    expect(writer.dirty.size).toBe(0);
  });

  it('a failing deferred projection is logged, leaves acknowledgements alone, and the next ordinary commit catches up', async () => {
    const writer = new FakeDeferredWriter();
    const errors: unknown[] = [];
    const logger = { error: (obj: unknown) => errors.push(obj), info: () => {}, warn: () => {} } as unknown as import('pino').Logger;
    const p = pipeline(writer, { logger, maxBatchEvents: 1, projectionMaxLagMs: 0 });
    writer.projectionFailure = new Error('disk full');
    const results = await Promise.all([1, 2].map((i) => p.submit({ events: [activity(i === 1 ? S1 : S2, i)], checkpoints: [] })));
    expect(results.map((r) => r.inserted)).toEqual([1, 1]);
    expect(errors).toHaveLength(1);
    expect(writer.modes).toEqual(['deferred', 'ordinary']);
    expect(writer.dirty.size).toBe(0);
  });

  it('drain and stop project what a failed projection left dirty', async () => {
    const writer = new FakeDeferredWriter();
    const p = pipeline(writer, { maxBatchEvents: 1, projectionMaxLagMs: 0, logger: { error: () => {}, info: () => {}, warn: () => {} } as unknown as import('pino').Logger });
    writer.projectionFailure = new Error('busy');
    const first = p.submit({ events: [activity(S1, 1)], checkpoints: [] });
    // The second commit fails as a whole, so nothing ordinary catches up.
    writer.poison.add('poison');
    const second = p.submit({ events: [{ ...activity(S2, 2), dedupe_key: 'poison' }], checkpoints: [] });
    await first;
    await expect(second).rejects.toThrow();
    expect(writer.dirty).toEqual(new Set([S1]));
    writer.projectionFailure = null;
    await p.drain();
    expect(writer.dirty.size).toBe(0);
  });
});

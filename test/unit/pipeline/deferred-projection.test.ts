import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommittedBatch } from '../../../core/pipeline/commit-listeners.js';
import { IngestPipeline, type DeferredProjectionWriter } from '../../../core/pipeline/ingest-pipeline.js';
import type { Checkpoint } from '../../../core/pipeline/sink.js';
import type { NormalizedEvent } from '../../../schema/index.js';
import { ev } from '../../support/events.js';
import { FakeWriter } from './fake-writer.js';

const S1 = 'session-1';
const S2 = 'session-2';

/** A fake store writer that defers projection: commits mark sessions dirty, `reprojectDirty` clears them. */
class FakeDeferredWriter extends FakeWriter implements DeferredProjectionWriter {
  readonly dirty = new Set<string>();
  readonly budgets: number[] = [];
  /** While set, `reprojectDirty` throws it and keeps the sessions dirty. */
  projectionFailure: Error | null = null;

  commitDeferred(events: readonly NormalizedEvent[], checkpoints: readonly Checkpoint[]) {
    const result = this.commit(events, checkpoints);
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

const open: IngestPipeline[] = [];
function pipeline(writer: FakeDeferredWriter, options: ConstructorParameters<typeof IngestPipeline>[1] = {}): IngestPipeline {
  const p = new IngestPipeline(writer, options);
  open.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.stop(1_000)));
});

describe('IngestPipeline with deferred projection', () => {
  it('projects a lone commit before acknowledging it, and reports its sessions with the commit', async () => {
    const writer = new FakeDeferredWriter();
    const p = pipeline(writer);
    const seen: CommittedBatch[] = [];
    p.onCommitted((b) => seen.push(b));
    await expect(p.submit({ events: [activity(S1, 1), activity(S2, 2)], checkpoints: [] })).resolves.toEqual({ received: 2, inserted: 2, duplicates: 0 });
    expect(writer.dirty.size).toBe(0);
    expect(writer.budgets).toEqual([Number.POSITIVE_INFINITY]);
    expect(seen).toEqual([expect.objectContaining({ touched_sessions: [S1, S2], events: 2, inserted: 2 })]);
  });

  it('acknowledges queued commits at once and projects them together when the queue empties', async () => {
    const writer = new FakeDeferredWriter();
    // One submission per transaction, so five queued submissions are five commits.
    const p = pipeline(writer, { maxBatchEvents: 1, projectionMaxLagMs: 60_000 });
    const seen: CommittedBatch[] = [];
    p.onCommitted((b) => seen.push(b));
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => p.submit({ events: [activity(i % 2 === 0 ? S1 : S2, i)], checkpoints: [] })));
    expect(results.every((r) => r.inserted === 1)).toBe(true);
    expect(writer.calls).toHaveLength(5);
    expect(writer.budgets).toEqual([Number.POSITIVE_INFINITY]);
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
    // Dirty since t=60; the third commit (t=180) passes the lag, the fourth empties the queue.
    expect(writer.budgets).toEqual([40, Number.POSITIVE_INFINITY]);
    expect(seen.filter((b) => b.events === 0).map((b) => b.touched_sessions)).toEqual([[S1]]);
    expect(writer.dirty.size).toBe(0);
  });

  it('a duplicate-only commit leaves nothing to project', async () => {
    const writer = new FakeDeferredWriter();
    const p = pipeline(writer);
    await p.submit({ events: [activity(S1, 1)], checkpoints: [] });
    await p.submit({ events: [activity(S1, 1)], checkpoints: [] });
    await p.drain();
    expect(writer.budgets).toHaveLength(1);
  });

  it('a failing projection is logged, leaves acknowledgements alone, and is retried by the next drain', async () => {
    const writer = new FakeDeferredWriter();
    const errors: unknown[] = [];
    const logger = { error: (obj: unknown) => errors.push(obj), info: () => {}, warn: () => {} } as unknown as import('pino').Logger;
    const p = pipeline(writer, { logger });
    writer.projectionFailure = new Error('disk full');
    await expect(p.submit({ events: [activity(S1, 1)], checkpoints: [] })).resolves.toMatchObject({ inserted: 1 });
    expect(errors).toHaveLength(1);
    expect(writer.dirty).toEqual(new Set([S1]));
    writer.projectionFailure = null;
    await p.drain();
    expect(writer.dirty.size).toBe(0);
  });
});

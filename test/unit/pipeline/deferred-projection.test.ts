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
  it('acknowledges each commit at once and projects a run of busy commits once, when drained', async () => {
    const writer = new FakeDeferredWriter();
    // Quiet time and lag far beyond the test: only drain projects.
    const p = pipeline(writer, { projectionIdleMs: 60_000, projectionMaxLagMs: 60_000 });
    const seen: CommittedBatch[] = [];
    p.onCommitted((b) => seen.push(b));
    for (let i = 0; i < 5; i++) {
      await expect(p.submit({ events: [activity(i % 2 === 0 ? S1 : S2, i)], checkpoints: [] })).resolves.toEqual({ received: 1, inserted: 1, duplicates: 0 });
    }
    expect(writer.budgets).toEqual([]);
    expect(writer.dirty).toEqual(new Set([S1, S2]));
    await p.drain();
    expect(writer.budgets).toEqual([Number.POSITIVE_INFINITY]);
    expect(writer.dirty.size).toBe(0);
    expect(seen.map((b) => b.touched_sessions)).toEqual([[], [], [], [], [], [S1, S2]]);
    expect(seen.at(-1)).toMatchObject({ events: 0, inserted: 0, duplicates: 0 });
  });

  it('projects by itself once the writer goes quiet', async () => {
    const writer = new FakeDeferredWriter();
    const p = pipeline(writer);
    const seen: string[][] = [];
    p.onCommitted((b) => seen.push([...b.touched_sessions]));
    await p.submit({ events: [activity(S1, 1)], checkpoints: [] });
    await vi.waitFor(() => expect(writer.dirty.size).toBe(0), { timeout: 5_000, interval: 5 });
    expect(seen).toEqual([[], [S1]]);
    expect(writer.budgets).toHaveLength(1);
  });

  it('projects between commits, within its budget, once the oldest dirty session waited the longest lag', async () => {
    const writer = new FakeDeferredWriter();
    let now = 0;
    const p = pipeline(writer, { clock: () => now, projectionIdleMs: 60_000, projectionMaxLagMs: 100, projectionBudgetMs: 40 });
    await p.submit({ events: [activity(S1, 1)], checkpoints: [] });
    now = 50;
    await p.submit({ events: [activity(S1, 2)], checkpoints: [] });
    expect(writer.budgets).toEqual([]);
    now = 150;
    await p.submit({ events: [activity(S2, 3)], checkpoints: [] });
    expect(writer.budgets).toEqual([40]);
    expect(writer.dirty.size).toBe(0);
  });

  it('a duplicate-only commit leaves nothing to project', async () => {
    const writer = new FakeDeferredWriter();
    const p = pipeline(writer, { projectionIdleMs: 60_000 });
    await p.submit({ events: [activity(S1, 1)], checkpoints: [] });
    await p.drain();
    await p.submit({ events: [activity(S1, 1)], checkpoints: [] });
    await p.drain();
    expect(writer.budgets).toHaveLength(1);
  });

  it('a failing projection is logged, leaves acknowledgements alone, and is retried by the next drain', async () => {
    const writer = new FakeDeferredWriter();
    const errors: unknown[] = [];
    const logger = { error: (obj: unknown) => errors.push(obj), info: () => {}, warn: () => {} } as unknown as import('pino').Logger;
    const p = pipeline(writer, { projectionIdleMs: 60_000, logger });
    writer.projectionFailure = new Error('disk full');
    await expect(p.submit({ events: [activity(S1, 1)], checkpoints: [] })).resolves.toMatchObject({ inserted: 1 });
    await p.drain();
    expect(errors).toHaveLength(1);
    expect(writer.dirty).toEqual(new Set([S1]));
    writer.projectionFailure = null;
    await p.drain();
    expect(writer.dirty.size).toBe(0);
  });

  it('stop projects what is still dirty', async () => {
    const writer = new FakeDeferredWriter();
    const p = pipeline(writer, { projectionIdleMs: 60_000, projectionMaxLagMs: 60_000 });
    await p.submit({ events: [activity(S1, 1)], checkpoints: [] });
    await p.stop(1_000);
    expect(writer.dirty.size).toBe(0);
  });
});

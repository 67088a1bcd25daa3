/**
 * A failed reader's last words: after a reader fails, anything it still
 * reports (a "caught up" already on its way, a batch) belongs to no one. The
 * collector must wait for the new reader before calling the backfill done.
 * The tailer host is replaced by a scripted one so those stale reports can be
 * sent at will.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { Counters } from '../../../core/pipeline/counters.js';
import type { HostEvents, TailerHost } from '../../../collectors/transcripts/tailer-host.js';
import type { TailBatch } from '../../../collectors/transcripts/tailer.js';
import type { IngestBatch, IngestResult } from '../../../core/pipeline/sink.js';
import { ev } from '../../support/events.js';
import { transcriptsFactory } from '../../../collectors/transcripts/index.js';
import type { TranscriptsCollector } from '../../../collectors/transcripts/collector.js';
import { MemorySink } from './support/memory-sink.js';

const launches: HostEvents[] = [];

vi.mock('../../../collectors/transcripts/tailer-host.js', () => {
  const host = (events: HostEvents): TailerHost => {
    launches.push(events);
    return { ack: () => undefined, retry: () => undefined, rescanAll: () => undefined, stats: () => ({ watched_dirs: 0, queued_files: 0, watch_failures: 0 }), stop: () => Promise.resolve() };
  };
  return { startInline: (_init: unknown, events: HostEvents) => host(events), startWorker: (_init: unknown, events: HostEvents) => host(events) };
});

const PLAN = { files: 1, bytes: 10, sessions: 1 };

/** A batch of one event that advances `path` to `value`. */
function batchOf(path: string, value: string, generation: number): TailBatch {
  const event = ev.activity(1, { session_id: 's-1', dedupe_key: `k-${path}` });
  return { events: [event], checkpoints: [{ key: path, value }], bytes: 1, lines: 1, finished: [], sessions: [], gone: [], counters: {}, backfill: true, generation };
}

/** A sink whose first submit waits until released. */
class HeldSink extends MemorySink {
  release: () => void = () => undefined;
  /** Submits begun, held ones included. */
  entered = 0;
  #held = true;

  override async submit(batch: IngestBatch): Promise<IngestResult> {
    this.entered++;
    if (this.#held) {
      this.#held = false;
      await new Promise<void>((resolve) => (this.release = resolve));
    }
    return super.submit(batch);
  }
}

/** A started collector over `sink`, reading inline from a root that does not exist (the scripted host reports instead). */
async function startCollector(sink: MemorySink, counters = new Counters()): Promise<TranscriptsCollector> {
  const collector = transcriptsFactory.create(
    { logger: pino({ level: 'silent' }), counters, checkpoints: sink, home: '/nonexistent', now: Date.now },
    { ...transcriptsFactory.defaultConfig(), claude_dirs: ['/nonexistent'], default_roots: false, reader: 'inline', progress: 'never', rescan_interval_ms: 0 },
    sink,
  ) as TranscriptsCollector;
  await collector.start();
  return collector;
}

describe('transcripts collector restart', () => {
  let collector: TranscriptsCollector | null = null;
  afterEach(async () => {
    await collector?.shutdown(1_000);
    collector = null;
    launches.length = 0;
  });

  it('ignores a failed reader\'s late "caught up" and goes live only when the new reader catches up', async () => {
    const sink = new MemorySink();
    const counters = new Counters();
    collector = await startCollector(sink, counters);
    expect(launches).toHaveLength(1);
    const failed = launches[0]!;
    failed.discovered(PLAN, 1);
    failed.fatal('reader bug');
    failed.caughtUp();
    await new Promise((r) => setTimeout(r, 50));
    expect(collector.status().phase).not.toBe('live');
    expect(counters.get('transcripts.reader_restarts')).toBe(1);

    await vi.waitFor(() => expect(launches).toHaveLength(2), { timeout: 5_000 });
    const next = launches[1]!;
    next.discovered(PLAN, 1);
    expect(collector.status().phase).not.toBe('live');
    next.caughtUp();
    await vi.waitFor(() => expect(collector!.status().phase).toBe('live'), { timeout: 5_000 });
  });

  it('commits the new reader\'s batches that arrive while the failed reader\'s last batch is still being committed', async () => {
    const sink = new HeldSink();
    collector = await startCollector(sink);
    const failed = launches[0]!;
    failed.discovered(PLAN, 1);
    failed.batch(batchOf('/a.jsonl', 'a1', 0));
    await vi.waitFor(() => expect(sink.entered).toBe(1));
    failed.fatal('reader bug');
    await vi.waitFor(() => expect(launches).toHaveLength(2), { timeout: 5_000 });
    launches[1]!.batch(batchOf('/b.jsonl', 'b1', 1));
    sink.release();
    await vi.waitFor(() => expect(sink.checkpoints.get('/b.jsonl')).toBe('b1'), { timeout: 5_000 });
    expect(sink.checkpoints.get('/a.jsonl')).toBe('a1');
    expect([...sink.events.keys()].sort()).toEqual(['k-/a.jsonl', 'k-/b.jsonl']);
  });
});

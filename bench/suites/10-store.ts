/**
 * Store + pipeline speed: events per second committed through the real
 * IngestPipeline into a real SQLite store on a temp directory, with the full
 * commit path (dedupe insert, checkpoint, claims, re-projection of every
 * touched session), for batches of 1, 100 and 10,000 events; and the cost of
 * re-projecting one session of 100k events inside the store.
 *
 * Workload: 50 sessions of realistic shape (the merge suite's generator:
 * prompts and tool calls seen by three sources, streamed transcript lines
 * plus OTel copies, subagents, hooks, metrics), each in time order, delivered
 * as the collectors deliver them: round-robin chunks of 100 events of one
 * session, with one checkpoint per chunk.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sortEvents } from '../../core/merge/index.js';
import { IngestPipeline } from '../../core/pipeline/ingest-pipeline.js';
import type { Checkpoint, IngestBatch } from '../../core/pipeline/sink.js';
import { openStore, type Store } from '../../core/store/index.js';
import type { NormalizedEvent } from '../../schema/index.js';
import type { BenchRow } from '../row.js';
import { generateSession } from './20-merge.js';

const SESSIONS = 50;
const CHUNK = 100;
const SUITE = 'store';

function sessionIdOf(i: number): string {
  return `${i.toString(16).padStart(8, '0')}-bench-4000-8000-000000000000`;
}

/** Id attributes the generator numbers per session; real ones are globally unique, so they get the session's prefix. */
const UNIQUE_ID_ATTRS = ['request_id', 'message_id', 'tool_use_id', 'prompt_id'] as const;

/** One session's events in time order, with session id, dedupe keys and request/tool ids of its own. */
function sessionStream(index: number, count: number): NormalizedEvent[] {
  const id = sessionIdOf(index);
  return sortEvents(generateSession(count, index + 1)).map((e) => {
    const attrs: Record<string, unknown> = { ...e.attrs };
    for (const name of UNIQUE_ID_ATTRS) if (typeof attrs[name] === 'string') attrs[name] = `${index}_${attrs[name] as string}`;
    return { ...e, session_id: id, dedupe_key: `${id}:${e.dedupe_key}`, attrs } as NormalizedEvent;
  });
}

/** `total` events over {@link SESSIONS} sessions, as round-robin chunks of one session each. */
function chunkedWorkload(total: number): { events: NormalizedEvent[]; checkpoint: Checkpoint }[] {
  const perSession = Math.ceil(total / SESSIONS);
  const streams = Array.from({ length: SESSIONS }, (_, i) => sessionStream(i, perSession));
  const chunks: { events: NormalizedEvent[]; checkpoint: Checkpoint }[] = [];
  for (let offset = 0; offset < perSession; offset += CHUNK) {
    for (const [i, stream] of streams.entries()) {
      const events = stream.slice(offset, offset + CHUNK);
      if (events.length > 0) chunks.push({ events, checkpoint: { collector: 'bench', key: `file-${i}`, value: String(offset + events.length) } });
    }
  }
  return chunks;
}

/** Cuts the chunk stream into submissions of `size` events, each carrying the checkpoints it advances. */
function submissions(total: number, size: number): IngestBatch[] {
  const out: IngestBatch[] = [];
  let current: IngestBatch = { events: [], checkpoints: [] };
  for (const chunk of chunkedWorkload(total)) {
    for (const event of chunk.events) {
      current.events.push(event);
      if (current.events.length === size) {
        out.push(current);
        current = { events: [], checkpoints: [] };
      }
    }
    current.checkpoints!.push(chunk.checkpoint);
  }
  if (current.events.length > 0 || current.checkpoints!.length > 0) out.push(current);
  return out.slice(0, Math.ceil(total / size));
}

/** Runs `work` on a store in a fresh temp directory; reports the database size once closed (WAL folded in). */
async function withStore<T>(eventCacheEvents: number | undefined, work: (store: Store) => Promise<T>): Promise<{ result: T; bytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-store-'));
  const path = join(dir, 'bench.db');
  const store = openStore(path, { machineId: 'bench', eventCacheEvents });
  try {
    const result = await work(store);
    store.close();
    return { result, bytes: statSync(path).size };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Commits `total` events in submissions of `size`, each awaited (one transaction each) or all at once (coalesced). */
async function pipelineCase(size: number, total: number, mode: 'awaited' | 'coalesced'): Promise<BenchRow[]> {
  const batches = submissions(total, size);
  const events = batches.reduce((n, b) => n + b.events.length, 0);
  const { result: stats, bytes } = await withStore(undefined, async (store) => {
    const pipeline = new IngestPipeline(store.writer, { capacity: Math.max(events, 50_000) });
    const started = performance.now();
    if (mode === 'awaited') {
      for (const batch of batches) await pipeline.submit(batch);
    } else {
      await Promise.all(batches.map((b) => pipeline.submit(b)));
    }
    const seconds = (performance.now() - started) / 1000;
    await pipeline.stop(10_000);
    return { seconds, counters: pipeline.counters() };
  });
  if (stats.counters.inserted !== events) throw new Error(`bench: inserted ${stats.counters.inserted} of ${events} events`);
  return [
    {
      suite: SUITE,
      case: `pipeline+store, batches of ${size.toLocaleString('en-US')}${mode === 'coalesced' ? ' (submitted at once, coalesced)' : ''}`,
      value: Math.round(events / stats.seconds),
      unit: 'events/s',
      note: `${events.toLocaleString('en-US')} events, ${SESSIONS} sessions, ${stats.counters.batches} transactions, ${Math.round(bytes / events)} B/event on disk`,
    },
  ];
}

/**
 * Ingests one 100k-event session in one commit, then times re-projecting it:
 * one more event (the live path) and a rebuild. `eventCacheEvents` 0 makes
 * the live path reload the session from the ledger; a budget above 100k keeps
 * it in memory.
 */
async function bigSessionCase(eventCacheEvents: number): Promise<BenchRow[]> {
  const events = sessionStream(SESSIONS + 1, 100_000);
  const cached = eventCacheEvents > events.length;
  const { result } = await withStore(eventCacheEvents, async (store) => {
    let started = performance.now();
    store.writer.commit(events, []);
    const ingestMs = performance.now() - started;
    const last = events[events.length - 1]!;
    const next = { ...last, dedupe_key: `${last.dedupe_key}:next`, ts: last.ts + 1 } as NormalizedEvent;
    started = performance.now();
    store.writer.commit([next], []);
    const liveMs = performance.now() - started;
    started = performance.now();
    store.writer.rebuild();
    return { ingestMs, liveMs, rebuildMs: performance.now() - started };
  });
  const row = (name: string, ms: number, note: string): BenchRow => ({ suite: SUITE, case: `100k-event session: ${name}`, value: Number(ms.toFixed(1)), unit: 'ms', note });
  if (cached) return [row('commit 1 more event, session cached', result.liveMs, 'insert 1 + claims + project + write')];
  return [
    row('commit all in one transaction', result.ingestMs, 'insert 100k + load + project once'),
    row('commit 1 more event, not cached', result.liveMs, 'insert 1 + load 100k + claims + project + write'),
    row('rebuild', result.rebuildMs, 'load requests and starts (claims) + load all + project + write'),
  ];
}

/** Runs every store case in turn (they share the 2-core machine, so never in parallel). */
export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  rows.push(...(await pipelineCase(1, 2_000, 'awaited')));
  rows.push(...(await pipelineCase(1, 10_000, 'coalesced')));
  rows.push(...(await pipelineCase(100, 50_000, 'awaited')));
  rows.push(...(await pipelineCase(10_000, 100_000, 'awaited')));
  rows.push(...(await bigSessionCase(0)));
  rows.push(...(await bigSessionCase(200_000)));
  return rows;
}

/**
 * The collector as a component: backfill, live tailing (half lines, appends,
 * rewrites, deletions), restart from committed checkpoints, back-pressure
 * and failed commits, and the lifecycle contract. No timing assertions:
 * tests wait for conditions.
 */
import { describe, expect, it } from 'vitest';
import { appendFileSync, readFileSync, readdirSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { Counters } from '../../../core/pipeline/counters.js';
import { transcriptsFactory } from '../../../collectors/transcripts/index.js';
import type { TranscriptsCollector } from '../../../collectors/transcripts/collector.js';
import { harnessesPerTest, makeCollector, tempRoot } from './support/harness.js';
import { MemorySink } from './support/memory-sink.js';
import { readTree } from './support/read-tree.js';
import { tally } from './support/tally.js';

const SESSION = 'b645c7a3-b810-40ee-88aa-90bc5598a479';
const track = harnessesPerTest();

function mainFile(root: string): string {
  const dir = join(root, 'projects', readdirSync(join(root, 'projects'))[0]!);
  return join(dir, readdirSync(dir).find((f) => f.endsWith('.jsonl'))!);
}

const expectedKeys = (root: string) => new Set(readTree(root).events.map((e) => e.dedupe_key));

describe.each(['inline', 'worker'] as const)('transcripts collector (%s reader)', (reader) => {
  it('backfills every fixture event once, with checkpoints, then reports live', async () => {
    const h = track(makeCollector(tempRoot('d-subagent'), { reader }));
    const expected = expectedKeys(h.root);
    await h.collector.start();
    await h.sink.until(() => h.sink.events.size === expected.size && h.collector.status().phase === 'live', 'backfill');
    expect(new Set(h.sink.events.keys())).toEqual(expected);
    expect(h.sink.checkpoints.size).toBe(2);
    const s = h.collector.status();
    expect(s.progress).toMatchObject({ phase: 'live', files_total: 2, sessions_total: 1 });
    expect(h.counters.get('transcripts.events_inserted')).toBe(expected.size);
  });

  it('waits for the newline of a half-written line, then maps the whole line', async () => {
    const h = track(makeCollector(tempRoot('b-tools-http-json'), { reader }));
    const file = mainFile(h.root);
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    // Start with everything but the final response and the last-prompt line.
    writeFileSync(file, `${lines.slice(0, -2).join('\n')}\n`);
    await h.collector.start();
    await h.sink.until(() => h.collector.status().phase === 'live', 'backfill');
    const before = tally(h.sink.all(), SESSION).requests;
    expect(before).toBe(6);
    const last = lines.at(-2)!;
    appendFileSync(file, last.slice(0, 200));
    // Let the watcher fire on the half line and the reader look at it.
    await h.sink.until(() => h.counters.get('transcripts.lines_read') > 0, 'first read');
    await new Promise((r) => setTimeout(r, 150));
    expect(tally(h.sink.all(), SESSION).requests).toBe(6);
    appendFileSync(file, `${last.slice(200)}\n`);
    await h.sink.until(() => tally(h.sink.all(), SESSION).requests === 7, 'the completed line');
    expect(tally(h.sink.all(), SESSION)).toMatchObject({ requests: 7, output: 405 });
    expect(h.counters.get('transcripts.lines_malformed')).toBe(0);
  });

  it('re-reads a replaced or truncated file from the start without double counting', async () => {
    const h = track(makeCollector(tempRoot('b-tools-http-json'), { reader }));
    const file = mainFile(h.root);
    const original = readFileSync(file, 'utf8');
    await h.collector.start();
    await h.sink.until(() => h.collector.status().phase === 'live', 'backfill');
    const count = h.sink.events.size;
    // Replaced: a new inode with the same history plus one more prompt.
    const extra = original.split('\n')[2]!.replace('48bc9b6f-f0aa-49d4-9459-7b8c1e4062c7', '48bc9b6f-f0aa-49d4-9459-7b8c1e4062ff').replace('0503a3a0-0da1-427c-8525-bb4c5322c055', '0503a3a0-0da1-427c-8525-bb4c5322c0ff');
    writeFileSync(`${file}.tmp`, `${original}${extra}\n`);
    renameSync(`${file}.tmp`, file);
    await h.sink.until(() => h.sink.events.size === count + 1, 'the new prompt');
    await h.sink.until(() => h.counters.get('transcripts.files_replaced') === 1, 'replacement counted');
    // Truncated: shorter than the checkpoint; then rewritten in place.
    truncateSync(file, 0);
    appendFileSync(file, original);
    await h.sink.until(() => h.counters.get('transcripts.files_truncated') + h.counters.get('transcripts.files_replaced') >= 2, 'truncation noticed');
    await new Promise((r) => setTimeout(r, 100));
    expect(h.sink.events.size).toBe(count + 1);
    expect(tally(h.sink.all(), SESSION)).toMatchObject({ requests: 7, prompts: 2, tool_calls: 7 });
  });

  it('keeps the session when its file disappears', async () => {
    const h = track(makeCollector(tempRoot('a-simple-grpc'), { reader }));
    await h.collector.start();
    await h.sink.until(() => h.collector.status().phase === 'live', 'backfill');
    const count = h.sink.events.size;
    rmSync(mainFile(h.root));
    await new Promise((r) => setTimeout(r, 100));
    expect(h.sink.events.size).toBe(count);
    expect(h.collector.status().phase).toBe('live');
  });
});

describe('transcripts collector: restarts, back-pressure, failures, lifecycle', () => {
  it('resumes from committed checkpoints and reads nothing twice', async () => {
    const first = track(makeCollector(tempRoot('b-tools-grpc')));
    await first.collector.start();
    await first.sink.until(() => first.collector.status().phase === 'live', 'backfill');
    await first.collector.shutdown(1_000);
    const submits = first.sink.submits;
    const second = track(makeCollector(first.root, {}, first.sink));
    await second.collector.start();
    await second.sink.until(() => second.collector.status().phase === 'live', 'second start');
    expect(first.sink.submits).toBe(submits);
    expect(second.counters.get('transcripts.lines_read')).toBe(0);
  });

  it('re-reads everything on a rescan request, as a new backfill, inserting nothing new', async () => {
    const h = track(makeCollector(tempRoot('d-subagent')));
    await h.collector.start();
    await h.sink.until(() => h.collector.status().phase === 'live', 'backfill');
    const stored = h.sink.events.size;
    h.collector.requestRescan();
    expect(h.collector.status().phase).toBe('backfill');
    await h.sink.until(() => h.counters.get('transcripts.events_duplicate') === stored && h.collector.status().phase === 'live', 'the rescan');
    expect(h.sink.events.size).toBe(stored);
    expect(h.collector.status().progress).toMatchObject({ files_total: 2, files_done: 2 });
  });

  it('waits out a full queue and keeps every batch', async () => {
    const h = track(makeCollector(tempRoot('h-extras'), { batch_max_events: 3 }));
    h.sink.refuseNext = 5;
    await h.collector.start();
    await h.sink.until(() => h.collector.status().phase === 'live', 'backfill');
    expect(new Set(h.sink.events.keys())).toEqual(expectedKeys(h.root));
  });

  it('re-reads the files of a batch whose commit failed', async () => {
    const h = track(makeCollector(tempRoot('b-tools-http-protobuf'), { batch_max_events: 4 }));
    h.sink.failNext = 2;
    await h.collector.start();
    await h.sink.until(() => h.collector.status().phase === 'live', 'backfill');
    expect(new Set(h.sink.events.keys())).toEqual(expectedKeys(h.root));
    expect(h.counters.get('transcripts.batches_failed')).toBe(2);
  });

  it('dates a subagent whose sidecar lands after its last line was read', async () => {
    const root = tempRoot('d-subagent');
    const sub = join(root, 'projects', '-home-user-runs-d-subagent-proj', '221487a9-8603-4d04-a876-eae3d951bdec', 'subagents');
    const meta = readFileSync(join(sub, 'agent-a80849437ccc16144.meta.json'));
    rmSync(join(sub, 'agent-a80849437ccc16144.meta.json'));
    const h = track(makeCollector(root));
    await h.collector.start();
    await h.sink.until(() => h.collector.status().phase === 'live', 'backfill');
    expect(h.sink.all().filter((e) => e.kind === 'subagent.started')).toHaveLength(0);
    writeFileSync(join(sub, 'agent-a80849437ccc16144.meta.json'), meta);
    await h.sink.until(() => h.sink.all().some((e) => e.kind === 'subagent.started'), 'the late subagent start');
    const started = h.sink.all().find((e) => e.kind === 'subagent.started')!;
    expect(started).toMatchObject({ agent_id: 'a80849437ccc16144', session_id: '221487a9-8603-4d04-a876-eae3d951bdec', attrs: { agent_type: 'general-purpose' } });
  });

  it('restarts a reader that failed, from the committed checkpoints', async () => {
    const root = tempRoot('b-tools-grpc');
    let explode = true;
    // The first call from inside the reader throws, as a bug in it would.
    const now = () => {
      if (explode && new Error().stack?.includes('BatchReader')) {
        explode = false;
        throw new Error('reader bug');
      }
      return Date.now();
    };
    const sink = new MemorySink();
    const counters = new Counters();
    const collector = transcriptsFactory.create({ logger: pino({ level: 'silent' }), counters, checkpoints: sink, home: root, now }, { ...transcriptsFactory.defaultConfig(), claude_dirs: [root], default_roots: false, reader: 'inline', progress: 'never', rescan_interval_ms: 0 }, sink) as TranscriptsCollector;
    track({ root, sink, counters, collector, cleanup: () => rmSync(root, { recursive: true, force: true }) });
    await collector.start();
    await sink.until(() => collector.status().phase === 'live', 'backfill after the restart');
    expect(counters.get('transcripts.reader_restarts')).toBe(1);
    expect(new Set(sink.events.keys())).toEqual(expectedKeys(root));
  });

  it('shuts down idempotently, with or without start', async () => {
    const never = makeCollector(tempRoot());
    await never.collector.shutdown(100);
    await never.collector.shutdown(100);
    never.cleanup();
    const h = track(makeCollector(tempRoot('a-simple-http-json')));
    await h.collector.start();
    await Promise.all([h.collector.shutdown(1_000), h.collector.shutdown(1_000)]);
    expect(h.collector.status().phase).toBe('stopped');
  });
});

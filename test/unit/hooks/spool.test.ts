/**
 * The spool end to end without a daemon: the forwarder's writer, the
 * collector's reader and component, against a fake sink that dedupes by key
 * like the ledger. Nothing is lost, nothing counts twice, bad records are
 * counted and removed, a refusing pipeline keeps the files.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hooksFactory, type HooksComponent } from '../../../collectors/hooks/component.js';
import { drainSpool, sweepSpoolDebris } from '../../../collectors/hooks/spool-reader.js';
import { mapClaudeHook } from '../../../collectors/hooks/claude-map.js';
import { SPOOL_DIR_NAME } from '../../../collectors/hooks/wire.js';
import { receiveHookCall } from '../../../collectors/hooks/receive.js';
import { Counters } from '../../../core/pipeline/counters.js';
import type { EventSink, IngestBatch } from '../../../core/pipeline/sink.js';
import { spoolHookCall } from '../../../daemon/hook/spool-writer.js';
import { DossierError, isDossierError, type NormalizedEvent } from '../../../schema/index.js';
import { loadCapturedHooks } from './fixture-hooks.js';

class LedgerLikeSink implements EventSink {
  accepting = true;
  refuse = false;
  readonly events = new Map<string, NormalizedEvent>();
  submits = 0;

  async submit(batch: IngestBatch) {
    if (this.refuse) throw new DossierError('DOSSIER_E_PIPELINE_QUEUE_FULL');
    this.submits += 1;
    let inserted = 0;
    for (const e of batch.events) {
      if (this.events.has(e.dedupe_key)) continue;
      this.events.set(e.dedupe_key, e);
      inserted += 1;
    }
    return { received: batch.events.length, inserted, duplicates: batch.events.length - inserted };
  }
}

const NOW = 1_790_000_000_000;
const PROCESS = { pid: 4242, process_start: 1_789_000_000_000 };
const calls = loadCapturedHooks('b-tools-http-json', 'command');

describe('the hook spool', () => {
  let home: string;
  let dir: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'dossier-spool-'));
    dir = join(home, SPOOL_DIR_NAME);
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const spoolAll = () =>
    calls.map((c) => spoolHookCall(home, { framework: 'claude_code', meta: { fired_at: c.firedAt, ...PROCESS }, payload: Buffer.from(c.body) }));
  const expected = () =>
    new Set(
      calls.flatMap((c) => {
        const r = mapClaudeHook(c.payload, { fired_at: c.firedAt, received_at: NOW, ...PROCESS });
        return r.ok ? r.events.map((e) => e.dedupe_key) : [];
      }),
    );

  it('ingests every record once, in small batches, and deletes them after commit', async () => {
    spoolAll();
    const sink = new LedgerLikeSink();
    const counters = new Counters();
    const result = await drainSpool({ dir, sink, counters, now: () => NOW, batchFiles: 4 }, new AbortController().signal);
    expect(result).toMatchObject({ files: calls.length, rejected: 0, interrupted: false });
    expect(sink.submits).toBe(Math.ceil(calls.length / 4));
    expect(new Set(sink.events.keys())).toEqual(expected());
    expect(readdirSync(dir)).toEqual([]);
    expect(counters.get('hooks.spool_records')).toBe(calls.length);
    // The spool keeps the hook's own fire time and process: the events say when the hook fired, not when it was read.
    const start = [...sink.events.values()].find((e) => e.kind === 'session.started')!;
    expect(start.ts).toBe(calls[0]!.firedAt);
    expect(start.received_at).toBe(NOW);
  });

  it('a record read again after a crash between commit and delete inserts nothing', async () => {
    const paths = spoolAll();
    const copies = paths.map((p) => [p, readFileSync(p)] as const);
    const sink = new LedgerLikeSink();
    const deps = { dir, sink, counters: new Counters(), now: () => NOW, batchFiles: 100 };
    await drainSpool(deps, new AbortController().signal);
    const count = sink.events.size;
    for (const [path, bytes] of copies) writeFileSync(path, bytes);
    const again = await drainSpool({ ...deps, now: () => NOW + 60_000 }, new AbortController().signal);
    expect(again.files).toBe(calls.length);
    expect(again.inserted).toBe(0);
    expect(sink.events.size).toBe(count);
  });

  it('agrees with the socket path: a call spooled after the socket took it is a duplicate', async () => {
    const sink = new LedgerLikeSink();
    const counters = new Counters();
    for (const c of calls) await receiveHookCall({ sink, counters, now: () => NOW }, 'claude_code', c.payload, { fired_at: c.firedAt, ...PROCESS });
    const count = sink.events.size;
    spoolAll();
    const result = await drainSpool({ dir, sink, counters, now: () => NOW + 5, batchFiles: 50 }, new AbortController().signal);
    expect(result.inserted).toBe(0);
    expect(sink.events.size).toBe(count);
  });

  it('counts and removes records it can never ingest', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '1-garbage.hook'), 'not a record');
    spoolHookCall(home, { framework: 'claude_code', meta: { fired_at: 1 }, payload: Buffer.from('{not json') });
    spoolHookCall(home, { framework: 'claude_code', meta: { fired_at: 2 }, payload: Buffer.from('{"hook_event_name":"Stop"}') });
    spoolHookCall(home, { framework: 'gemini', meta: { fired_at: 3 }, payload: Buffer.from(calls[1]!.body) });
    spoolHookCall(home, { framework: 'claude_code', meta: { fired_at: 4 }, payload: Buffer.from(calls[1]!.body) });
    const sink = new LedgerLikeSink();
    const counters = new Counters();
    const result = await drainSpool({ dir, sink, counters, now: () => NOW, batchFiles: 10 }, new AbortController().signal);
    expect(result).toMatchObject({ files: 5, rejected: 4 });
    expect(counters.get('hooks.spool_records_malformed')).toBe(4);
    expect(sink.events.size).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps the files when the pipeline refuses, and ingests them on the next pass', async () => {
    spoolAll();
    const sink = new LedgerLikeSink();
    sink.refuse = true;
    const counters = new Counters();
    const deps = { dir, sink, counters, now: () => NOW, batchFiles: 8 };
    expect(await drainSpool(deps, new AbortController().signal)).toMatchObject({ files: 0, interrupted: true });
    expect(readdirSync(dir)).toHaveLength(calls.length);
    expect(counters.get('hooks.spool_submit_refused')).toBe(1);
    sink.refuse = false;
    expect(await drainSpool(deps, new AbortController().signal)).toMatchObject({ files: calls.length, interrupted: false });
    expect(new Set(sink.events.keys())).toEqual(expected());
  });

  it('ignores writes in progress and sweeps the ones a dead forwarder left', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.old.tmp'), 'x');
    writeFileSync(join(dir, '.fresh.tmp'), 'x');
    const hourAgo = (NOW - 2 * 3_600_000) / 1000;
    utimesSync(join(dir, '.old.tmp'), hourAgo, hourAgo);
    expect(sweepSpoolDebris(dir, NOW)).toBe(1);
    expect(readdirSync(dir)).toEqual(['.fresh.tmp']);
  });

  it('the hooks component drains on start and again on each pass, and shuts down cleanly', async () => {
    const sink = new LedgerLikeSink();
    const counters = new Counters();
    const settings = { logger: pino({ level: 'silent' }), counters, checkpoints: { load: () => new Map() }, home, now: () => NOW };
    const never = hooksFactory.create(settings, hooksFactory.defaultConfig(), sink);
    await never.shutdown(10);
    const component = hooksFactory.create(settings, { ...hooksFactory.defaultConfig(), spoolIntervalMs: 60_000 }, sink) as HooksComponent;
    spoolAll();
    await component.start();
    await component.drainNow();
    expect(new Set(sink.events.keys())).toEqual(expected());
    spoolHookCall(home, { framework: 'claude_code', meta: { fired_at: NOW }, payload: Buffer.from(calls[1]!.body) });
    expect((await component.drainNow()).files).toBe(1);
    expect(component.status()).toMatchObject({ passes: expect.any(Number) });
    await component.shutdown(1_000);
    await component.shutdown(1_000);
  });

  it('refuses unknown frameworks and bad payloads at the door with registered errors', async () => {
    const sink = new LedgerLikeSink();
    const counters = new Counters();
    const intake = { sink, counters, now: () => NOW };
    await expect(receiveHookCall(intake, 'nope', calls[0]!.payload, undefined)).rejects.toSatisfy((e) => isDossierError(e, 'DOSSIER_E_API_NOT_FOUND'));
    await expect(receiveHookCall(intake, 'claude_code', [1], undefined)).rejects.toSatisfy((e) => isDossierError(e, 'DOSSIER_E_API_BAD_REQUEST'));
    expect(counters.get('hooks.calls_refused')).toBe(2);
    const http = await receiveHookCall(intake, 'claude_code', calls[1]!.payload, undefined);
    expect(http.inserted).toBe(1);
    expect([...sink.events.values()][0]!.ts).toBe(NOW);
  });
});

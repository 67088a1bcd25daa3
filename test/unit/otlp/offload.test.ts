/**
 * Decoding on a worker thread: big logs and traces bodies decoded and mapped
 * there give exactly the events the receiver's own thread gives; undecodable
 * bodies are still refused; metrics come back to the receiver (their series
 * state lives there); and a worker that dies costs speed, never data.
 */
import { ProtobufLogsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Counters } from '../../../core/pipeline/counters.js';
import { CumulativeSeries } from '../../../collectors/otlp/claude/cumulative.js';
import { OtlpIngest } from '../../../collectors/otlp/ingest.js';
import type { Encoding, Signal } from '../../../collectors/otlp/model.js';
import { DecodePool } from '../../../collectors/otlp/offload/pool.js';
import type { DecodeReply } from '../../../collectors/otlp/offload/protocol.js';
import { eventColumns } from '../../../core/pipeline/event-columns.js';
import { claudeMeter, claudeTurn, readableLogs } from './claude-sdk.js';
import { noise } from './clients.js';
import { comparable, fixtureRequests, MemorySink } from './harness.js';

const SESSION = '0f1e2d3c-4b5a-4697-8877-665544332211';
const OFFLOAD_MIN_BYTES_IN_TESTS = 4096;
const pools: DecodePool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});

function setup(withPool: boolean, onBroken: (reason: string) => void = () => {}, idleMs = 60_000, includePromptText = true) {
  const sink = new MemorySink();
  const counters = new Counters();
  const ingest = new OtlpIngest(sink, counters, () => 1_800_000_000_000, new CumulativeSeries(new Map(), 100), {
    limits: { maxAttributeBytes: 1 << 20, maxValueDepth: 16 },
    maxInFlight: 4,
    // Low, so that the captured requests (tens of KB) go through the worker too.
    offloadMinBytes: OFFLOAD_MIN_BYTES_IN_TESTS,
    maxInFlightBytes: 64 << 20,
    mapping: { includePromptText },
  });
  let pool: DecodePool | null = null;
  if (withPool) {
    pool = new DecodePool({ size: 1, idleMs, onBroken });
    pools.push(pool);
    ingest.usePool(pool);
  }
  const send = async (body: Buffer, encoding: Encoding, signal: Signal | null) => {
    expect(ingest.tryAcquire()).toBeNull();
    try {
      return await ingest.export(body, encoding, signal);
    } finally {
      ingest.release();
    }
  };
  return { sink, counters, ingest, pool, send };
}

const bigLogs = (): Buffer => {
  const specs = Array.from({ length: 120 }, (_, t) => claudeTurn(SESSION, t, t * 9, 1_795_262_000_000 + t * 1000)).flat();
  return Buffer.from(ProtobufLogsSerializer.serializeRequest(readableLogs(specs))!);
};

describe('decoding on a worker', () => {
  it('gives the same events as decoding inline, for big logs, traces and JSON bodies', async () => {
    const bodies: [Buffer, Encoding, Signal | null][] = [[bigLogs(), 'protobuf', 'logs'], [bigLogs(), 'protobuf', null]];
    for (const r of fixtureRequests().filter((x) => x.body.length >= OFFLOAD_MIN_BYTES_IN_TESTS && x.signal !== 'metrics')) {
      bodies.push([r.body, r.protocol === 'http/json' ? 'json' : 'protobuf', r.signal], [r.json, 'json', r.signal]);
    }
    expect(bodies.length).toBeGreaterThan(10);
    const inline = setup(false);
    const offloaded = setup(true);
    await offloaded.pool!.warmUp();
    for (const [body, encoding, signal] of bodies) {
      const [a, b] = [await inline.send(body, encoding, signal), await offloaded.send(body, encoding, signal)];
      expect(b).toEqual(a);
    }
    expect(comparable(offloaded.sink.events)).toEqual(comparable(inline.sink.events));
    expect(offloaded.counters.snapshot()).toEqual(inline.counters.snapshot());
    // The worker's batches bring their attrs in stored form; the receiver's own thread leaves that to the writer.
    expect(inline.sink.batches.every((batch) => batch.attrsJson === undefined)).toBe(true);
    const handedOver = offloaded.sink.batches.filter((batch) => batch.events.length > 0);
    expect(handedOver.length).toBeGreaterThan(10);
    for (const batch of handedOver) expect(batch.attrsJson).toEqual(batch.events.map((event) => JSON.stringify(event.attrs)));
  });

  it('drops prompt text on the worker as on the receiver\'s thread when asked to', async () => {
    const texts = (events: readonly { kind: string; attrs: Record<string, unknown> }[]) => events.filter((e) => e.kind === 'prompt.submitted').map((e) => e.attrs.text);
    for (const withPool of [false, true]) {
      const { send, sink, pool } = setup(withPool, () => {}, 60_000, false);
      await pool?.warmUp();
      expect(await send(bigLogs(), 'protobuf', 'logs')).toMatchObject({ kind: 'ok' });
      expect(texts(sink.events)).toEqual(Array.from({ length: 120 }, () => undefined));
      if (pool) expect(pool.usable).toBe(true);
    }
    const kept = setup(true);
    await kept.pool!.warmUp();
    await kept.send(bigLogs(), 'protobuf', 'logs');
    expect(texts(kept.sink.events)).toEqual(Array.from({ length: 120 }, () => 'TOOLDEMO: run echo hi and read hello.txt'));
  });

  it('refuses an undecodable big body', async () => {
    const { send, sink, pool } = setup(true);
    await pool!.warmUp();
    expect(await send(noise(OFFLOAD_MIN_BYTES_IN_TESTS * 2), 'protobuf', 'traces')).toMatchObject({ kind: 'invalid' });
    expect(sink.batches).toEqual([]);
  });

  it('hands a big metrics body sent to POST / back to the receiver, which keeps the series state', async () => {
    const { send, sink, pool } = setup(true);
    await pool!.warmUp();
    const meter = claudeMeter('cumulative');
    for (let i = 0; i < 400; i++) meter.tokens.add(i + 1, { 'session.id': SESSION, type: 'input', model: `m${i}` });
    const body = Buffer.from(ProtobufMetricsSerializer.serializeRequest(await meter.collect())!);
    expect(body.length).toBeGreaterThanOrEqual(OFFLOAD_MIN_BYTES_IN_TESTS);
    expect(await send(body, 'protobuf', null)).toMatchObject({ kind: 'ok', signal: 'metrics' });
    expect(sink.events.filter((e) => e.kind === 'metric.point')).toHaveLength(400);
    expect(sink.load('otlp').size).toBe(400);
    await meter.shutdown();
  });

  it('when the worker dies, its task fails, the receiver decodes itself from then on, and says so once', async () => {
    const reasons: string[] = [];
    const { send, sink, pool } = setup(true, (r) => reasons.push(r));
    await pool!.warmUp();
    // A task the worker cannot even read kills it (an uncaught error on its thread).
    const killer = pool!.tryRun({ body: undefined as never, encoding: 'protobuf', signal: 'logs', receivedAt: 0, limits: { maxAttributeBytes: 1, maxValueDepth: 1 }, mapping: { includePromptText: true } });
    expect(killer).not.toBeNull();
    expect(await killer).toBeInstanceOf(Error);
    expect(pool!.usable).toBe(false);
    expect(await send(bigLogs(), 'protobuf', 'logs')).toMatchObject({ kind: 'ok' });
    expect(sink.events.length).toBe(120 * 7);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/decode worker/);
  });

  it('a task cut off because the receiver is stopping is refused as unavailable, not decoded again on the receiver\'s thread', async () => {
    const { ingest, sink, counters } = setup(false);
    let cut!: (reply: Error) => void;
    // A pool whose worker is busy with the task until the receiver stops (closing the pool fails its tasks).
    ingest.usePool({ tryRun: () => new Promise<Error>((resolve) => (cut = resolve)) } as unknown as DecodePool);
    expect(ingest.tryAcquire()).toBeNull();
    const outcome = ingest.export(bigLogs(), 'protobuf', 'logs');
    ingest.stop();
    cut(new Error('decode worker closed'));
    expect(await outcome).toEqual({ kind: 'unavailable', message: 'dossier is shutting down' });
    ingest.release();
    expect(sink.batches).toEqual([]);
    expect(counters.get('otlp.logs.items')).toBe(0);
  });

  it('decodes a request itself when a worker reply does not rebuild, storing exactly what the inline path stores', async () => {
    const inline = setup(false);
    const broken = setup(false);
    // A pool whose worker answers with columns that do not fit together (a worker bug).
    const faulty = {
      tryRun: () =>
        Promise.resolve({
          id: 1,
          kind: 'mapped',
          signal: 'logs',
          items: 1,
          events: { ...eventColumns([]), dedupeKeys: ['orphan'] },
          rejected: 0,
          firstRejection: '',
          ignored: 0,
          foreign: 0,
          withoutSession: 0,
        } satisfies DecodeReply),
    };
    broken.ingest.usePool(faulty as unknown as DecodePool);
    const body = bigLogs();
    const [a, b] = [await inline.send(body, 'protobuf', 'logs'), await broken.send(body, 'protobuf', 'logs')];
    expect(b).toEqual(a);
    expect(comparable(broken.sink.events)).toEqual(comparable(inline.sink.events));
    expect(broken.counters.snapshot()).toEqual(inline.counters.snapshot());
    expect(broken.sink.batches.every((batch) => batch.attrsJson === undefined)).toBe(true);
  });

  it('starts on the first big request (decoding it inline meanwhile) and stops when idle, which is not a death', async () => {
    const reasons: string[] = [];
    const { send, pool } = setup(true, (r) => reasons.push(r), 50);
    expect(pool!.running).toBe(0);
    expect(await send(bigLogs(), 'protobuf', 'logs')).toMatchObject({ kind: 'ok' });
    expect(pool!.running).toBe(1);
    while (pool!.running > 0) await new Promise((r) => setTimeout(r, 10));
    expect(pool!.usable).toBe(true);
    expect(reasons).toEqual([]);
  });

  it('a malformed message from a worker counts as its death: its tasks are done inline, nothing is thrown on the receiver\'s thread', async () => {
    const reasons: string[] = [];
    const { send, sink, pool } = setup(true, (r) => reasons.push(r));
    const on = vi.spyOn(Worker.prototype, 'on');
    await pool!.warmUp();
    const worker = on.mock.contexts.find((c): c is Worker => c instanceof Worker)!;
    on.mockRestore();
    for (const message of [null, 'text', { kind: 'mapped' }]) worker.emit('message', message);
    expect(reasons).toEqual(['decode worker sent a malformed message']);
    expect(pool!.usable).toBe(false);
    expect(await send(bigLogs(), 'protobuf', 'logs')).toMatchObject({ kind: 'ok' });
    expect(sink.events.length).toBe(120 * 7);
  });

  it('a worker that answers nothing in time is taken for hung: stopped, said once, and its request decoded inline', async () => {
    const reasons: string[] = [];
    const { ingest, sink, send } = setup(false);
    // 1 ms: no worker decodes 120 turns that fast, so the stall always fires first.
    const pool = new DecodePool({ size: 1, idleMs: 60_000, onBroken: (r) => reasons.push(r), stallMs: 1 });
    pools.push(pool);
    await pool.warmUp();
    ingest.usePool(pool);
    expect(await send(bigLogs(), 'protobuf', 'logs')).toMatchObject({ kind: 'ok' });
    expect(sink.events.length).toBe(120 * 7);
    expect(reasons).toEqual(['decode worker answered nothing for 1 ms']);
    expect(pool.usable).toBe(false);
    expect(pool.running).toBe(0);
  });

  it('closing the pool is not a death', async () => {
    const reasons: string[] = [];
    const { pool } = setup(true, (r) => reasons.push(r));
    await pool!.warmUp();
    await pool!.close();
    expect(pool!.usable).toBe(false);
    expect(reasons).toEqual([]);
  });
});

/**
 * Claude Code metrics to `metric.point` deltas and `session.started`:
 * captured delta exports against the mock's ground truth, and cumulative
 * series (built with the SDK) turned into deltas that survive a restart and
 * ignore a re-sent request.
 */
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { Counters } from '../../../core/pipeline/counters.js';
import { CumulativeSeries } from '../../../collectors/otlp/claude/cumulative.js';
import { mapRequest } from '../../../collectors/otlp/claude/map-request.js';
import { decodeRequest } from '../../../collectors/otlp/decode.js';
import { OtlpIngest } from '../../../collectors/otlp/ingest.js';
import type { Attrs, DecodedRequest } from '../../../collectors/otlp/model.js';
import type { EventOf, NormalizedEvent } from '../../../schema/index.js';
import { claudeMeter, claudeResource } from './claude-sdk.js';
import { fixtureRequests, MemorySink } from './harness.js';

const SESSION = '221487a9-8603-4d04-a876-eae3d951bdec';

function points(events: NormalizedEvent[], name: string): EventOf<'metric.point'>[] {
  return events.filter((e): e is EventOf<'metric.point'> => e.kind === 'metric.point' && e.attrs.name === name);
}

describe('captured delta exports (d-subagent)', () => {
  const cumulative = new CumulativeSeries(new Map(), 100);
  const events = fixtureRequests('d-subagent')
    .filter((r) => r.signal === 'metrics')
    .flatMap((r) => {
      const decoded = decodeRequest(r.body, 'protobuf', 'metrics');
      if (decoded === 'empty') throw new Error('empty');
      return mapRequest(decoded, 1, cumulative).result.events;
    });

  it('token.usage deltas add up to the mock API totals, per type', () => {
    const sum = (type: string) => points(events, 'claude_code.token.usage').filter((p) => p.attrs.type === type).reduce((n, p) => n + p.attrs.value, 0);
    // mock-api-requests.jsonl: input 4+4+7+6, output 75+52+20+18, cache read 0+0+13440+21130, cache creation 21126+13436+484+180
    expect({ input: sum('input'), output: sum('output'), cacheRead: sum('cacheRead'), cacheCreation: sum('cacheCreation') }).toEqual({
      input: 21,
      output: 165,
      cacheRead: 34570,
      cacheCreation: 35226,
    });
  });

  it('subagent usage keeps its query source and agent name', () => {
    const sub = points(events, 'claude_code.cost.usage').find((p) => p.attrs.query_source === 'subagent')!;
    expect(sub.attrs).toMatchObject({ agent_name: 'general-purpose', model: 'claude-opus-4-8[1m]', unit: 'USD', value: 0.095575 });
  });

  it('session.count starts the session at the interval start, as a fresh start', () => {
    const started = events.filter((e) => e.kind === 'session.started');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ session_id: SESSION, ts: 1795262120112, attrs: { start_source: 'startup' } });
    expect(points(events, 'claude_code.session.count')[0]!.attrs).toMatchObject({ value: 1, start_type: 'fresh' });
  });

  it('every point belongs to the session and has its own key', () => {
    expect(new Set(events.map((e) => e.session_id))).toEqual(new Set([SESSION]));
    expect(new Set(events.map((e) => e.dedupe_key)).size).toBe(events.length);
  });
});

function ingestFor(sink: MemorySink, maxSeries = 1000) {
  const cumulative = new CumulativeSeries(sink.load('otlp'), maxSeries);
  return new OtlpIngest(sink, new Counters(), () => 1_800_000_000_000, cumulative, {
    limits: { maxAttributeBytes: 1 << 20, maxValueDepth: 16 },
    maxInFlight: 4,
    maxInFlightBytes: 64 << 20,
    mapping: { includePromptText: true },
  });
}

async function send(ingest: OtlpIngest, rm: ResourceMetrics) {
  expect(ingest.tryAcquire()).toBeNull();
  try {
    return await ingest.export(Buffer.from(ProtobufMetricsSerializer.serializeRequest(rm)!), 'protobuf', 'metrics');
  } finally {
    ingest.release();
  }
}

describe('cumulative series', () => {
  const attrs = { 'session.id': SESSION, model: 'claude-opus-4-8', type: 'output', query_source: 'main' };

  it('become deltas; an unchanged series and a re-sent request add nothing', async () => {
    const sink = new MemorySink();
    const ingest = ingestFor(sink);
    const meter = claudeMeter('cumulative');
    meter.tokens.add(100, attrs);
    await send(ingest, await meter.collect());
    meter.tokens.add(30, attrs);
    const second = await meter.collect();
    await send(ingest, second);
    await send(ingest, second); // the exporter retried
    await send(ingest, await meter.collect()); // nothing new recorded
    expect(points(sink.events, 'claude_code.token.usage').map((p) => p.attrs.value)).toEqual([100, 30]);
    await meter.shutdown();
  });

  it('stored states stay within the series bound: the state of a series no longer sent is deleted by a later request', async () => {
    const sink = new MemorySink();
    const ingest = ingestFor(sink, 2);
    // Four sessions one after the other, each its own process with one series.
    const sessions = ['11111111', '22222222', '33333333', '44444444'].map((p) => `${p}-0000-4000-8000-000000000000`);
    for (const session of sessions) {
      const meter = claudeMeter('cumulative');
      meter.tokens.add(10, { ...attrs, 'session.id': session });
      await send(ingest, await meter.collect());
      meter.tokens.add(1, { ...attrs, 'session.id': session });
      await send(ingest, await meter.collect());
      await meter.shutdown();
    }
    expect(points(sink.events, 'claude_code.token.usage').map((p) => p.attrs.value)).toEqual([10, 1, 10, 1, 10, 1, 10, 1]);
    // The bound is 2: the first two sessions' series were forgotten, and their states deleted.
    expect(sink.load('otlp').size).toBe(2);
  });

  it('continue from the committed checkpoint after a restart instead of counting from zero', async () => {
    const sink = new MemorySink();
    const meter = claudeMeter('cumulative');
    meter.tokens.add(100, attrs);
    await send(ingestFor(sink), await meter.collect());
    expect(sink.load('otlp').size).toBe(1);
    meter.tokens.add(5, attrs);
    await send(ingestFor(sink), await meter.collect()); // a new receiver, reading the checkpoints back
    expect(points(sink.events, 'claude_code.token.usage').map((p) => p.attrs.value)).toEqual([100, 5]);
    await meter.shutdown();
  });

  it('restart from zero when the producer restarts (a later start time)', async () => {
    const sink = new MemorySink();
    const ingest = ingestFor(sink);
    const first = claudeMeter('cumulative');
    first.tokens.add(100, attrs);
    await send(ingest, await first.collect());
    await first.shutdown();
    await new Promise((r) => setTimeout(r, 5));
    const second = claudeMeter('cumulative');
    second.tokens.add(7, attrs);
    await send(ingest, await second.collect());
    expect(points(sink.events, 'claude_code.token.usage').map((p) => p.attrs.value)).toEqual([100, 7]);
    await second.shutdown();
  });

  it('a session.count series starts its session once, however often it is exported', async () => {
    const sink = new MemorySink();
    const ingest = ingestFor(sink);
    const meter = claudeMeter('cumulative');
    meter.sessionCount.add(1, { 'session.id': SESSION, start_type: 'resume' });
    await send(ingest, await meter.collect());
    await send(ingest, await meter.collect());
    expect(sink.events.filter((e) => e.kind === 'session.started').map((e) => e.attrs)).toEqual([{ app_version: '2.1.197', start_source: 'resume' }]);
    await meter.shutdown();
  });
});

describe('delta points', () => {
  it('two exports stamped with the same time are two points (their starts differ); the same export again is one', () => {
    const request = (startNs: number, value: number): DecodedRequest => ({
      signal: 'metrics',
      groups: [
        {
          origin: { resource: new Map([['service.name', 'claude-code']]) as Attrs, scopeName: '', scopeVersion: '' },
          items: [
            {
              name: 'claude_code.token.usage',
              unit: 'tokens',
              kind: 'sum',
              temporality: 1,
              monotonic: true,
              otherPoints: 0,
              points: [{ startNs, timeNs: 1_795_262_121_000_000_000, value, attrs: new Map([['session.id', SESSION], ['type', 'input']]) as Attrs, oversized: false }],
            },
          ],
        },
      ],
    });
    const series = new CumulativeSeries(new Map(), 10);
    const keys = [request(1_795_262_120_000_000_000, 5), request(1_795_262_121_000_000_000, 7), request(1_795_262_120_000_000_000, 5)].map(
      (r) => mapRequest(r, 1, series).result.events[0]!.dedupe_key,
    );
    expect(new Set(keys).size).toBe(2);
    expect(keys[2]).toBe(keys[0]);
  });
});

describe('CumulativeSeries rules', () => {
  it('first point counts whole; later ones by difference; repeats, older points, older starts and drops of a monotonic sum count nothing', () => {
    const series = new CumulativeSeries(new Map(), 10);
    const step = (start: number, time: number, value: number, monotonic = true) => {
      const pending = new Map();
      const delta = series.delta('s', start, time, value, monotonic, pending);
      series.commit(pending);
      return delta;
    };
    expect(step(100, 10, 5)).toBe(5);
    expect(step(100, 10, 5)).toBeUndefined(); // the same point again (a retry)
    expect(step(100, 10, 8)).toBe(3); // a new value within the same clock tick
    expect(step(100, 9, 9)).toBeUndefined(); // older than the last point
    expect(step(50, 20, 9)).toBeUndefined(); // from an older start
    expect(step(100, 30, 2)).toBeUndefined(); // a monotonic sum below its mark under the same start: a faulty point
    expect(step(100, 35, 8)).toBe(0); // back at the mark: nothing new, nothing counted twice
    expect(step(100, 36, 9)).toBe(1); // counted from the highest value seen
    expect(step(100, 40, 1, false)).toBe(-8); // a non-monotonic sum may go down
    expect(step(200, 5, 4)).toBe(4); // a later start: counting begins again
  });

  it('forgets the oldest series beyond its bound, and reads back only its own checkpoints', () => {
    const saved = new Map([['cum:a', '{"s":1,"t":2,"v":3}'], ['cum:b', 'not json'], ['other', '{"s":1,"t":2,"v":3}']]);
    const series = new CumulativeSeries(saved, 2);
    expect(series.size).toBe(1);
    const pending = new Map();
    series.delta('b', 1, 1, 1, true, pending);
    series.delta('c', 1, 1, 1, true, pending);
    series.commit(pending);
    expect(series.size).toBe(2);
    expect(series.delta('a', 1, 3, 4, true, new Map())).toBe(4); // 'a' was forgotten: counted whole
  });

  it('keeps the series seen last at start-up and deletes the stored states of forgotten ones with later series-carrying requests', () => {
    const state = (t: number) => JSON.stringify({ s: 1, t, v: 1 });
    const saved = new Map([['cum:z-old', state(10)], ['cum:a-new', state(30)], ['cum:m-mid', state(20)]]);
    const series = new CumulativeSeries(saved, 2);
    expect(series.forgottenStored).toBe(1);
    expect(series.delta('a-new', 1, 30, 1, true, new Map())).toBeUndefined(); // kept: the same point again
    expect(series.delta('z-old', 1, 10, 1, true, new Map())).toBe(1); // forgotten: counted whole

    // A request without series deletes nothing: it may run beside a series-carrying one.
    expect(series.checkpointsOf(new Map())).toEqual([]);

    const pending = new Map();
    series.delta('n', 1, 40, 2, true, pending);
    const checkpoints = series.checkpointsOf(pending);
    expect(checkpoints).toEqual([
      { collector: 'otlp', key: 'cum:n', value: JSON.stringify({ s: 1, t: 40, v: 2 }) },
      { collector: 'otlp', key: 'cum:z-old', value: null },
    ]);
    series.commit(pending, checkpoints);
    // 'n' pushed out 'm-mid', whose state the next series-carrying request deletes.
    expect(series.forgottenStored).toBe(1);
    const next = new Map();
    series.delta('n', 1, 50, 3, true, next);
    expect(series.checkpointsOf(next).filter((cp) => cp.value === null)).toEqual([{ collector: 'otlp', key: 'cum:m-mid', value: null }]);
  });
});

describe('what metrics make nothing', () => {
  it('zero deltas, other services and points without session.id', async () => {
    const sink = new MemorySink();
    const ingest = ingestFor(sink);
    const meter = claudeMeter('delta');
    meter.tokens.add(0, { 'session.id': SESSION, type: 'input' });
    meter.activeTime.add(1.5, { type: 'cli' });
    await send(ingest, await meter.collect());
    const other = claudeMeter('delta', claudeResource('not-claude'));
    other.tokens.add(9, { 'session.id': SESSION, type: 'input' });
    await send(ingest, await other.collect());
    expect(sink.events).toEqual([]);
    await Promise.all([meter.shutdown(), other.shutdown()]);
  });
});

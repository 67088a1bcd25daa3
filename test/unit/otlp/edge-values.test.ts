/**
 * Numbers and ids at the edges, in both encodings: values past ±2^53 and
 * negative deltas of monotonic sums never reach the ledger; times that are
 * not times count as unset; a span with a bad id or an end before its start
 * is refused or bounded alone; a Metric with two data fields keeps the last
 * (proto3 oneof); enum-like attributes never resolve through the prototype.
 */
import { describe, expect, it } from 'vitest';
import { CumulativeSeries } from '../../../collectors/otlp/claude/cumulative.js';
import { mapRequest } from '../../../collectors/otlp/claude/map-request.js';
import { decodeRequest } from '../../../collectors/otlp/decode.js';
import type { Encoding, Signal } from '../../../collectors/otlp/model.js';
import type { NormalizedEvent } from '../../../schema/index.js';

const SESSION = '5e551011-aaaa-4bbb-8ccc-000000000001';
const T = 1_795_262_120_000_000_000;
const RECEIVED = 1_800_000_000_000;

type Json = Record<string, unknown>;
const kv = (key: string, value: Json): Json => ({ key, value });
const str = (key: string, s: string): Json => kv(key, { stringValue: s });
const RESOURCE = { attributes: [str('service.name', 'claude-code')] };

function mapped(body: Buffer, encoding: Encoding, signal: Signal, series = new CumulativeSeries(new Map(), 100)) {
  const decoded = decodeRequest(body, encoding, signal);
  if (decoded === 'empty') throw new Error('empty');
  const { result, pending } = mapRequest(decoded, RECEIVED, series);
  series.commit(pending);
  return result;
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

function sumRequest(name: string, temporality: 1 | 2, monotonic: boolean, points: Json[]): Buffer {
  const sum = { aggregationTemporality: temporality, isMonotonic: monotonic, dataPoints: points };
  return json({ resourceMetrics: [{ resource: RESOURCE, scopeMetrics: [{ metrics: [{ name, unit: 'tokens', sum }] }] }] });
}

const point = (value: Json, extra: Json = {}, attributes: Json[] = [str('session.id', SESSION), str('type', 'input')]): Json => ({
  startTimeUnixNano: String(T - 1e9),
  timeUnixNano: String(T),
  attributes,
  ...value,
  ...extra,
});

const values = (events: NormalizedEvent[]): unknown[] => events.filter((e) => e.kind === 'metric.point').map((e) => (e.attrs as { value: number }).value);

describe('metric values', () => {
  it('a value past ±2^53 is refused (partial success); one within is kept', () => {
    const result = mapped(sumRequest('claude_code.token.usage', 1, true, [point({ asDouble: 1e300 }), point({ asInt: '9223372036854775807' }, { timeUnixNano: String(T + 1) }), point({ asDouble: 12 }, { timeUnixNano: String(T + 2) })]), 'json', 'metrics');
    expect(values(result.events)).toEqual([12]);
    expect(result.rejected).toBe(2);
  });

  it('a negative delta of a monotonic sum is ignored; a non-monotonic one is kept', () => {
    const down = mapped(sumRequest('claude_code.token.usage', 1, true, [point({ asDouble: -1e6 })]), 'json', 'metrics');
    expect([values(down.events), down.ignored]).toEqual([[], 1]);
    const upDown = mapped(sumRequest('claude_code.token.usage', 1, false, [point({ asDouble: -5 })]), 'json', 'metrics');
    expect(values(upDown.events)).toEqual([-5]);
  });

  it('a cumulative change past 2^53 is refused, and the series is not left stuck', () => {
    const series = new CumulativeSeries(new Map(), 100);
    const max = Number.MAX_SAFE_INTEGER;
    const first = mapped(sumRequest('claude_code.token.usage', 2, false, [point({ asInt: String(-max) })]), 'json', 'metrics', series);
    expect(values(first.events)).toEqual([-max]);
    const jump = mapped(sumRequest('claude_code.token.usage', 2, false, [point({ asInt: String(max) }, { timeUnixNano: String(T + 1) })]), 'json', 'metrics', series);
    expect([values(jump.events), jump.rejected]).toEqual([[], 1]);
    const next = mapped(sumRequest('claude_code.token.usage', 2, false, [point({ asInt: String(-max + 4) }, { timeUnixNano: String(T + 2) })]), 'json', 'metrics', series);
    expect(values(next.events)).toEqual([4]);
  });

  it.each([
    ['Infinity', '-1'],
    ['1e300', '1e300'],
  ])('a time that is not a time (%s, start %s) counts as unset, so a cumulative series keeps counting', (time, start) => {
    const series = new CumulativeSeries(new Map(), 100);
    const odd = mapped(sumRequest('claude_code.token.usage', 2, true, [point({ asInt: '5' }, { timeUnixNano: time, startTimeUnixNano: start })]), 'json', 'metrics', series);
    expect(odd.events.map((e) => e.ts)).toEqual([RECEIVED]);
    const next = mapped(sumRequest('claude_code.token.usage', 2, true, [point({ asInt: '8' }, { startTimeUnixNano: '0' })]), 'json', 'metrics', series);
    expect(values(next.events)).toEqual([3]);
    const after = mapped(sumRequest('claude_code.token.usage', 2, true, [point({ asInt: '12' }, { startTimeUnixNano: '0', timeUnixNano: String(T + 1) })]), 'json', 'metrics', series);
    expect(values(after.events)).toEqual([4]);
  });

  it('a start_type named like an Object.prototype member starts the session as unknown', () => {
    const attributes = [str('session.id', SESSION), str('start_type', 'constructor')];
    const result = mapped(sumRequest('claude_code.session.count', 1, true, [point({ asInt: '1' }, {}, attributes)]), 'json', 'metrics');
    expect(result.events.find((e) => e.kind === 'session.started')?.attrs).toEqual({ start_source: 'unknown' });
  });
});

describe('api_error status codes', () => {
  it('a status code that is not a small non-negative integer is left out', () => {
    const record = (code: number, seq: number): Json => ({
      timeUnixNano: String(T + seq),
      body: { stringValue: 'claude_code.api_error' },
      attributes: [str('session.id', SESSION), kv('event.sequence', { intValue: String(seq) }), kv('status_code', { doubleValue: code })],
    });
    const body = json({ resourceLogs: [{ resource: RESOURCE, scopeLogs: [{ logRecords: [record(1e300, 1), record(529, 2)] }] }] });
    const codes = mapped(body, 'json', 'logs').events.map((e) => (e.attrs as { status_code?: number }).status_code);
    expect(codes).toEqual([undefined, 529]);
  });
});

/** Minimal protobuf writing for hand-made messages. */
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  return [...out, n];
};
const len = (field: number, bytes: Buffer): Buffer => Buffer.concat([Buffer.from([...varint((field << 3) | 2), ...varint(bytes.length)]), bytes]);
const fixed64 = (field: number, value: number): Buffer => {
  const b = Buffer.alloc(9);
  b[0] = (field << 3) | 1;
  b.writeBigUInt64LE(BigInt(value), 1);
  return b;
};
const protoStr = (field: number, s: string): Buffer => len(field, Buffer.from(s));
const protoKv = (key: string, value: string): Buffer => Buffer.concat([protoStr(1, key), len(2, protoStr(1, value))]);
const PROTO_RESOURCE = len(1, len(1, protoKv('service.name', 'claude-code')));

describe('spans', () => {
  const jsonSpan = (spanId: string, start: number, end: number): Json => ({
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId,
    name: 'claude_code.interaction',
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(end),
    attributes: [str('session.id', SESSION)],
  });

  it('a span id of the wrong length refuses that span alone, in JSON and protobuf alike', () => {
    const body = json({ resourceSpans: [{ resource: RESOURCE, scopeSpans: [{ spans: [jsonSpan('abc', T, T + 1e9), jsonSpan('b7ad6b7169203331', T, T + 1e9)] }] }] });
    const fromJson = mapped(body, 'json', 'traces');
    expect([fromJson.rejected, fromJson.events.length]).toEqual([1, 2]);

    const span = (id: Buffer): Buffer =>
      len(2, Buffer.concat([len(1, Buffer.alloc(16, 1)), len(2, id), protoStr(5, 'claude_code.interaction'), fixed64(7, T), fixed64(8, T + 1e9), len(9, protoKv('session.id', SESSION))]));
    const proto = len(1, Buffer.concat([PROTO_RESOURCE, len(2, Buffer.concat([span(Buffer.from([1, 2, 3])), span(Buffer.alloc(8, 2))]))]));
    const fromProto = mapped(proto, 'protobuf', 'traces');
    expect([fromProto.rejected, fromProto.events.length]).toEqual([1, 2]);
  });

  it('a span that ends before it starts ends where it starts, so its session does not stay busy; without a start its end is kept', () => {
    const body = json({ resourceSpans: [{ resource: RESOURCE, scopeSpans: [{ spans: [jsonSpan('b7ad6b7169203331', T + 10e9, T + 5e9)] }] }] });
    const events = mapped(body, 'json', 'traces').events;
    expect(events.map((e) => [(e.attrs as { status?: string }).status, e.ts])).toEqual([
      ['busy', T / 1e6 + 10_000],
      ['idle', T / 1e6 + 10_000],
    ]);
    const noStart = json({ resourceSpans: [{ resource: RESOURCE, scopeSpans: [{ spans: [jsonSpan('b7ad6b7169203331', 0, T + 5e9)] }] }] });
    expect(mapped(noStart, 'json', 'traces').events.map((e) => e.ts)).toEqual([RECEIVED, T / 1e6 + 5_000]);
  });
});

describe('a protobuf Metric with two data fields', () => {
  it('keeps only the last one (proto3 oneof): a gauge followed by a sum is a sum of its own points', () => {
    const numberPoint = (value: number, time: number): Buffer =>
      len(1, Buffer.concat([len(7, protoKv('session.id', SESSION)), fixed64(2, T - 1e9), fixed64(3, time), Buffer.from([0x21]), (() => { const b = Buffer.alloc(8); b.writeDoubleLE(value); return b; })()]));
    const gauge = len(5, numberPoint(100, T));
    const sum = len(7, Buffer.concat([numberPoint(3, T + 1), Buffer.from([0x10, 1, 0x18, 1])]));
    const metric = len(2, Buffer.concat([protoStr(1, 'claude_code.token.usage'), gauge, sum]));
    const body = len(1, Buffer.concat([PROTO_RESOURCE, len(2, metric)]));
    expect(values(mapped(body, 'protobuf', 'metrics').events)).toEqual([3]);
  });
});

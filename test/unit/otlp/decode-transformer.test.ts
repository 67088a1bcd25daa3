/**
 * Requests built the way Claude Code's exporters build them (the real SDK
 * plus `@opentelemetry/otlp-transformer`'s protobuf and JSON serializers)
 * decode to the same model from either encoding, and to the values that were
 * recorded. A property test does the same for arbitrary attribute values.
 */
import {
  JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRequest } from '../../../collectors/otlp/decode.js';
import type { AttrValue, DecodedRequest, LogRecordIn, MetricIn, SpanIn } from '../../../collectors/otlp/model.js';
import { claudeMeter, claudeSpans, claudeTurn, readableLogs } from './claude-sdk.js';

const SESSION = '2481d283-44b5-4d0d-b279-8691c29eaffd';

function both(proto: Uint8Array | undefined, json: Uint8Array | undefined, signal: 'logs' | 'metrics' | 'traces'): DecodedRequest {
  const a = decodeRequest(Buffer.from(proto!), 'protobuf', signal);
  const b = decodeRequest(Buffer.from(json!), 'json', signal);
  expect(a).toEqual(b);
  if (a === 'empty') throw new Error('empty request');
  return a;
}

function items<T>(request: DecodedRequest): T[] {
  return (request.groups as unknown as { items: T[] }[]).flatMap((g) => g.items);
}

describe('SDK-built requests', () => {
  it('logs: every record, attribute and timestamp survives both encodings', () => {
    const specs = claudeTurn(SESSION, 3, 60, 1_795_262_081_000);
    const records = readableLogs(specs);
    const decoded = both(ProtobufLogsSerializer.serializeRequest(records), JsonLogsSerializer.serializeRequest(records), 'logs');
    expect(decoded.groups[0]!.origin).toMatchObject({ scopeName: 'com.anthropic.claude_code.events', scopeVersion: '2.1.197' });
    const got = items<LogRecordIn>(decoded);
    expect(got).toHaveLength(specs.length);
    got.forEach((record, i) => {
      const spec = specs[i]!;
      expect(record.body).toBe(`claude_code.${spec.name}`);
      expect(record.timeNs).toBe(spec.timestamp * 1e6);
      expect(Object.fromEntries(record.attrs)).toEqual(spec.attributes);
    });
  });

  it('metrics: delta sums keep kind, temporality, unit, value and attributes', async () => {
    const meter = claudeMeter('delta');
    meter.tokens.add(21129, { 'session.id': SESSION, model: 'claude-opus-4-8[1m]', type: 'cacheCreation', query_source: 'main' });
    meter.cost.add(0.13275125, { 'session.id': SESSION, model: 'claude-opus-4-8[1m]', query_source: 'main' });
    const rm = await meter.collect();
    const decoded = both(ProtobufMetricsSerializer.serializeRequest(rm), JsonMetricsSerializer.serializeRequest(rm), 'metrics');
    const metrics = items<MetricIn>(decoded);
    const tokens = metrics.find((m) => m.name === 'claude_code.token.usage')!;
    expect(tokens).toMatchObject({ kind: 'sum', temporality: 1, monotonic: true, unit: 'tokens' });
    expect(tokens.points[0]!.value).toBe(21129);
    expect(tokens.points[0]!.attrs.get('type')).toBe('cacheCreation');
    expect(metrics.find((m) => m.name === 'claude_code.cost.usage')!.points[0]!.value).toBe(0.13275125);
    await meter.shutdown();
  });

  it('metrics: cumulative sums say so', async () => {
    const meter = claudeMeter('cumulative');
    meter.sessionCount.add(1, { 'session.id': SESSION, start_type: 'fresh' });
    const rm = await meter.collect();
    const decoded = both(ProtobufMetricsSerializer.serializeRequest(rm), JsonMetricsSerializer.serializeRequest(rm), 'metrics');
    expect(items<MetricIn>(decoded)[0]).toMatchObject({ name: 'claude_code.session.count', temporality: 2 });
    await meter.shutdown();
  });

  it('traces: ids, parent links, times and attributes survive both encodings', () => {
    const spans = claudeSpans(SESSION);
    const decoded = both(ProtobufTraceSerializer.serializeRequest(spans), JsonTraceSerializer.serializeRequest(spans), 'traces');
    const got = items<SpanIn>(decoded);
    expect(got.map((s) => s.name).sort()).toEqual(spans.map((s) => s.name).sort());
    for (const span of spans) {
      const match = got.find((s) => s.spanId === span.spanContext().spanId)!;
      expect(match.traceId).toBe(span.spanContext().traceId);
      expect(match.parentSpanId).toBe(span.parentSpanContext?.spanId ?? '');
      expect(match.startNs).toBe(span.startTime[0] * 1e9 + span.startTime[1]);
      expect(Object.fromEntries(match.attrs)).toEqual(span.attributes);
    }
  });
});

const scalar: fc.Arbitrary<AttrValue> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.boolean(),
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
);
const attrValue: fc.Arbitrary<AttrValue> = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }));

describe('arbitrary attributes', () => {
  it('decode to what was recorded, from protobuf and from JSON', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), attrValue, { maxKeys: 8 }), (attributes) => {
        const records = readableLogs([{ name: 'x', timestamp: 1_795_262_081_000, attributes: attributes as Record<string, string> }]);
        const decoded = both(ProtobufLogsSerializer.serializeRequest(records), JsonLogsSerializer.serializeRequest(records), 'logs');
        expect(Object.fromEntries(items<LogRecordIn>(decoded)[0]!.attrs)).toEqual(records[0]!.attributes);
      }),
      { numRuns: 200 },
    );
  });
});

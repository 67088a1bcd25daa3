/**
 * `POST /` tells the signal of protobuf bodies that are not Claude Code's:
 * a metric holding only a gauge or a histogram uses no field a span could not
 * have, so the sniffer must look at a span's id lengths (and further items).
 */
import { ProtobufLogsSerializer, ProtobufMetricsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { sniffProtobufSignal } from '../../../collectors/otlp/proto/sniff.js';
import { DecodeError } from '../../../collectors/otlp/proto/wire.js';
import { claudeSpans, claudeTurn, readableLogs } from './claude-sdk.js';

class CollectOnDemand extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** A metrics request from the real SDK with one instrument of `kind` from another service. */
async function metricsBody(kind: 'gauge' | 'histogram' | 'counter'): Promise<Buffer> {
  const reader = new CollectOnDemand();
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'other-service' }), readers: [reader] });
  const meter = provider.getMeter('probe');
  if (kind === 'gauge') meter.createGauge('queue.depth', { description: 'depth', unit: '1' }).record(3);
  if (kind === 'histogram') meter.createHistogram('latency', { unit: 'ms' }).record(12);
  if (kind === 'counter') meter.createCounter('requests').add(1);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return Buffer.from(ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!);
}

describe('POST / signal sniffing', () => {
  it.each(['gauge', 'histogram', 'counter'] as const)('tells a metrics request holding only a %s', async (kind) => {
    expect(sniffProtobufSignal(await metricsBody(kind))).toBe('metrics');
  });

  it('tells spans and log records from the SDK serializers', () => {
    const spans = Buffer.from(ProtobufTraceSerializer.serializeRequest(claudeSpans('s-1'))!);
    const logs = Buffer.from(ProtobufLogsSerializer.serializeRequest(readableLogs(claudeTurn('s-1', 0, 0, 1_700_000_000_000)))!);
    expect(sniffProtobufSignal(spans)).toBe('traces');
    expect(sniffProtobufSignal(logs)).toBe('logs');
  });

  it('still refuses an item both metrics and spans admit, with a message that names the signal routes', () => {
    // A "metric" whose name is 16 bytes and description 8 bytes is also a span with only its ids.
    const item = Buffer.concat([Buffer.from([0x0a, 16]), Buffer.alloc(16, 0x61), Buffer.from([0x12, 8]), Buffer.alloc(8, 0x62)]);
    const scopeGroup = Buffer.concat([Buffer.from([0x12, item.length]), item]);
    const resourceGroup = Buffer.concat([Buffer.from([0x12, scopeGroup.length]), scopeGroup]);
    const body = Buffer.concat([Buffer.from([0x0a, resourceGroup.length]), resourceGroup]);
    expect(() => sniffProtobufSignal(body)).toThrow(DecodeError);
    expect(() => sniffProtobufSignal(body)).toThrow(/POST it to \/v1\/logs/);
  });

  it('reads further items when the first fits both metrics and spans, in the same scope or a later resource', async () => {
    const ambiguous = Buffer.concat([Buffer.from([0x0a, 16]), Buffer.alloc(16, 0x61), Buffer.from([0x12, 8]), Buffer.alloc(8, 0x62)]);
    // A sum (field 7) is a field no span has.
    const sum = Buffer.concat([Buffer.from([0x0a, 1, 0x73, 0x3a, 0])]);
    const field = (n: number, bytes: Buffer): Buffer => Buffer.concat([Buffer.from([(n << 3) | 2, bytes.length]), bytes]);
    const request = (...resources: Buffer[][]): Buffer => Buffer.concat(resources.map((items) => field(1, field(2, Buffer.concat(items.map((i) => field(2, i)))))));
    expect(sniffProtobufSignal(request([ambiguous, sum]))).toBe('metrics');
    expect(sniffProtobufSignal(request([ambiguous], [sum]))).toBe('metrics');
    expect(() => sniffProtobufSignal(request([ambiguous, ambiguous]))).toThrow(/cannot tell the signal/);
  });

  it('says empty for an envelope with no item', () => {
    expect(sniffProtobufSignal(Buffer.alloc(0))).toBe('empty');
  });
});

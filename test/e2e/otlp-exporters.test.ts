/**
 * The real OpenTelemetry JS exporters, the ones Claude Code exports with,
 * against the running daemon: logs, metrics and traces over http/json,
 * http/protobuf and grpc (gzip on one of each), then the session records
 * the daemon built from them. Metrics go cumulative over one protocol and
 * delta over another, and a metrics-only session gets its tokens from them.
 */
import { OTLPLogExporter as GrpcLogs } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogs } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogs } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as GrpcMetrics } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { AggregationTemporalityPreference, OTLPMetricExporter as JsonMetrics } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetrics } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as GrpcTraces } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraces } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraces } from '@opentelemetry/exporter-trace-otlp-proto';
import { ValueType } from '@opentelemetry/api';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionRecord, StatusResponse } from '../../schema/index.js';
import { startDaemon, type DaemonHandle } from '../support/daemon.js';
import { claudeResource, claudeTurn, emitClaudeLogs, recordClaudeSpans } from '../unit/otlp/claude-sdk.js';

type Protocol = 'http/json' | 'http/protobuf' | 'grpc';

let daemon: DaemonHandle;
let http: string;
let grpc: string;

beforeAll(async () => {
  daemon = await startDaemon({ collectors: 'otlp', args: ['--otlp-http', '127.0.0.1:0', '--otlp-grpc', '127.0.0.1:0'] });
  const status = (await daemon.request('GET', '/v1/status')).json as StatusResponse;
  const detail = status.components.find((c) => c.name === 'otlp')!.detail!;
  http = `http://${/http=([\d.]+:\d+)/.exec(detail)![1]}`;
  grpc = `http://${/grpc=([\d.]+:\d+)/.exec(detail)![1]}`;
});
afterAll(async () => {
  await daemon?.cleanup();
});

/** The three exporters of one protocol, as Claude Code configures them (gzip on when asked). */
function exporters(protocol: Protocol, gzip: boolean): { logs: LogRecordExporter; metrics: PushMetricExporter; traces: SpanExporter; cumulative: boolean } {
  const compression = (gzip ? 'gzip' : 'none') as never;
  switch (protocol) {
    case 'http/json':
      return {
        logs: new JsonLogs({ url: `${http}/v1/logs`, compression }),
        metrics: new JsonMetrics({ url: `${http}/v1/metrics`, compression }),
        traces: new JsonTraces({ url: `${http}/v1/traces`, compression }),
        cumulative: true,
      };
    case 'http/protobuf':
      return {
        logs: new ProtoLogs({ url: `${http}/v1/logs`, compression }),
        metrics: new ProtoMetrics({ url: `${http}/v1/metrics`, compression, temporalityPreference: AggregationTemporalityPreference.DELTA }),
        traces: new ProtoTraces({ url: `${http}/v1/traces`, compression }),
        cumulative: false,
      };
    case 'grpc':
      return {
        logs: new GrpcLogs({ url: grpc, compression }),
        metrics: new GrpcMetrics({ url: grpc, compression, temporalityPreference: AggregationTemporalityPreference.DELTA }),
        traces: new GrpcTraces({ url: grpc, compression }),
        cumulative: false,
      };
  }
}

/**
 * The session once `ready` holds. The SDK's flush and shutdown can resolve
 * before a gzip export has reached the daemon, so the record is polled; the
 * deadline is generous and only bounds a failing run.
 */
async function session(id: string, ready: (s: SessionRecord) => boolean): Promise<SessionRecord> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const reply = await daemon.request('GET', `/v1/sessions/${id}`);
    const record = reply.status === 200 ? (reply.json as { session: SessionRecord }).session : null;
    if (record && ready(record)) return record;
    if (Date.now() > deadline) {
      if (record) return record;
      throw new Error(`GET /v1/sessions/${id}: ${reply.status} ${reply.text}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const CASES: [Protocol, boolean, string, string][] = [
  ['http/json', false, '1aa1e2b3-0001-4000-8000-000000000001', '1aa1e2b3-0001-4000-8000-0000000000a1'],
  ['http/protobuf', true, '1aa1e2b3-0002-4000-8000-000000000002', '1aa1e2b3-0002-4000-8000-0000000000a2'],
  ['grpc', true, '1aa1e2b3-0003-4000-8000-000000000003', '1aa1e2b3-0003-4000-8000-0000000000a3'],
];

describe.each(CASES)('%s exporters (gzip %s)', (protocol, gzip, sessionId, metricsOnlyId) => {
  it('logs, traces and metrics of two turns build the session record', async () => {
    const ex = exporters(protocol, gzip);
    const resource = claudeResource();
    const logs = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: ex.logs })] });
    emitClaudeLogs(logs, [...claudeTurn(sessionId, 1, 60, 1_795_262_081_000), ...claudeTurn(sessionId, 2, 80, 1_795_262_091_000)]);
    const traces = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(ex.traces)] });
    recordClaudeSpans(traces, sessionId);
    const reader = new PeriodicExportingMetricReader({ exporter: ex.metrics, exportIntervalMillis: 3_600_000 });
    const meters = new MeterProvider({ resource, readers: [reader] });
    const tokens = meters.getMeter('com.anthropic.claude_code').createCounter('claude_code.token.usage', { unit: 'tokens', valueType: ValueType.DOUBLE });
    // A session with metrics only: its tokens can come from nowhere else.
    tokens.add(100, { 'session.id': metricsOnlyId, type: 'input', model: 'claude-opus-4-8', query_source: 'main' });
    await reader.forceFlush();
    tokens.add(50, { 'session.id': metricsOnlyId, type: 'input', model: 'claude-opus-4-8', query_source: 'main' });
    await Promise.all([logs.forceFlush(), traces.forceFlush(), reader.forceFlush()]);
    await Promise.all([logs.shutdown(), traces.shutdown(), meters.shutdown()]);

    const s = await session(sessionId, (r) => r.api_request_count >= 4 && r.tool_call_count >= 3 && r.n_otel_events > 15);
    // claudeTurn: two requests per turn, (4, 84, 0, 21129) and (5, 27, 21132, 180); two turns.
    expect(s).toMatchObject({
      api_request_count: 4,
      tokens_input: 18,
      tokens_output: 222,
      tokens_cache_read: 42264,
      tokens_cache_write: 42618,
      tool_call_count: 3, // Bash per turn from the logs, plus the span-only Bash of the trace
      first_user_message: 'TOOLDEMO: run echo hi and read hello.txt',
      app_version: '2.1.197',
    });
    expect(s.n_otel_events).toBeGreaterThan(15);
    const metricsOnly = await session(metricsOnlyId, (r) => r.tokens_input >= 150);
    expect(metricsOnly.tokens_input).toBe(150);
  });
});

describe('after every protocol', () => {
  it('nothing was rejected and the receiver saw every signal', async () => {
    const status = (await daemon.request('GET', '/v1/status')).json as StatusResponse;
    expect(status.counters['otlp.items_rejected'] ?? 0).toBe(0);
    expect(status.counters['otlp.requests_invalid'] ?? 0).toBe(0);
    expect(status.counters['otlp.grpc.requests']).toBeGreaterThanOrEqual(3);
    expect(status.counters['otlp.http.requests']).toBeGreaterThanOrEqual(6);
  });
});

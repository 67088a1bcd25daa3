/**
 * The OTLP counters `dossier status` shows, against a known workload sent to
 * the real daemon over both doors: every record received, rejected, ignored,
 * from another service or without a session is counted exactly once, and the
 * events inserted are the events the database holds.
 */
import { JsonMetricsSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusResponse } from '../../schema/index.js';
import { startDaemon, type DaemonHandle } from '../support/daemon.js';
import { claudeMeter, claudeResource, claudeSpans, claudeTurn, readableLogs, type ClaudeLogSpec } from '../unit/otlp/claude-sdk.js';
import { grpcExport, httpPost, noise } from '../unit/otlp/clients.js';

const SESSION = '3c2b1a09-1111-4222-8333-444455556666';
const PROTO = { 'Content-Type': 'application/x-protobuf' };

let daemon: DaemonHandle;
let status: StatusResponse;

const logsBody = (specs: readonly ClaudeLogSpec[], service = 'claude-code'): Buffer =>
  Buffer.from(ProtobufLogsSerializer.serializeRequest(readableLogs(specs, claudeResource(service)))!);

beforeAll(async () => {
  daemon = await startDaemon({ collectors: 'otlp', args: ['--otlp-http', '127.0.0.1:0', '--otlp-grpc', '127.0.0.1:0'] });
  const detail = ((await daemon.request('GET', '/v1/status')).json as StatusResponse).components.find((c) => c.name === 'otlp')?.detail ?? '';
  const http = `http://${/http=([\d.]+:\d+)/.exec(detail)![1]}`;
  const grpc = /grpc=([\d.]+:\d+)/.exec(detail)![1]!;

  // One turn: 9 records, 7 of them mapped and 2 hook records ignored; then one record of an
  // unknown name (ignored), one without a session, and one whose 2 MB prompt is over the bound.
  const turn = [
    ...claudeTurn(SESSION, 1, 60, 1_795_262_081_000),
    { name: 'some_unknown_event', timestamp: 1_795_262_081_500, attributes: { 'session.id': SESSION, 'event.sequence': 99 } },
    { name: 'api_request', timestamp: 1_795_262_081_600, attributes: { request_id: 'req_nosession', 'event.sequence': 100 } },
  ];
  const oversized = { name: 'user_prompt', timestamp: 1_795_262_081_700, attributes: { 'session.id': SESSION, 'event.sequence': 101, prompt: 'p'.repeat(2 << 20) } };
  expect((await httpPost(http, '/v1/logs', logsBody([...turn, oversized]), PROTO)).status).toBe(200);
  // The same records again over gRPC (without the oversized one): all duplicates.
  expect((await grpcExport(grpc, 'logs', logsBody(turn))).ok).toBe(true);
  // Five records of another service.
  expect((await grpcExport(grpc, 'logs', logsBody(claudeTurn(SESSION, 2, 70, 1_795_262_091_000).slice(0, 5), 'other-service'))).ok).toBe(true);
  // Three metric points over JSON, one without a session.
  const meter = claudeMeter('delta');
  meter.tokens.add(10, { 'session.id': SESSION, type: 'input', model: 'claude-opus-4-8', query_source: 'main' });
  meter.cost.add(0.5, { 'session.id': SESSION, model: 'claude-opus-4-8', query_source: 'main' });
  meter.tokens.add(5, { type: 'input', model: 'claude-opus-4-8' });
  const metrics = Buffer.from(JsonMetricsSerializer.serializeRequest(await meter.collect())!);
  await meter.shutdown();
  expect((await httpPost(http, '/v1/metrics', metrics, { 'Content-Type': 'application/json' })).status).toBe(200);
  // Four spans.
  expect((await httpPost(http, '/v1/traces', Buffer.from(ProtobufTraceSerializer.serializeRequest(claudeSpans(SESSION))!), PROTO)).status).toBe(200);
  // Refused: an undecodable body on each door and a foreign content type.
  expect((await httpPost(http, '/v1/logs', noise(3000), PROTO)).status).toBe(400);
  expect((await httpPost(http, '/v1/logs', Buffer.from('x'), { 'Content-Type': 'text/plain' })).status).toBe(415);
  expect((await grpcExport(grpc, 'logs', noise(3000, 'g'))).ok).toBe(false);
  status = (await daemon.request('GET', '/v1/status')).json as StatusResponse;
});
afterAll(async () => {
  await daemon?.cleanup();
});

describe('OTLP counters after a known workload', () => {
  it('count every item once, by what became of it', () => {
    const c = status.counters;
    expect({
      logs: c['otlp.logs.items'],
      metrics: c['otlp.metrics.items'],
      traces: c['otlp.traces.items'],
      rejected: c['otlp.items_rejected'],
      ignored: c['otlp.items_ignored'],
      foreign: c['otlp.items_foreign'],
      withoutSession: c['otlp.items_without_session'],
      duplicates: c['otlp.events_duplicate'],
    }).toEqual({ logs: 12 + 11 + 5, metrics: 3, traces: 4, rejected: 1, ignored: 3 + 3, foreign: 5, withoutSession: 1 + 1 + 1, duplicates: 7 });
  });

  it('count requests by door and refusals by reason', () => {
    const c = status.counters;
    expect([c['otlp.http.requests'], c['otlp.grpc.requests'], c['otlp.requests_invalid'], c['otlp.requests_unsupported_media']]).toEqual([5, 3, 2, 1]);
  });

  it('count as inserted exactly the events the database holds: the turn, two metric points and the spans', () => {
    // The four spans map to five events: the interaction's busy and idle, the request's activity, the tool's call and end.
    expect(status.database.events).toBe(7 + 2 + 5);
    expect(status.counters['otlp.events_inserted']).toBe(status.database.events);
  });
});

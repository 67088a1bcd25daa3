/**
 * The OTLP receiver inside the real daemon (built, on a temp home, free
 * ports): the captured subagent run replayed over HTTP protobuf gives the
 * session record the mock API's ground truth says; a re-sent run changes
 * nothing; bad requests store nothing while the daemon keeps serving; the
 * throw-away start-up session id of `-p --continue` is kept but hidden; and
 * a taken port stops the start with an error naming it.
 */
import { createServer } from 'node:net';
import { ProtobufLogsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionListResponse, SessionRecord, StatusResponse } from '../../schema/index.js';
import { runDossier, startDaemon, type DaemonHandle } from '../support/daemon.js';
import { claudeMeter, readableLogs } from '../unit/otlp/claude-sdk.js';
import { grpcExport, httpPost, noise } from '../unit/otlp/clients.js';
import { fixtureRequests } from '../unit/otlp/harness.js';

const PROTO = { 'Content-Type': 'application/x-protobuf' };
const SUBAGENT_SESSION = '221487a9-8603-4d04-a876-eae3d951bdec';

let daemon: DaemonHandle;
let httpUrl: string;
let grpcAddress: string;

/** The OTLP doors' real addresses, from the component detail `dossier status` shows. */
async function otlpAddresses(d: DaemonHandle): Promise<{ http: string; grpc: string }> {
  const status = (await d.request('GET', '/v1/status')).json as StatusResponse;
  const detail = status.components.find((c) => c.name === 'otlp')?.detail ?? '';
  const http = /http=([\d.]+:\d+)/.exec(detail)?.[1];
  const grpc = /grpc=([\d.]+:\d+)/.exec(detail)?.[1];
  if (!http || !grpc) throw new Error(`no OTLP addresses in status: ${detail}`);
  return { http, grpc };
}

async function session(id: string): Promise<SessionRecord> {
  const reply = await daemon.request('GET', `/v1/sessions/${id}`);
  expect(reply.status).toBe(200);
  return (reply.json as { session: SessionRecord }).session;
}

async function eventCount(): Promise<number> {
  return ((await daemon.request('GET', '/v1/status')).json as StatusResponse).database.events;
}

beforeAll(async () => {
  daemon = await startDaemon({ collectors: 'otlp', args: ['--otlp-http', '127.0.0.1:0', '--otlp-grpc', '127.0.0.1:0'] });
  const addresses = await otlpAddresses(daemon);
  httpUrl = `http://${addresses.http}`;
  grpcAddress = addresses.grpc;
});
afterAll(async () => {
  await daemon?.cleanup();
});

describe('the subagent run replayed into the daemon', () => {
  it('gives the session its usage from OTel, matching the mock API totals', async () => {
    for (const req of fixtureRequests('d-subagent')) {
      expect((await httpPost(httpUrl, `/v1/${req.signal}`, req.body, PROTO)).status).toBe(200);
    }
    const s = await session(SUBAGENT_SESSION);
    // mock-api-requests.jsonl: 4 requests; input 4+4+7+6, output 75+52+20+18, cache read 13440+21130, cache write 21126+13436+484+180
    expect(s).toMatchObject({
      api_request_count: 4,
      tokens_input: 21,
      tokens_output: 165,
      tokens_cache_read: 34570,
      tokens_cache_write: 35226,
      tool_call_count: 2,
      hidden: false,
    });
    expect(s.n_otel_events).toBeGreaterThan(20);
    expect(s.first_user_message).toBe('TASKDEMO: delegate an echo to a subagent');
    expect(s.reported_cost_usd).toBeCloseTo(0.1339325 + 0.085295 + 0.01028 + 0.01217, 6);
  });

  it('re-sent over gRPC, the same run inserts nothing', async () => {
    const before = await eventCount();
    const record = await session(SUBAGENT_SESSION);
    for (const req of fixtureRequests('d-subagent')) expect((await grpcExport(grpcAddress, req.signal, req.body)).ok).toBe(true);
    expect(await eventCount()).toBe(before);
    expect(await session(SUBAGENT_SESSION)).toEqual(record);
  });

  it('bad requests store nothing and the daemon keeps serving', async () => {
    const before = await eventCount();
    expect((await httpPost(httpUrl, '/v1/logs', noise(5000), PROTO)).status).toBe(400);
    expect((await httpPost(httpUrl, '/v1/logs', Buffer.from('{"resourceLogs": ['), { 'Content-Type': 'application/json' })).status).toBe(400);
    expect((await httpPost(httpUrl, '/v1/logs', Buffer.from('x'), { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect(await grpcExport(grpcAddress, 'logs', noise(5000, 'grpc'))).toMatchObject({ ok: false, code: 3 });
    expect(await eventCount()).toBe(before);
    expect((await daemon.request('GET', '/v1/status')).status).toBe(200);
  });
});

describe('the throw-away session id of `claude -p --continue` start-up telemetry', () => {
  const REAL = '5f0c1a43-6b2e-4c1f-9d51-6f1d2b9a0c11';
  const THROWAWAY = '9e8d7c6b-5a49-4838-a727-161514131211';

  it('is stored but hidden from the session list, and explained when shown', async () => {
    // Start-up: session.count carries the throw-away id; everything after carries the real one.
    const meter = claudeMeter('delta');
    meter.sessionCount.add(1, { 'session.id': THROWAWAY, start_type: 'continue' });
    expect((await httpPost(httpUrl, '/v1/metrics', Buffer.from(ProtobufMetricsSerializer.serializeRequest(await meter.collect())!), PROTO)).status).toBe(200);
    await meter.shutdown();
    const logs = readableLogs([
      { name: 'hook_execution_start', timestamp: 1_795_262_200_000, attributes: { 'session.id': THROWAWAY, 'event.sequence': 0, hook_event: 'SessionStart', hook_name: 'SessionStart:resume' } },
      { name: 'user_prompt', timestamp: 1_795_262_200_100, attributes: { 'session.id': REAL, 'event.sequence': 60, 'prompt.id': 'p-1', prompt: 'continue please', prompt_length: '15' } },
    ]);
    expect((await httpPost(httpUrl, '/v1/logs', Buffer.from(ProtobufLogsSerializer.serializeRequest(logs)!), PROTO)).status).toBe(200);

    const listed = ((await daemon.request('GET', '/v1/sessions')).json as SessionListResponse).sessions.map((s) => s.session_id);
    expect(listed).toContain(REAL);
    expect(listed).not.toContain(THROWAWAY);
    const all = ((await daemon.request('GET', '/v1/sessions?all=true')).json as SessionListResponse).sessions.map((s) => s.session_id);
    expect(all).toContain(THROWAWAY);
    const hidden = await session(THROWAWAY);
    expect(hidden.hidden).toBe(true);
    expect(hidden.hidden_reason).not.toBeNull();
    expect(hidden.n_otel_events).toBeGreaterThan(0);

    // As the user sees it: not in `dossier ls`, explained by `dossier show`.
    const ls = await daemon.cli(['ls', '--json']);
    expect(ls.stdout).toContain(REAL);
    expect(ls.stdout).not.toContain(THROWAWAY);
    const show = await daemon.cli(['show', THROWAWAY]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/hidden/);
    expect(show.stdout).toContain(hidden.hidden_reason!);
  });
});

describe('start-up', () => {
  it('a taken OTLP port stops the daemon with an error naming it', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const failed = await startDaemon({ collectors: 'otlp', args: ['--otlp-http', `127.0.0.1:${port}`, '--otlp-grpc', 'off'] }).then(
        async (d) => {
          await d.cleanup();
          return null;
        },
        (e: unknown) => e as Error,
      );
      expect(failed?.message).toContain(`127.0.0.1:${port}`);
      expect(failed?.message).toMatch(/already in use/);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('a non-loopback address is refused as a usage error', async () => {
    const run = await runDossier(['daemon', '--home', '/nonexistent-dossier-home', '--collectors', 'otlp', '--otlp-http', '0.0.0.0:4318']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--otlp-http: host must be a loopback address/);
  });
});

import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DossierError, LIMITS, VERSION_HEADER, type NormalizedEvent, type StatusResponse } from '../../../../schema/index.js';
import { Counters } from '../../../../core/pipeline/counters.js';
import type { IngestBatch, IngestResult } from '../../../../core/pipeline/sink.js';
import type { ApiDeps } from '../../../../daemon/api/deps.js';
import { apiRoutes } from '../../../../daemon/api/routes.js';
import { ApiServer } from '../../../../daemon/api/server.js';
import { rawRequest } from '../../../support/daemon.js';

function event(i: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dedupe_key: `k${i}`,
    source: 'hook',
    framework: 'claude_code',
    session_id: 'sess-1',
    agent_id: null,
    ts: 1_700_000_000_000 + i,
    received_at: 1_700_000_000_000 + i,
    kind: 'session.activity',
    attrs: {},
    ...overrides,
  };
}

/** A sink that records what it was given and answers as told. */
class FakeSink {
  batches: IngestBatch[] = [];
  refuse: DossierError | null = null;
  readonly accepting = true;
  async submit(batch: IngestBatch): Promise<IngestResult> {
    if (this.refuse) throw this.refuse;
    this.batches.push(batch);
    return { received: batch.events.length, inserted: batch.events.length, duplicates: 0 };
  }
}

describe('ApiServer', () => {
  let dir: string;
  let socket: string;
  let server: ApiServer;
  let sink: FakeSink;
  let logLines: string[];
  let statusImpl: () => StatusResponse;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dapi-'));
    socket = join(dir, 'api.sock');
    sink = new FakeSink();
    logLines = [];
    statusImpl = () => ({ daemon_version: '9.9.9' }) as StatusResponse;
    const deps: ApiDeps = {
      reader: {
        listSessions: () => ({ sessions: [], next_cursor: null }),
        findSession: (id) => (id === 'amb' ? { ambiguous: ['amb-1', 'amb-2'] } : null),
        listEvents: () => ({ events: [], next_cursor: null }),
        sessionStats: () => {
          throw new Error('not used by these tests');
        },
      },
      sink,
      rebuild: () => ({ sessions: 2, events: 7 }),
      status: () => statusImpl(),
      now: () => 1_700_000_000_000,
      counters: new Counters(),
    };
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
    server = new ApiServer({ routes: apiRoutes(deps), version: '9.9.9', logger, counters: deps.counters, maxBodyBytes: 64 * 1024 });
    await server.listen(socket);
  });

  afterEach(async () => {
    await server.close(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    rawRequest(socket, 'POST', '/v1/events', { body, headers });

  it('creates the socket with mode 0600 and removes it on close', async () => {
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    await server.close(1000);
    expect(existsSync(socket)).toBe(false);
  });

  it('refuses a second listener on the same path with DOSSIER_E_DAEMON_RUNNING', async () => {
    const other = new ApiServer({ routes: [], version: 'x', logger: pino({ level: 'silent' }), counters: new Counters() });
    await expect(other.listen(socket)).rejects.toMatchObject({ code: 'DOSSIER_E_DAEMON_RUNNING' });
  });

  it('sends the version header on successes and errors', async () => {
    const good = await rawRequest(socket, 'GET', '/v1/status');
    expect(good.status).toBe(200);
    expect(good.headers[VERSION_HEADER]).toBe('9.9.9');
    const bad = await rawRequest(socket, 'GET', '/v1/nope');
    expect(bad.status).toBe(404);
    expect(bad.headers[VERSION_HEADER]).toBe('9.9.9');
    expect(bad.json).toEqual({ error: { code: 'DOSSIER_E_API_NOT_FOUND', message: 'no such route: GET /v1/nope', retryable: false } });
  });

  it('answers 405 with an Allow header for a known path and the wrong method', async () => {
    const reply = await rawRequest(socket, 'DELETE', '/v1/sessions');
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET');
  });

  it('refuses any request carrying an Origin header', async () => {
    const reply = await rawRequest(socket, 'POST', '/v1/events', {
      body: JSON.stringify({ events: [event(1)] }),
      headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
    });
    expect(reply.status).toBe(403);
    expect((reply.json as { error: { code: string } }).error.code).toBe('DOSSIER_E_API_FORBIDDEN_ORIGIN');
    expect(sink.batches).toHaveLength(0);
  });

  it('submits a valid batch and replies with its counts', async () => {
    const reply = await post(JSON.stringify({ events: [event(1), event(2)] }));
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ received: 2, inserted: 2, duplicates: 0 });
    expect(sink.batches.map((b) => b.events.map((e: NormalizedEvent) => e.dedupe_key))).toEqual([['k1', 'k2']]);
  });

  it('rejects malformed JSON with 400 DOSSIER_E_API_BAD_JSON', async () => {
    const reply = await post('{"events": [');
    expect(reply.status).toBe(400);
    expect((reply.json as { error: { code: string } }).error.code).toBe('DOSSIER_E_API_BAD_JSON');
  });

  it('rejects a non-JSON content type with 415, and a body without one', async () => {
    expect((await post(JSON.stringify({ events: [] }), { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(JSON.stringify({ events: [] }), {})).status).toBe(415);
    expect((await post(JSON.stringify({ events: [] }), { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  it('rejects the whole batch when one event is invalid, naming its index, path and value', async () => {
    const badUsage = event(2, { kind: 'api.request', attrs: { usage: { input: 'ten', output: 1, cache_read: 0, cache_write: 0, cache_write_1h: 0 } } });
    const reply = await post(JSON.stringify({ events: [event(1), badUsage] }));
    expect(reply.status).toBe(422);
    const error = (reply.json as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('DOSSIER_E_EVENT_INVALID');
    expect(error.message).toMatch(/events\[1\]\.attrs\.usage\.input: .*\(got "ten"\)/);
    expect(sink.batches).toHaveLength(0);
  });

  it('names an unknown kind and a wrongly typed top-level field', async () => {
    const unknownKind = await post(JSON.stringify({ events: [event(1, { kind: 'teleport' })] }));
    expect((unknownKind.json as { error: { message: string } }).error.message).toMatch(/events\[0\]\.kind: .*\(got "teleport"\)/);
    const wrongType = await post(JSON.stringify({ events: [event(1, { ts: 'yesterday' })] }));
    expect(wrongType.status).toBe(422);
    expect((wrongType.json as { error: { message: string } }).error.message).toMatch(/events\[0\]\.ts: .*\(got "yesterday"\)/);
  });

  it('rejects a body that is not { events: [...] } with 400', async () => {
    for (const body of ['[]', '{"events": {}}', '{"events": [], "extra": 1}', 'null']) {
      const reply = await post(body);
      expect(reply.status, body).toBe(400);
      expect((reply.json as { error: { code: string } }).error.code).toBe('DOSSIER_E_API_BAD_REQUEST');
    }
  });

  it('rejects more than maxEventsPerRequest events with 413', async () => {
    const big = new ApiServer({
      routes: apiRoutes({ reader: {} as ApiDeps['reader'], sink, rebuild: () => ({ sessions: 0, events: 0 }), status: statusImpl, now: Date.now, counters: new Counters() }),
      version: '9.9.9',
      logger: pino({ level: 'silent' }),
      counters: new Counters(),
    });
    const bigSocket = join(dir, 'big.sock');
    await big.listen(bigSocket);
    try {
      const events = Array.from({ length: LIMITS.maxEventsPerRequest + 1 }, () => ({}));
      const reply = await rawRequest(bigSocket, 'POST', '/v1/events', { body: JSON.stringify({ events }), headers: { 'content-type': 'application/json' } });
      expect(reply.status).toBe(413);
      expect((reply.json as { error: { message: string } }).error.message).toContain(`got ${LIMITS.maxEventsPerRequest + 1}`);
    } finally {
      await big.close(1000);
    }
    expect(sink.batches).toHaveLength(0);
  });

  it('refuses an oversized body with 413, declared or streamed, and keeps serving', async () => {
    const body = JSON.stringify({ events: [event(1, { attrs: { name: 'x'.repeat(100 * 1024) } })] });
    const declared = await post(body);
    expect(declared.status).toBe(413);
    expect((declared.json as { error: { code: string } }).error.code).toBe('DOSSIER_E_API_BODY_TOO_LARGE');
    const streamed = await rawRequest(socket, 'POST', '/v1/events', { body, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
    expect(streamed.status).toBe(413);
    expect(sink.batches).toHaveLength(0);
    expect((await rawRequest(socket, 'GET', '/v1/status')).status).toBe(200);
  });

  it('passes a full queue on as a retryable 503 with Retry-After', async () => {
    sink.refuse = new DossierError('DOSSIER_E_PIPELINE_QUEUE_FULL', '50000 of 50000 events queued');
    const reply = await post(JSON.stringify({ events: [event(1)] }));
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('1');
    expect(reply.json).toMatchObject({ error: { code: 'DOSSIER_E_PIPELINE_QUEUE_FULL', retryable: true } });
  });

  it('turns an unexpected handler failure into a logged 500 and keeps serving', async () => {
    statusImpl = () => {
      throw new TypeError('boom');
    };
    const reply = await rawRequest(socket, 'GET', '/v1/status');
    expect(reply.status).toBe(500);
    expect(reply.json).toEqual({ error: { code: 'DOSSIER_E_INTERNAL', message: 'internal error', retryable: false } });
    const logged = logLines.map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message: string } });
    expect(logged.some((l) => l.level === 50 && l.err?.message === 'boom')).toBe(true);
    expect((await rawRequest(socket, 'GET', '/v1/sessions')).status).toBe(200);
  });

  it('maps session lookups to 404 and 409 with the candidates', async () => {
    const missing = await rawRequest(socket, 'GET', '/v1/sessions/zzz');
    expect(missing.status).toBe(404);
    expect((missing.json as { error: { code: string } }).error.code).toBe('DOSSIER_E_SESSION_NOT_FOUND');
    const ambiguous = await rawRequest(socket, 'GET', '/v1/sessions/amb/events');
    expect(ambiguous.status).toBe(409);
    expect((ambiguous.json as { error: { message: string } }).error.message).toContain('amb-1, amb-2');
  });

  it('validates query parameters of every read route', async () => {
    for (const path of ['/v1/sessions?limit=0', '/v1/sessions?status=sleepy', '/v1/sessions?bogus=1', '/v1/sessions/x/events?kind=nope', '/v1/sessions/x/events?source=email', '/v1/status?verbose=1']) {
      const reply = await rawRequest(socket, 'GET', path);
      expect(reply.status, path).toBe(400);
      expect((reply.json as { error: { code: string } }).error.code).toBe('DOSSIER_E_API_BAD_QUERY');
    }
  });

  it('answers rebuild with counts and a duration', async () => {
    const reply = await rawRequest(socket, 'POST', '/v1/rebuild', { body: '{}', headers: { 'content-type': 'application/json' } });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ sessions: 2, events: 7 });
    expect(typeof (reply.json as { duration_ms: unknown }).duration_ms).toBe('number');
  });

  it('refuses writes after closeWrites but keeps answering reads', async () => {
    server.closeWrites();
    const write = await post(JSON.stringify({ events: [event(1)] }));
    expect(write.status).toBe(503);
    expect(write.json).toMatchObject({ error: { code: 'DOSSIER_E_PIPELINE_STOPPED', retryable: true } });
    expect(write.headers['retry-after']).toBe('1');
    expect((await rawRequest(socket, 'GET', '/v1/status')).status).toBe(200);
  });
});

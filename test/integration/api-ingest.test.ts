/**
 * Events posted through the real socket come back through the real CLI, bad
 * input is refused with the right code and stores nothing, and a rebuild
 * reproduces the projection byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type SessionRecord, type StatusResponse, type StoredEvent } from '../../schema/index.js';
import { startDaemon, type DaemonHandle } from '../support/daemon.js';
import { JSON_HEADERS, apiRequest, batchBody, promptSubmitted, sessionStarted, toolCalled } from './wire-events.js';

const A = 'aaaa1111-0000-4000-8000-000000000001';
const B = 'aaaa2222-0000-4000-8000-000000000002';

describe('API ingest and read-back through the real daemon', () => {
  let daemon: DaemonHandle;
  const t0 = Date.now() - 60_000;

  beforeAll(async () => {
    daemon = await startDaemon();
  });
  afterAll(async () => {
    await daemon?.cleanup();
  });

  const post = (body: string | Buffer, headers: Record<string, string> = JSON_HEADERS) => daemon.request('POST', '/v1/events', { body, headers });
  const json = async <T>(args: string[]): Promise<T> => {
    const run = await daemon.cli(args);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as T;
  };
  const eventCount = async (): Promise<number> => (await json<StatusResponse>(['status', '--json'])).database.events;

  it('stores a posted batch and shows it in ls, show and events', async () => {
    const batch = [
      sessionStarted(A, t0),
      promptSubmitted(A, t0 + 1000, 'Add the socket API'),
      apiRequest(A, 1, { input: 1200, output: 300 }, t0 + 2000),
      toolCalled(A, t0 + 3000, 'toolu_1', 'npm test'),
      apiRequest(A, 2, { input: 800, output: 200 }, t0 + 4000),
      sessionStarted(B, t0 + 5000, '/home/ada/src/other'),
    ];
    const reply = await post(batchBody(batch));
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ received: 6, inserted: 6, duplicates: 0 });
    expect(reply.headers['dossier-version']).toMatch(/^\d+\.\d+\.\d+/);
    // Both sessions are live (events in the last minute), so the writer keeps them in memory.
    expect((await json<StatusResponse>(['status', '--json'])).database.event_cache).toMatchObject({ sessions: 2, events: 6 });

    const sessions = await json<SessionRecord[]>(['ls', '--json']);
    expect(sessions.map((s) => s.session_id).sort()).toEqual([A, B]);

    const a = await json<SessionRecord>(['show', 'aaaa1', '--json']);
    expect(a).toMatchObject({
      session_id: A,
      cwd: '/home/ada/src/dossier',
      first_user_message: 'Add the socket API',
      model: 'claude-sonnet-4-5-20250929',
      tokens_input: 2000,
      tokens_output: 500,
      api_request_count: 2,
      tool_call_count: 1,
      n_events: 5,
    });
    expect(a.provenance.cwd).toBeDefined();

    const events = await json<StoredEvent[]>(['events', A, '--json']);
    expect(events.map((e) => e.dedupe_key)).toEqual(batch.slice(0, 5).map((e) => e.dedupe_key));
    const onlyRequests = await json<StoredEvent[]>(['events', A, '--kind', 'api.request', '--json']);
    expect(onlyRequests.map((e) => e.kind)).toEqual(['api.request', 'api.request']);
    const onlyHooks = await json<StoredEvent[]>(['events', A, '--source', 'hook', '--json']);
    expect(onlyHooks.every((e) => e.source === 'hook')).toBe(true);
    expect(onlyHooks).toHaveLength(3);

    const timeline = await daemon.cli(['events', A]);
    const lines = timeline.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('session.started');
    expect(lines[4]).toContain('api.request');
  });

  it('counts a re-sent batch as duplicates and changes nothing', async () => {
    const before = await json<SessionRecord>(['show', A, '--json']);
    const reply = await post(batchBody([apiRequest(A, 1, { input: 1200, output: 300 }, t0 + 2000), apiRequest(A, 2, { input: 800, output: 200 }, t0 + 4000)]));
    expect(reply.json).toEqual({ received: 2, inserted: 0, duplicates: 2 });
    expect(await json<SessionRecord>(['show', A, '--json'])).toEqual(before);
  });

  it('refuses bad input with the right status and code, stores nothing, and keeps serving', async () => {
    const eventsBefore = await eventCount();
    const lsBefore = (await daemon.cli(['ls', '--all', '--json'])).stdout;
    const fresh = (n: number) => apiRequest('bad-input-session', n, { input: 1, output: 1 }, t0 + n);
    const withKind = { ...fresh(1), kind: 'session.exploded' };
    const wrongType = { ...fresh(2), ts: 'yesterday' };
    const wrongAttr = { ...fresh(3), attrs: { usage: { input: -5, output: 0, cache_read: 0, cache_write: 0, cache_write_1h: 0 } } };
    const cases: { name: string; send: () => ReturnType<typeof post>; status: number; code: string; message?: RegExp }[] = [
      { name: 'malformed JSON', send: () => post('{"events": [{"dedupe_key": '), status: 400, code: 'DOSSIER_E_API_BAD_JSON' },
      { name: 'unknown kind', send: () => post(batchBody([fresh(10), withKind])), status: 422, code: 'DOSSIER_E_EVENT_INVALID', message: /events\[1\]\.kind: .*\(got "session\.exploded"\)/ },
      { name: 'wrong top-level type', send: () => post(batchBody([wrongType])), status: 422, code: 'DOSSIER_E_EVENT_INVALID', message: /events\[0\]\.ts: .*\(got "yesterday"\)/ },
      { name: 'wrong attr value', send: () => post(batchBody([fresh(11), fresh(12), wrongAttr])), status: 422, code: 'DOSSIER_E_EVENT_INVALID', message: /events\[2\]\.attrs\.usage\.input: .*\(got -5\)/ },
      { name: 'not an events envelope', send: () => post('{"event": []}'), status: 400, code: 'DOSSIER_E_API_BAD_REQUEST' },
      { name: 'text/plain', send: () => post(batchBody([fresh(13)]), { 'content-type': 'text/plain' }), status: 415, code: 'DOSSIER_E_API_UNSUPPORTED_MEDIA' },
      { name: 'Origin header', send: () => post(batchBody([fresh(14)]), { ...JSON_HEADERS, origin: 'https://example.com' }), status: 403, code: 'DOSSIER_E_API_FORBIDDEN_ORIGIN' },
      {
        name: 'too many events',
        send: () => post(batchBody(Array.from({ length: LIMITS.maxEventsPerRequest + 1 }, (_, i) => fresh(100 + i)))),
        status: 413,
        code: 'DOSSIER_E_API_BODY_TOO_LARGE',
      },
      {
        name: 'body over the byte limit',
        send: () => post(Buffer.alloc(LIMITS.maxRequestBodyBytes + 1024, 0x20)),
        status: 413,
        code: 'DOSSIER_E_API_BODY_TOO_LARGE',
      },
    ];
    for (const c of cases) {
      const reply = await c.send();
      expect(reply.status, c.name).toBe(c.status);
      const error = (reply.json as { error: { code: string; message: string; retryable: boolean } }).error;
      expect(error.code, c.name).toBe(c.code);
      expect(error.retryable, c.name).toBe(false);
      if (c.message) expect(error.message, c.name).toMatch(c.message);
    }
    const queries: [string, string][] = [
      ['/v1/sessions?limit=many', 'limit'],
      ['/v1/sessions?limit=1001', 'limit'],
      ['/v1/sessions?status=asleep', 'status'],
      ['/v1/sessions?all=perhaps', 'all'],
      ['/v1/sessions?sort=size', 'sort'],
      ['/v1/sessions?colour=red', 'colour'],
      [`/v1/sessions/${A}/events?kind=tool.exploded`, 'kind'],
      [`/v1/sessions/${A}/events?source=email`, 'source'],
      [`/v1/sessions/${A}/events?limit=0`, 'limit'],
    ];
    for (const [path, param] of queries) {
      const reply = await daemon.request('GET', path);
      expect(reply.status, path).toBe(400);
      const error = (reply.json as { error: { code: string; message: string } }).error;
      expect(error.code, path).toBe('DOSSIER_E_API_BAD_QUERY');
      expect(error.message, path).toContain(`${param}: `);
    }
    expect(await eventCount()).toBe(eventsBefore);
    expect((await daemon.cli(['ls', '--all', '--json'])).stdout).toBe(lsBefore);
    expect((await daemon.cli(['show', 'bad-input-session'])).code).toBe(1);
    expect(daemon.child.exitCode).toBeNull();
  });

  it('resolves unique prefixes, and refuses ambiguous and unknown ones', async () => {
    expect((await json<SessionRecord>(['show', 'aaaa2', '--json'])).session_id).toBe(B);
    const ambiguous = await daemon.cli(['show', 'aaaa']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('matches several sessions');
    expect(ambiguous.stderr).toContain(A);
    expect(ambiguous.stderr).toContain(B);
    const reply = await daemon.request('GET', '/v1/sessions/aaaa');
    expect(reply.status).toBe(409);
    const unknown = await daemon.request('GET', '/v1/sessions/ffff');
    expect(unknown.status).toBe(404);
    expect((unknown.json as { error: { code: string } }).error.code).toBe('DOSSIER_E_SESSION_NOT_FOUND');
  });

  it('rebuild keeps ls --json byte-identical', async () => {
    const before = await daemon.cli(['ls', '--all', '--json']);
    const rebuilt = await daemon.cli(['rebuild', '--json']);
    expect(rebuilt.code).toBe(0);
    const counts = JSON.parse(rebuilt.stdout) as { sessions: number; events: number };
    expect(counts.sessions).toBe(2);
    expect(counts.events).toBe(await eventCount());
    const after = await daemon.cli(['ls', '--all', '--json']);
    expect(after.stdout).toBe(before.stdout);
    const human = await daemon.cli(['rebuild']);
    expect(human.stdout).toMatch(/^Rebuilt 2 sessions from \d+ events in [\d,]+ ms\.\n$/);
  });
});

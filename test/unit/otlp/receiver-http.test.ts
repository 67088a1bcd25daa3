/**
 * The OTLP/HTTP door end to end (real sockets, memory sink): captured bodies
 * in both encodings, gzip, chunked framing, POST /, and the OTLP answers:
 * partial success, 400, 413 (before and after decompression), 415, 403 for
 * Origin and foreign Host, 429 / 503 with Retry-After. Bad requests store
 * nothing and the door keeps serving.
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeTurn, readableLogs } from './claude-sdk.js';
import { httpPost, noise, rawTcp } from './clients.js';
import { comparable, fixtureRequests, MemorySink, startReceiver, type RunningReceiver } from './harness.js';

const PROTO = { 'Content-Type': 'application/x-protobuf' };
const JSON_CT = { 'Content-Type': 'application/json' };
const SESSION = '17684077-45cb-4aac-92dc-5aecd9315f76';
const capturedLogs = (): Buffer => fixtureRequests('a-simple-http-protobuf').find((x) => x.signal === 'logs')!.body;

let running: RunningReceiver | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(...args: Parameters<typeof startReceiver>): Promise<RunningReceiver> {
  running = await startReceiver(...args);
  return running;
}

/** A logs request with one ordinary record and one whose prompt is `promptBytes` long. */
function logsWithBigPrompt(promptBytes: number, encoding: 'protobuf' | 'json'): Buffer {
  const specs = claudeTurn(SESSION, 1, 60, 1_795_262_081_000).slice(0, 2);
  specs[0]!.attributes.prompt = 'p'.repeat(promptBytes);
  const records = readableLogs(specs);
  return Buffer.from((encoding === 'json' ? JsonLogsSerializer : ProtobufLogsSerializer).serializeRequest(records)!);
}

async function stillServes(r: RunningReceiver): Promise<void> {
  const ok = fixtureRequests('b-tools-http-protobuf').find((x) => x.signal === 'metrics')!;
  expect((await httpPost(r.httpUrl, '/v1/metrics', ok.body, PROTO)).status).toBe(200);
}

describe('OTLP/HTTP: captured requests', () => {
  it('protobuf bodies: 200 with an empty ExportServiceResponse, events committed', async () => {
    const r = await start();
    for (const req of fixtureRequests('b-tools-http-protobuf')) {
      const reply = await httpPost(r.httpUrl, `/v1/${req.signal}`, req.body, PROTO);
      expect([reply.status, reply.headers['content-type'], reply.body.length]).toEqual([200, 'application/x-protobuf', 0]);
    }
    expect(r.sink.events.filter((e) => e.kind === 'api.request')).toHaveLength(7);
  });

  it('JSON bodies: 200 with {}', async () => {
    const r = await start();
    for (const req of fixtureRequests('b-tools-http-json')) {
      const reply = await httpPost(r.httpUrl, `/v1/${req.signal}`, req.body, { 'Content-Type': 'application/json; charset=utf-8' });
      expect([reply.status, reply.headers['content-type'], reply.body.toString()]).toEqual([200, 'application/json', '{}']);
    }
    expect(r.sink.events.filter((e) => e.kind === 'api.request')).toHaveLength(7);
  });

  it('POST /, gzip and chunked framing give the same events as the plain signal routes', async () => {
    const reqs = fixtureRequests('d-subagent');
    const plain = await start();
    for (const req of reqs) await httpPost(plain.httpUrl, `/v1/${req.signal}`, req.body, PROTO);
    const expected = comparable(plain.sink.events);
    await plain.stop();
    const variants = [
      (u: string, b: Buffer) => httpPost(u, '/', b, PROTO),
      (u: string, b: Buffer, s: string) => httpPost(u, `/v1/${s}`, gzipSync(b), { ...PROTO, 'Content-Encoding': 'gzip' }),
      (u: string, b: Buffer, s: string) => httpPost(u, `/v1/${s}`, b, PROTO, { chunked: true }),
      (u: string, b: Buffer, s: string) => httpPost(u, `/v1/${s}`, gzipSync(b), { ...PROTO, 'Content-Encoding': 'gzip' }, { chunked: true }),
    ];
    for (const send of variants) {
      const r = await start();
      for (const req of reqs) expect((await send(r.httpUrl, req.body, req.signal)).status).toBe(200);
      expect(comparable(r.sink.events)).toEqual(expected);
      await r.stop();
    }
  });

  it('a re-sent request inserts nothing', async () => {
    const r = await start();
    const req = fixtureRequests('a-simple-http-protobuf').find((x) => x.signal === 'logs')!;
    await httpPost(r.httpUrl, '/v1/logs', req.body, PROTO);
    const before = r.sink.events.length;
    expect((await httpPost(r.httpUrl, '/v1/logs', req.body, PROTO)).status).toBe(200);
    expect(r.sink.events.length).toBe(before);
    expect(r.sink.batches.at(-1)!.events.length).toBe(before);
  });

  it('an empty request is a plain success', async () => {
    const r = await start();
    expect((await httpPost(r.httpUrl, '/v1/logs', Buffer.alloc(0), PROTO)).status).toBe(200);
    expect((await httpPost(r.httpUrl, '/', Buffer.from('{}'), JSON_CT)).body.toString()).toBe('{}');
    expect(r.sink.batches).toEqual([]);
  });
});

describe('OTLP/HTTP: partial success', () => {
  it('a record with an attribute over the bound is rejected and counted in the protobuf answer; the other is stored', async () => {
    const r = await start({ max_attribute_bytes: 1024 });
    const reply = await httpPost(r.httpUrl, '/v1/logs', logsWithBigPrompt(2048, 'protobuf'), PROTO);
    expect(reply.status).toBe(200);
    const answer = ProtobufLogsSerializer.deserializeResponse(reply.body);
    expect(Number(answer.partialSuccess?.rejectedLogRecords)).toBe(1);
    expect(answer.partialSuccess?.errorMessage).toMatch(/1 log records rejected: .*size bound/);
    expect(r.sink.events.map((e) => e.kind)).toEqual(['api.request']);
  });

  it('and in the JSON answer', async () => {
    const r = await start({ max_attribute_bytes: 1024 });
    const reply = await httpPost(r.httpUrl, '/v1/logs', logsWithBigPrompt(2048, 'json'), JSON_CT);
    expect(JSON.parse(reply.body.toString())).toEqual({
      partialSuccess: { rejectedLogRecords: '1', errorMessage: '1 log records rejected: log record has an attribute value over the size bound' },
    });
  });

  it('a 10 MB attribute value: the record is rejected, nothing of it stored, the door keeps serving', async () => {
    const r = await start();
    const reply = await httpPost(r.httpUrl, '/v1/logs', logsWithBigPrompt(10 * 1024 * 1024, 'protobuf'), PROTO);
    expect(reply.status).toBe(200);
    expect(Number(ProtobufLogsSerializer.deserializeResponse(reply.body).partialSuccess?.rejectedLogRecords)).toBe(1);
    expect(r.sink.events.some((e) => e.kind === 'prompt.submitted')).toBe(false);
    await stillServes(r);
  });
});

describe('OTLP/HTTP: refused requests store nothing and the door keeps serving', () => {
  it.each([
    ['malformed protobuf', Buffer.from([0x0a, 0xff, 0xff, 0x01]), PROTO, 400],
    ['noise as protobuf', noise(4096), PROTO, 400],
    ['broken JSON', Buffer.from('{"resourceLogs": ['), JSON_CT, 400],
    ['JSON of the wrong shape', Buffer.from('{"resourceLogs": 7}'), JSON_CT, 400],
    ['a wrong content type', Buffer.from('hello'), { 'Content-Type': 'text/plain' }, 415],
    ['no content type', Buffer.from('hello'), {}, 415],
    ['an unsupported content encoding', Buffer.from('x'), { ...PROTO, 'Content-Encoding': 'br' }, 415],
    ['truncated gzip', gzipSync(randomBytes(20_000)).subarray(0, 5000), { ...PROTO, 'Content-Encoding': 'gzip' }, 400],
    // A whole, decodable request: only the gzip trailer (CRC and length) is missing, so only inflating can refuse it.
    ['a valid request gzipped without its trailer', gzipSync(capturedLogs()).subarray(0, -8), { ...PROTO, 'Content-Encoding': 'gzip' }, 400],
    ['a zip bomb (64 MiB of zeros in ~64 KB)', gzipSync(Buffer.alloc(64 * 1024 * 1024)), { ...PROTO, 'Content-Encoding': 'gzip' }, 413],
  ] as const)('%s → %i', async (_name, body, headers, status) => {
    const r = await start();
    const reply = await httpPost(r.httpUrl, '/v1/logs', body, headers as Record<string, string>);
    expect(reply.status).toBe(status);
    expect(r.sink.batches).toEqual([]);
    await stillServes(r);
  });

  it('400 answers carry a google.rpc.Status in the request encoding', async () => {
    const r = await start();
    const proto = await httpPost(r.httpUrl, '/v1/traces', Buffer.from([0x0a, 0x05, 0x01]), PROTO);
    expect(proto.body[0]).toBe(0x08); // field 1 (code), varint
    expect(proto.body[1]).toBe(3); // INVALID_ARGUMENT
    const json = await httpPost(r.httpUrl, '/v1/traces', Buffer.from('nope'), JSON_CT);
    expect(JSON.parse(json.body.toString())).toMatchObject({ code: 3, message: expect.stringMatching(/not valid JSON/) });
  });

  it('bodies over the size bound → 413, sized or chunked', async () => {
    const r = await start({ max_body_bytes: 64 * 1024 });
    const big = Buffer.alloc(100 * 1024, 0x0a);
    expect((await httpPost(r.httpUrl, '/v1/logs', big, PROTO)).status).toBe(413);
    expect((await httpPost(r.httpUrl, '/v1/logs', big, PROTO, { chunked: true })).status).toBe(413);
    expect(r.sink.batches).toEqual([]);
    await stillServes(r);
  });

  it('Origin header → 403, foreign Host → 403, unknown path → 404, GET → 405', async () => {
    const r = await start();
    const body = fixtureRequests('a-simple-http-protobuf').find((x) => x.signal === 'logs')!.body;
    expect((await httpPost(r.httpUrl, '/v1/logs', body, { ...PROTO, Origin: 'https://evil.example' })).status).toBe(403);
    expect((await httpPost(r.httpUrl, '/v1/logs', body, { ...PROTO, Host: 'evil.example:4318' })).status).toBe(403);
    expect((await httpPost(r.httpUrl, '/v1/nothing', body, PROTO)).status).toBe(404);
    const get = await httpPost(r.httpUrl, '/v1/logs', Buffer.alloc(0), {}, { method: 'GET' });
    expect([get.status, get.headers.allow]).toEqual([405, 'POST']);
    expect(r.sink.batches).toEqual([]);
    expect(r.settings.counters.get('otlp.http.refused_origin')).toBe(1);
    expect((await httpPost(r.httpUrl, '/v1/logs', body, { ...PROTO, Host: 'localhost:4318' })).status).toBe(200);
  });

  it('refusals before any route answer in the request\'s encoding: a protobuf google.rpc.Status for protobuf, JSON otherwise', async () => {
    const r = await start();
    const body = fixtureRequests('a-simple-http-protobuf').find((x) => x.signal === 'logs')!.body;
    const cases = [
      [await httpPost(r.httpUrl, '/v1/logs', body, { ...PROTO, Origin: 'null' }), 403, 7],
      [await httpPost(r.httpUrl, '/v1/log', body, PROTO), 404, 5],
      [await httpPost(r.httpUrl, '/v1/logs', body, PROTO, { method: 'PUT' }), 405, 12],
    ] as const;
    for (const [reply, status, code] of cases) {
      expect([reply.status, reply.headers['content-type']]).toEqual([status, 'application/x-protobuf']);
      // google.rpc.Status: field 1 (varint) is the code, field 2 the message.
      expect([reply.body[0], reply.body[1], reply.body[2]]).toEqual([0x08, code, 0x12]);
    }
    const asJson = await httpPost(r.httpUrl, '/v1/log', Buffer.from('{}'), JSON_CT);
    expect([asJson.status, asJson.headers['content-type'], JSON.parse(asJson.body.toString()).code]).toEqual([404, 'application/json', 5]);
  });

  it('random bytes on the port', async () => {
    const r = await start();
    const port = Number(new URL(r.httpUrl).port);
    for (let i = 0; i < 5; i++) await rawTcp(port, randomBytes(2000));
    const answer = (await rawTcp(port, Buffer.from('GARBAGE / HTTP/1.1\r\n\r\n'))).toString();
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    await stillServes(r);
  });
});

describe('OTLP/HTTP: back-pressure', () => {
  const body = () => fixtureRequests('a-simple-http-protobuf').find((x) => x.signal === 'logs')!.body;

  it('a full pipeline queue → 503 with Retry-After, and success once it drains', async () => {
    const sink = new MemorySink();
    const r = await start({ retry_after_seconds: 3 }, sink);
    sink.failWith = 'DOSSIER_E_PIPELINE_QUEUE_FULL';
    const full = await httpPost(r.httpUrl, '/v1/logs', body(), PROTO);
    expect([full.status, full.headers['retry-after']]).toEqual([503, '3']);
    sink.failWith = null;
    sink.accepting = false;
    expect((await httpPost(r.httpUrl, '/v1/logs', body(), PROTO)).status).toBe(503);
    sink.accepting = true;
    expect((await httpPost(r.httpUrl, '/v1/logs', body(), PROTO)).status).toBe(200);
  });

  it('more requests in flight than allowed → 429 with Retry-After', async () => {
    const sink = new MemorySink();
    const open = sink.hold();
    const r = await start({ max_in_flight: 1 }, sink);
    const first = httpPost(r.httpUrl, '/v1/logs', body(), PROTO);
    while (r.receiver.status().in_flight !== 1) await new Promise((res) => setTimeout(res, 5));
    const second = await httpPost(r.httpUrl, '/v1/logs', body(), PROTO);
    expect([second.status, second.headers['retry-after']]).toEqual([429, '2']);
    open();
    expect((await first).status).toBe(200);
  });

  it('more request bytes held than allowed → 429 with Retry-After, and the bytes come back afterwards', async () => {
    const sink = new MemorySink();
    const open = sink.hold();
    const small = body();
    const r = await start({ max_in_flight_bytes: small.length + 1000 }, sink);
    const first = httpPost(r.httpUrl, '/v1/logs', small, PROTO);
    while (r.receiver.status().in_flight !== 1) await new Promise((res) => setTimeout(res, 5));
    const second = await httpPost(r.httpUrl, '/v1/logs', small, PROTO, { chunked: true });
    expect([second.status, second.headers['retry-after']]).toEqual([429, '2']);
    open();
    expect((await first).status).toBe(200);
    expect((await httpPost(r.httpUrl, '/v1/logs', small, PROTO)).status).toBe(200);
  });

  it('a budget smaller than one request still takes a request that holds the budget alone, sized or chunked', async () => {
    const r = await start({ max_in_flight_bytes: 1024 }, new MemorySink());
    const big = body();
    expect(big.length).toBeGreaterThan(1024);
    expect((await httpPost(r.httpUrl, '/v1/logs', big, PROTO)).status).toBe(200);
    expect((await httpPost(r.httpUrl, '/v1/logs', big, PROTO, { chunked: true })).status).toBe(200);
    expect((await httpPost(r.httpUrl, '/v1/logs', gzipSync(big), { ...PROTO, 'Content-Encoding': 'gzip' })).status).toBe(200);
  });

  it('a store failure that retrying cannot fix → 500', async () => {
    const sink = new MemorySink();
    const r = await start({}, sink);
    sink.failWith = 'DOSSIER_E_INTERNAL';
    expect((await httpPost(r.httpUrl, '/v1/logs', body(), PROTO)).status).toBe(500);
  });
});

/**
 * The OTLP/gRPC door end to end with a raw grpc-js client: captured bodies
 * (plain and gzip-compressed), partial success, and the status codes for
 * undecodable, oversized, refused and throttled calls. Bad calls store
 * nothing and the door keeps serving, random bytes on its port included.
 */
import { status } from '@grpc/grpc-js';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { connect } from 'node:http2';
import { CONNECTION_RECEIVE_WINDOW_BYTES, STREAM_RECEIVE_WINDOW_BYTES } from '../../../collectors/otlp/grpc/receive-windows.js';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeTurn, readableLogs } from './claude-sdk.js';
import { grpcExport, noise, rawTcp } from './clients.js';
import { comparable, fixtureRequests, MemorySink, startReceiver, type RunningReceiver } from './harness.js';

let running: RunningReceiver | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(...args: Parameters<typeof startReceiver>): Promise<RunningReceiver> {
  running = await startReceiver(...args);
  return running;
}

async function stillServes(r: RunningReceiver): Promise<void> {
  const ok = fixtureRequests('b-tools-grpc').find((x) => x.signal === 'metrics')!;
  expect(await grpcExport(r.grpcAddress, 'metrics', ok.body)).toEqual({ ok: true, body: Buffer.alloc(0) });
}

describe('OTLP/gRPC: captured requests', () => {
  it('every b-tools-grpc call succeeds; plain and gzip calls commit the same events', async () => {
    const reqs = fixtureRequests('b-tools-grpc');
    const plain = await start();
    for (const req of reqs) expect(await grpcExport(plain.grpcAddress, req.signal, req.body)).toEqual({ ok: true, body: Buffer.alloc(0) });
    expect(plain.sink.events.filter((e) => e.kind === 'api.request')).toHaveLength(7);
    const expected = comparable(plain.sink.events);
    await plain.stop();
    const gzip = await start();
    for (const req of reqs) expect((await grpcExport(gzip.grpcAddress, req.signal, req.body, { gzip: true })).ok).toBe(true);
    expect(comparable(gzip.sink.events)).toEqual(expected);
  });

  it('partial success comes back in the ExportLogsServiceResponse', async () => {
    const r = await start({ max_attribute_bytes: 1024 });
    const specs = claudeTurn('c03c41ad-ae56-4289-9937-7bb09aca1201', 1, 60, 1_795_262_081_000).slice(0, 2);
    specs[1]!.attributes.model = 'm'.repeat(4096);
    const body = Buffer.from(ProtobufLogsSerializer.serializeRequest(readableLogs(specs))!);
    const reply = await grpcExport(r.grpcAddress, 'logs', body);
    if (!reply.ok) throw new Error(reply.details);
    expect(Number(ProtobufLogsSerializer.deserializeResponse(reply.body).partialSuccess?.rejectedLogRecords)).toBe(1);
    expect(r.sink.events.map((e) => e.kind)).toEqual(['prompt.submitted']);
  });
});

describe('OTLP/gRPC: flow control', () => {
  it('grants each connection receive windows a full batch fits in, so a busy receiver thread does not stall senders', async () => {
    const r = await start();
    const client = connect(`http://${r.grpcAddress}`);
    try {
      const granted = await new Promise<{ stream: number | undefined; connection: number }>((resolve, reject) => {
        client.on('error', reject);
        const deadline = Date.now() + 5_000;
        const poll = (): void => {
          // The SETTINGS frame and the connection's WINDOW_UPDATE arrive separately.
          const stream = client.remoteSettings.initialWindowSize;
          const connection = client.state.remoteWindowSize ?? 0;
          const widened = stream === STREAM_RECEIVE_WINDOW_BYTES && connection >= CONNECTION_RECEIVE_WINDOW_BYTES;
          if (widened || Date.now() > deadline) resolve({ stream, connection });
          else setTimeout(poll, 10);
        };
        client.on('remoteSettings', poll);
      });
      expect(granted.stream).toBe(STREAM_RECEIVE_WINDOW_BYTES);
      expect(granted.connection).toBeGreaterThanOrEqual(CONNECTION_RECEIVE_WINDOW_BYTES);
      expect(STREAM_RECEIVE_WINDOW_BYTES).toBeGreaterThan(512 * 1024);
    } finally {
      client.close();
    }
    await stillServes(r);
  });
});

describe('OTLP/gRPC: a 10 MB attribute value', () => {
  it('rejects its record in the partial success, stores nothing of it, and keeps serving', async () => {
    const r = await start();
    const specs = claudeTurn('c03c41ad-ae56-4289-9937-7bb09aca1201', 1, 60, 1_795_262_081_000).slice(0, 1);
    specs[0]!.attributes.prompt = 'p'.repeat(10 * 1024 * 1024);
    const reply = await grpcExport(r.grpcAddress, 'logs', Buffer.from(ProtobufLogsSerializer.serializeRequest(readableLogs(specs))!));
    if (!reply.ok) throw new Error(reply.details);
    expect(Number(ProtobufLogsSerializer.deserializeResponse(reply.body).partialSuccess?.rejectedLogRecords)).toBe(1);
    expect(r.sink.events).toEqual([]);
    await stillServes(r);
  });
});

describe('OTLP/gRPC: refused calls store nothing and the door keeps serving', () => {
  it('undecodable message → INVALID_ARGUMENT', async () => {
    const r = await start();
    const reply = await grpcExport(r.grpcAddress, 'traces', noise(3000));
    expect(reply).toMatchObject({ ok: false, code: status.INVALID_ARGUMENT });
    expect(r.sink.batches).toEqual([]);
    await stillServes(r);
  });

  it('a message over the size bound, plain or as a gzip bomb → RESOURCE_EXHAUSTED', async () => {
    const r = await start({ max_body_bytes: 64 * 1024 });
    expect(await grpcExport(r.grpcAddress, 'logs', Buffer.alloc(100 * 1024, 0x0a))).toMatchObject({ ok: false, code: status.RESOURCE_EXHAUSTED });
    // 8 MiB of a repeated unknown field compresses to a few KB and must not be inflated past the bound.
    expect(await grpcExport(r.grpcAddress, 'logs', Buffer.alloc(8 * 1024 * 1024), { gzip: true })).toMatchObject({
      ok: false,
      code: status.RESOURCE_EXHAUSTED,
    });
    expect(r.sink.batches).toEqual([]);
    await stillServes(r);
  });

  it('a call carrying an origin → PERMISSION_DENIED', async () => {
    const r = await start();
    const body = fixtureRequests('a-simple-grpc').find((x) => x.signal === 'logs')!.body;
    expect(await grpcExport(r.grpcAddress, 'logs', body, { metadata: { origin: 'https://evil.example' } })).toMatchObject({
      ok: false,
      code: status.PERMISSION_DENIED,
    });
    expect(r.sink.batches).toEqual([]);
  });

  it.each([
    ['a gzip message without its trailer', 'application/grpc', true],
    ['a JSON content type', 'application/json', false],
  ] as const)('%s is refused, with nothing stored', async (_name, contentType, truncatedGzip) => {
    const r = await start();
    const body = fixtureRequests('a-simple-grpc').find((x) => x.signal === 'logs')!.body;
    const payload = truncatedGzip ? gzipSync(body).subarray(0, -8) : body;
    // A gRPC frame by hand: compressed flag, 4-byte length, message.
    const frame = Buffer.concat([Buffer.from([truncatedGzip ? 1 : 0]), Buffer.alloc(4), payload]);
    frame.writeUInt32BE(payload.length, 1);
    const headers = { 'content-type': contentType, ...(truncatedGzip ? { 'grpc-encoding': 'gzip' } : {}) };
    const reply = await rawGrpcCall(r.grpcAddress, frame, headers);
    // grpc-js answers these itself: a non-OK grpc-status, or a plain HTTP refusal.
    expect(reply.httpStatus !== 200 || (reply.grpcStatus !== undefined && reply.grpcStatus !== '0')).toBe(true);
    expect(r.sink.batches).toEqual([]);
    // The same call made right (whole gzip, gRPC content type) is taken: only the flaw was refused.
    const whole = truncatedGzip ? gzipSync(body) : body;
    const good = Buffer.concat([Buffer.from([truncatedGzip ? 1 : 0]), Buffer.alloc(4), whole]);
    good.writeUInt32BE(whole.length, 1);
    expect(await rawGrpcCall(r.grpcAddress, good, { ...headers, 'content-type': 'application/grpc' })).toEqual({ httpStatus: 200, grpcStatus: '0' });
    expect(r.sink.events.length).toBeGreaterThan(0);
    await stillServes(r);
  });

  it('random bytes on the port', async () => {
    const r = await start();
    const port = Number(r.grpcAddress.split(':')[1]);
    for (let i = 0; i < 5; i++) await rawTcp(port, randomBytes(3000));
    await rawTcp(port, Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' + 'x'.repeat(100)));
    await stillServes(r);
  });
});

describe('OTLP/gRPC: back-pressure', () => {
  const body = () => fixtureRequests('a-simple-grpc').find((x) => x.signal === 'logs')!.body;

  it('a full pipeline or too many in flight → UNAVAILABLE, the code OTLP clients retry (RESOURCE_EXHAUSTED without RetryInfo is final)', async () => {
    const sink = new MemorySink();
    const r = await start({ max_in_flight: 1 }, sink);
    sink.failWith = 'DOSSIER_E_PIPELINE_QUEUE_FULL';
    expect(await grpcExport(r.grpcAddress, 'logs', body())).toMatchObject({ ok: false, code: status.UNAVAILABLE });
    sink.failWith = null;
    const open = sink.hold();
    const first = grpcExport(r.grpcAddress, 'logs', body());
    while (r.receiver.status().in_flight !== 1) await new Promise((res) => setTimeout(res, 5));
    expect(await grpcExport(r.grpcAddress, 'logs', body())).toMatchObject({ ok: false, code: status.UNAVAILABLE });
    open();
    expect((await first).ok).toBe(true);
  });

  it('more request bytes held than allowed → UNAVAILABLE, and the bytes come back afterwards', async () => {
    const sink = new MemorySink();
    const open = sink.hold();
    const r = await start({ max_in_flight_bytes: body().length + 1000 }, sink);
    const first = grpcExport(r.grpcAddress, 'logs', body());
    while (r.receiver.status().in_flight !== 1) await new Promise((res) => setTimeout(res, 5));
    expect(await grpcExport(r.grpcAddress, 'logs', body())).toMatchObject({ ok: false, code: status.UNAVAILABLE });
    open();
    expect((await first).ok).toBe(true);
    expect((await grpcExport(r.grpcAddress, 'logs', body())).ok).toBe(true);
  });

  it('a budget smaller than one request still takes a request that holds the budget alone', async () => {
    const r = await start({ max_in_flight_bytes: 1024 }, new MemorySink());
    expect(body().length).toBeGreaterThan(1024);
    for (let i = 0; i < 2; i++) expect((await grpcExport(r.grpcAddress, 'logs', body())).ok).toBe(true);
  });
});

/** One raw HTTP/2 call to the logs Export method; the HTTP status and grpc-status it got back (from headers or trailers). */
function rawGrpcCall(address: string, frame: Buffer, headers: Record<string, string>): Promise<{ httpStatus: number; grpcStatus: string | undefined }> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://${address}`);
    session.on('error', reject);
    const stream = session.request({ ':method': 'POST', ':path': '/opentelemetry.proto.collector.logs.v1.LogsService/Export', te: 'trailers', ...headers });
    let httpStatus = 0;
    let grpcStatus: string | undefined;
    stream.on('response', (h) => {
      httpStatus = Number(h[':status']);
      if (h['grpc-status'] !== undefined) grpcStatus = String(h['grpc-status']);
    });
    stream.on('trailers', (t) => {
      if (t['grpc-status'] !== undefined) grpcStatus = String(t['grpc-status']);
    });
    stream.on('error', () => {});
    stream.resume();
    stream.on('close', () => {
      session.close();
      resolve({ httpStatus, grpcStatus });
    });
    stream.end(frame);
  });
}

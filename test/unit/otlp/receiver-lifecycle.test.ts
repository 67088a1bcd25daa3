/**
 * The receiver as a component: config validation, doors that can be turned
 * off, a taken port as a clear start-up error naming it (with nothing left
 * bound), idempotent shutdown that lets admitted requests commit, and extra
 * HTTP routes that inherit the door's guard.
 */
import { Agent } from 'node:http';
import { createServer, type Server } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { OtlpReceiver, defaultOtlpConfig, otlpFactory, parseListenAddress, resolveOtlpConfig } from '../../../collectors/otlp/index.js';
import { isDossierError } from '../../../schema/index.js';
import { grpcExport, httpPost } from './clients.js';
import { fixtureRequests, MemorySink, startReceiver, testSettings, type RunningReceiver } from './harness.js';

const PROTO = { 'Content-Type': 'application/x-protobuf' };
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function started(...args: Parameters<typeof startReceiver>): Promise<RunningReceiver> {
  const r = await startReceiver(...args);
  cleanup.push(() => r.stop());
  return r;
}

function occupy(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      cleanup.push(() => new Promise((r) => server.close(r)));
      resolve({ server, port: (server.address() as { port: number }).port });
    });
  });
}

describe('config', () => {
  it('parses HOST:PORT, [v6]:PORT and off; refuses non-loopback hosts and bad ports', () => {
    expect(parseListenAddress('f', '127.0.0.1:4318')).toEqual({ host: '127.0.0.1', port: 4318 });
    expect(parseListenAddress('f', '[::1]:4317')).toEqual({ host: '::1', port: 4317 });
    expect(parseListenAddress('f', 'localhost:0')).toEqual({ host: 'localhost', port: 0 });
    expect(parseListenAddress('f', 'off')).toBeNull();
    expect(() => parseListenAddress('--otlp-http', '0.0.0.0:4318')).toThrow(/--otlp-http: host must be a loopback address .*got "0\.0\.0\.0:4318"/);
    expect(() => parseListenAddress('--otlp-http', '127.0.0.1:70000')).toThrow(/port must be 0\.\.65535/);
    expect(() => parseListenAddress('--otlp-grpc', '4317')).toThrow(/expected HOST:PORT or off/);
  });

  it('defaults are the standard OTLP ports on 127.0.0.1 and validate', () => {
    const resolved = resolveOtlpConfig(defaultOtlpConfig());
    expect([resolved.httpAddress, resolved.grpcAddress]).toEqual([
      { host: '127.0.0.1', port: 4318 },
      { host: '127.0.0.1', port: 4317 },
    ]);
    expect(() => resolveOtlpConfig({ ...defaultOtlpConfig(), max_in_flight: 0 })).toThrow(/otlp\.max_in_flight: must be an integer of at least 1 \(got 0\)/);
  });

  it('the factory has a type, a stability and creates receivers', () => {
    expect([otlpFactory.type, otlpFactory.stability]).toEqual(['otlp', 'beta']);
    const receiver = otlpFactory.create(testSettings(), { ...otlpFactory.defaultConfig(), http: 'off', grpc: 'off' }, new MemorySink());
    expect(receiver.status?.()).toMatchObject({ http: 'off', grpc: 'off' });
  });
});

describe('lifecycle', () => {
  it('shutdown is safe without start and idempotent', async () => {
    const receiver = new OtlpReceiver(testSettings(), { ...defaultOtlpConfig(), http: '127.0.0.1:0', grpc: '127.0.0.1:0' }, new MemorySink());
    await receiver.shutdown(100);
    await receiver.shutdown(100);
    const r = await started();
    await Promise.all([r.receiver.shutdown(500), r.receiver.shutdown(500)]);
  });

  it('a door set to off is not opened', async () => {
    const r = await started({ grpc: 'off' });
    expect(r.receiver.addresses().grpc).toBeNull();
    expect(r.receiver.status()).toMatchObject({ grpc: 'off', http: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
  });

  it('both doors off: starts, refuses no config, adds no HTTP route, and warns once that it receives nothing', async () => {
    const lines: string[] = [];
    const settings = { ...testSettings(), logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }) };
    const receiver = new OtlpReceiver(settings, { ...defaultOtlpConfig(), http: 'off', grpc: 'off' }, new MemorySink());
    await receiver.start();
    expect(receiver.addHttpRoute({ method: 'POST', path: '/x', handle: () => {} })).toBe(false);
    expect(receiver.status()).toMatchObject({ http: 'off', grpc: 'off' });
    await receiver.shutdown(100);
    const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((l) => l.level === 40);
    expect(warnings.map((w) => w.msg)).toEqual([expect.stringContaining('both doors off')]);
  });

  it.each(['http', 'grpc'] as const)('a taken %s port is a start-up error naming it, and nothing stays bound', async (door) => {
    const { port } = await occupy();
    const other = await occupy();
    await new Promise<void>((r) => other.server.close(() => r()));
    const config = { ...defaultOtlpConfig(), http: `127.0.0.1:${door === 'http' ? port : other.port}`, grpc: `127.0.0.1:${door === 'grpc' ? port : other.port}` };
    const receiver = new OtlpReceiver(testSettings(), config, new MemorySink());
    const error = await receiver.start().then(() => null, (e: unknown) => e);
    expect(isDossierError(error, 'DOSSIER_E_DAEMON_PORT_IN_USE')).toBe(true);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    // The other door's port is free again.
    const again = createServer();
    await new Promise<void>((resolve, reject) => again.once('error', reject).listen(other.port, '127.0.0.1', () => resolve()));
    await new Promise((r) => again.close(r));
    await receiver.shutdown(100);
  });

  it('shutdown lets an admitted request commit, then refuses connections', async () => {
    const sink = new MemorySink();
    const open = sink.hold();
    const r = await started({}, sink);
    const body = fixtureRequests('a-simple-grpc').find((x) => x.signal === 'logs')!.body;
    const inFlight = grpcExport(r.grpcAddress, 'logs', body);
    while (r.receiver.status().in_flight !== 1) await new Promise((res) => setTimeout(res, 5));
    const stopping = r.receiver.shutdown(5000);
    open();
    expect((await inFlight).ok).toBe(true);
    await stopping;
    expect(sink.events.length).toBeGreaterThan(0);
    await expect(httpPost(r.httpUrl, '/v1/logs', body, PROTO)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a keep-alive HTTP client answered during shutdown is told to close, so shutdown need not wait for the deadline', async () => {
    const sink = new MemorySink();
    const open = sink.hold();
    const r = await started({}, sink);
    const body = fixtureRequests('a-simple-http-protobuf').find((x) => x.signal === 'logs')!.body;
    const agent = new Agent({ keepAlive: true });
    try {
      const inFlight = httpPost(r.httpUrl, '/v1/logs', body, PROTO, { agent });
      while (r.receiver.status().in_flight !== 1) await new Promise((res) => setTimeout(res, 5));
      // A deadline past the test's own timeout: the test fails if shutdown waits for it.
      const stopping = r.receiver.shutdown(120_000);
      open();
      const reply = await inFlight;
      expect([reply.status, reply.headers.connection]).toEqual([200, 'close']);
      await stopping;
    } finally {
      agent.destroy();
    }
  });
});

describe('extra HTTP routes', () => {
  it('are served by the same door and inherit the Origin guard', async () => {
    const r = await started();
    expect(
      r.receiver.addHttpRoute({
        method: 'POST',
        path: '/v1/hooks/',
        prefix: true,
        handle: (_req, res, path) => {
          res.writeHead(200, { 'Content-Type': 'text/plain' }).end(path);
        },
      }),
    ).toBe(true);
    const ok = await httpPost(r.httpUrl, '/v1/hooks/claude_code', Buffer.from('{}'), { 'Content-Type': 'application/json' });
    expect([ok.status, ok.body.toString()]).toEqual([200, '/v1/hooks/claude_code']);
    const refused = await httpPost(r.httpUrl, '/v1/hooks/claude_code', Buffer.from('{}'), { Origin: 'http://x' });
    expect(refused.status).toBe(403);
  });
});

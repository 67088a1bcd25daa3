import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DossierError, ERROR_CODES, type ErrorCode } from '../../../schema/index.js';
import { DaemonNotRunningError, DossierClient, decodeReply, transportError } from '../../../daemon/client.js';
import { makeStaleSocket } from './stale-socket.js';

describe('decodeReply', () => {
  it('returns the parsed body of a 2xx reply', () => {
    expect(decodeReply(200, '{"a":1}')).toEqual({ a: 1 });
  });

  it('maps every registered error body back to a DossierError with the same code and message', () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      const sent = new DossierError(code, 'some detail');
      const body = JSON.stringify({ error: { code, message: sent.message, retryable: sent.retryable } });
      const got = decodeReply(sent.status, body);
      expect(got).toBeInstanceOf(DossierError);
      expect((got as DossierError).code).toBe(code);
      expect((got as DossierError).message).toBe(sent.message);
      expect((got as DossierError).retryable).toBe(sent.retryable);
    }
  });

  it('keeps a message without detail as it is', () => {
    const got = decodeReply(500, JSON.stringify({ error: { code: 'DOSSIER_E_INTERNAL', message: 'internal error', retryable: false } }));
    expect((got as DossierError).message).toBe('internal error');
  });

  it('turns unknown codes and non-JSON bodies into DOSSIER_E_INTERNAL', () => {
    expect((decodeReply(418, JSON.stringify({ error: { code: 'TEAPOT', message: 'short and stout' } })) as DossierError).code).toBe('DOSSIER_E_INTERNAL');
    expect((decodeReply(502, '<html>bad gateway</html>') as DossierError).message).toContain('not JSON');
  });
});

describe('transportError', () => {
  it('maps refused and missing sockets to DOSSIER_E_DAEMON_NOT_RUNNING, others to DOSSIER_E_INTERNAL', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    for (const code of ['ECONNREFUSED', 'ENOENT', 'ENOTSOCK']) {
      const mapped = transportError(err(code), '/s.sock');
      expect(mapped).toBeInstanceOf(DaemonNotRunningError);
      expect((mapped as DaemonNotRunningError).socket).toBe('/s.sock');
    }
    expect(transportError(err('EACCES'), '/s.sock').code).toBe('DOSSIER_E_INTERNAL');
  });
});

describe('DossierClient over a socket', () => {
  let dir: string;
  let server: Server | null = null;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dclient-'));
  });
  afterEach(async () => {
    if (server) await new Promise<void>((r) => server!.close(() => r()));
    server = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a missing socket as the daemon not running', async () => {
    const client = new DossierClient({ socket: join(dir, 'missing.sock') });
    await expect(client.status()).rejects.toBeInstanceOf(DaemonNotRunningError);
  });

  it('reports a stale socket (connection refused) as the daemon not running', async () => {
    const path = join(dir, 'stale.sock');
    makeStaleSocket(path);
    await expect(new DossierClient({ socket: path }).status()).rejects.toMatchObject({ code: 'DOSSIER_E_DAEMON_NOT_RUNNING', socket: path });
  });

  it('sends the documented requests and decodes error replies', async () => {
    const seen: string[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${req.headers['content-type'] ?? '-'} ${body}`);
        if (req.url?.startsWith('/v1/sessions/missing')) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'DOSSIER_E_SESSION_NOT_FOUND', message: 'no session matches that id: "missing"', retryable: false } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true }));
      });
    });
    const path = join(dir, 'fake.sock');
    await new Promise<void>((r) => server!.listen(path, r));
    const client = new DossierClient({ socket: path });
    await client.listSessions({ all: true, status: ['busy', 'idle'], limit: 5, cursor: 'c1' });
    await client.listEvents('ab/c', { kind: ['tool.called'], source: ['hook', 'otel'] });
    await client.postEvents([{ x: 1 }]);
    await client.rebuild();
    const missing = client.getSession('missing');
    await expect(missing).rejects.toMatchObject({ code: 'DOSSIER_E_SESSION_NOT_FOUND', message: 'no session matches that id: "missing"' });
    expect(seen).toEqual([
      'GET /v1/sessions?status=busy%2Cidle&all=true&limit=5&cursor=c1 - ',
      'GET /v1/sessions/ab%2Fc/events?kind=tool.called&source=hook%2Cotel - ',
      'POST /v1/events application/json {"events":[{"x":1}]}',
      'POST /v1/rebuild application/json {}',
      'GET /v1/sessions/missing - ',
    ]);
  });
});

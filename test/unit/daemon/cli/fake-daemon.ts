/**
 * Test helper: an HTTP server on a temp Unix socket that answers API paths
 * with canned JSON, so CLI commands run end to end without the real daemon.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../../daemon/cli/io.js';

/** A canned reply: status and JSON body. */
export interface Canned {
  status: number;
  body: unknown;
}

/** A running fake daemon. */
export interface FakeDaemon {
  socket: string;
  /** Request lines seen, `METHOD /path?query`. */
  seen: string[];
  close(): Promise<void>;
}

/** Serves `replies[path-with-query]` (or `replies[path]`), 404 otherwise. */
export async function startFakeDaemon(replies: Record<string, Canned>): Promise<FakeDaemon> {
  const dir = mkdtempSync(join(tmpdir(), 'dfake-'));
  const socket = join(dir, 'fake.sock');
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = req.url ?? '/';
      seen.push(`${req.method} ${url}`);
      const reply = replies[url] ?? replies[url.split('?')[0]!] ?? {
        status: 404,
        body: { error: { code: 'DOSSIER_E_API_NOT_FOUND', message: `no such route: ${url}`, retryable: false } },
      };
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server.listen(socket, r));
  return {
    socket,
    seen,
    close: () =>
      new Promise<void>((r) =>
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          r();
        }),
      ),
  };
}

/** An io that records output; a terminal of `columns` when given. */
export function recordingIo(options: { socket?: string; columns?: number; env?: Record<string, string>; now?: number } = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    isTTY: options.columns !== undefined,
    columns: options.columns,
    env: { ...(options.socket ? { DOSSIER_SOCKET: options.socket } : {}), ...options.env },
    now: () => options.now ?? Date.UTC(2026, 10, 21, 12, 0, 0),
    out: () => out,
    err: () => err,
  };
}

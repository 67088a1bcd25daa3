/**
 * The API client's transport over the Unix socket: one JSON request and its
 * decoded reply, the NDJSON watch stream, and the mapping of connection
 * failures and error replies back to `DossierError`s with the daemon's codes.
 * The typed per-route methods live in `client.ts`.
 */
import { request as httpRequest } from 'node:http';
// Values from errors.js, not index.js: the CLI and the hook forwarder start faster without zod.
import { DossierError, ERROR_CODES, type ErrorCode } from '../schema/errors.js';
import type { WatchEvent } from '../schema/index.js';

/** `DOSSIER_E_DAEMON_NOT_RUNNING`, remembering which socket nobody answered on. */
export class DaemonNotRunningError extends DossierError {
  readonly socket: string;

  constructor(socket: string, detail: string, options?: { cause?: unknown }) {
    super('DOSSIER_E_DAEMON_NOT_RUNNING', detail, options);
    this.socket = socket;
  }
}

/** Where to send a request and how long to wait: for the socket to accept, then for a silent connection. */
export interface RequestTarget {
  socket: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
}

/**
 * Sends one request to `target` and decodes the JSON reply (or, with
 * `rawText`, returns a 2xx body as text); non-2xx replies reject with the
 * daemon's error code, connection failures with `transportError`'s mapping.
 */
export function sendRequest<T>(
  target: RequestTarget,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  options: { rawText?: boolean } = {},
): Promise<T> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const fail = (error: DossierError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      req.destroy();
      reject(error);
    };
    const req = httpRequest({
      socketPath: target.socket,
      method,
      path,
      headers: payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {},
    });
    const connectTimer = setTimeout(
      () => fail(new DaemonNotRunningError(target.socket, `no answer on ${target.socket} within ${target.connectTimeoutMs} ms`)),
      target.connectTimeoutMs,
    );
    req.once('socket', (socket) => socket.once('connect', () => clearTimeout(connectTimer)));
    req.setTimeout(target.requestTimeoutMs, () => fail(new DossierError('DOSSIER_E_INTERNAL', `the daemon did not answer ${method} ${path} within ${target.requestTimeoutMs} ms`)));
    let answered = false;
    // A daemon may answer (e.g. 413) before it has read all we send; the write error that follows is expected.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered) fail(transportError(error, target.socket));
    });
    req.once('response', (res) => {
      answered = true;
      clearTimeout(connectTimer);
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', (error) => fail(transportError(error, target.socket)));
      res.once('end', () => {
        if (settled) return;
        settled = true;
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        if (options.rawText && status >= 200 && status < 300) return resolve(text as T);
        const decoded = decodeReply(status, text);
        if (decoded instanceof DossierError) reject(decoded);
        else resolve(decoded as T);
      });
    });
    req.end(payload);
  });
}

/**
 * Reads `GET path` on `socket` as an NDJSON stream of watch events: calls
 * `onEvent` for every event until the daemon ends the stream (resolves) or
 * the connection fails (rejects with a `DossierError`). Aborting `signal`
 * closes the stream and resolves.
 */
export function streamWatchEvents(socket: string, path: string, onEvent: (event: WatchEvent) => void, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const req = httpRequest({ socketPath: socket, method: 'GET', path });
    const onAbort = (): void => {
      req.destroy();
      resolve();
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (error?: DossierError): void => {
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    req.on('error', (error: NodeJS.ErrnoException) => done(signal?.aborted ? undefined : transportError(error, socket)));
    req.once('response', (res) => {
      let pending = '';
      if (res.statusCode !== 200) {
        res.on('data', (chunk: Buffer) => (pending += chunk.toString('utf8')));
        res.once('end', () => done(decodeReply(res.statusCode ?? 0, pending) as DossierError));
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pending += chunk;
        let newline = pending.indexOf('\n');
        for (; newline >= 0; newline = pending.indexOf('\n')) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          if (line === '') continue;
          let event: WatchEvent;
          try {
            event = JSON.parse(line) as WatchEvent;
          } catch {
            req.destroy();
            return done(new DossierError('DOSSIER_E_INTERNAL', 'the daemon sent a watch line that is not JSON'));
          }
          onEvent(event);
        }
      });
      res.once('end', () => done());
      res.once('error', (error: NodeJS.ErrnoException) => done(signal?.aborted ? undefined : transportError(error, socket)));
    });
    req.end();
  });
}

/**
 * Turns a reply into its JSON body (2xx) or the `DossierError` it carries.
 * Exported for tests: the mapping from error bodies back to codes is the
 * client's contract.
 */
export function decodeReply(status: number, text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return new DossierError('DOSSIER_E_INTERNAL', `the daemon sent a ${status} reply that is not JSON`);
  }
  if (status >= 200 && status < 300) return parsed;
  const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' && Object.hasOwn(ERROR_CODES, error.code) ? (error.code as ErrorCode) : null;
  if (code === null) return new DossierError('DOSSIER_E_INTERNAL', `the daemon sent an unrecognised ${status} reply`);
  const message = typeof error?.message === 'string' ? error.message : '';
  return new DossierError(code, detailOf(code, message) || undefined);
}

/** Connection failures: nobody listening (or no socket file) means the daemon is not running. */
export function transportError(error: NodeJS.ErrnoException, socket: string): DossierError {
  if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT' || error.code === 'ENOTSOCK') {
    return new DaemonNotRunningError(socket, `socket ${socket}`, { cause: error });
  }
  return new DossierError('DOSSIER_E_INTERNAL', `cannot talk to the daemon on ${socket}: ${error.code ?? error.message}`, { cause: error });
}

/** The server's message is `<registry message>: <detail>`; keep only the detail so it is not repeated. */
function detailOf(code: ErrorCode, message: string): string {
  const base = ERROR_CODES[code].message;
  if (message === base) return '';
  return message.startsWith(`${base}: `) ? message.slice(base.length + 2) : message;
}

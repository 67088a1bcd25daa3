/**
 * The API v1 server: HTTP/1.1 over a Unix socket created with mode 0600.
 * Every response carries the version header; every failure is the one error
 * body. A handler that throws something unexpected costs a 500 and a log
 * line, never the daemon.
 */
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { DossierError, LIMITS, VERSION_HEADER, isDossierError } from '../../schema/index.js';
import type { Counters } from '../../core/pipeline/counters.js';
import { readJsonBody } from './body.js';
import { sendError, sendJson } from './respond.js';
import { matchRoute, type Route, type StreamBody } from './router.js';

/** What the server is built from. */
export interface ApiServerOptions {
  routes: readonly Route[];
  /** The daemon version, sent in every response's version header. */
  version: string;
  logger: Logger;
  counters: Counters;
  /** Body bound; defaults to `LIMITS.maxRequestBodyBytes`. */
  maxBodyBytes?: number;
}

/** The socket API's lifecycle: listen, refuse writes, close. */
export class ApiServer {
  readonly #options: ApiServerOptions;
  readonly #server: Server;
  #writesOpen = true;
  /** Stoppers of the open streamed responses; closing the server ends them first. */
  readonly #streams = new Set<() => void>();
  #socketPath: string | null = null;
  #socketInode: number | null = null;

  constructor(options: ApiServerOptions) {
    this.#options = options;
    this.#server = createServer((req, res) => void this.#handle(req, res));
    // A slow or stuck client must not hold a connection (and a shutdown) forever.
    this.#server.requestTimeout = 60_000;
    this.#server.headersTimeout = 15_000;
  }

  /**
   * Listens on `socketPath`, creating the socket file with mode 0600 (the
   * umask is narrowed around the bind, so there is no moment it is open to
   * others). Rejects with `DOSSIER_E_DAEMON_RUNNING` if the path is taken.
   */
  async listen(socketPath: string): Promise<void> {
    const listening = new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        reject(
          error.code === 'EADDRINUSE'
            ? new DossierError('DOSSIER_E_DAEMON_RUNNING', `${socketPath} is already in use`, { cause: error })
            : error,
        );
      };
      this.#server.once('error', onError);
      this.#server.once('listening', () => {
        this.#server.off('error', onError);
        resolve();
      });
    });
    const previousUmask = process.umask(0o177);
    try {
      this.#server.listen(socketPath);
    } finally {
      process.umask(previousUmask);
    }
    await listening;
    chmodSync(socketPath, 0o600);
    this.#socketPath = socketPath;
    this.#socketInode = lstatSync(socketPath).ino;
    this.#server.on('error', (error) => this.#options.logger.error({ err: error }, 'api server error'));
  }

  /** From now on write routes answer 503 `DOSSIER_E_PIPELINE_STOPPED`; reads keep working. */
  closeWrites(): void {
    this.#writesOpen = false;
  }

  /**
   * Stops accepting connections, lets in-flight requests finish until
   * `deadlineMs`, then cuts the rest, and removes the socket file (only if it
   * is still ours). Idempotent.
   */
  async close(deadlineMs: number): Promise<void> {
    this.#writesOpen = false;
    for (const stop of [...this.#streams]) stop();
    if (this.#server.listening) {
      const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
      this.#server.closeIdleConnections();
      const timer = setTimeout(() => this.#server.closeAllConnections(), Math.max(0, deadlineMs));
      await closed;
      clearTimeout(timer);
    }
    this.#removeSocketFile();
  }

  #removeSocketFile(): void {
    const path = this.#socketPath;
    if (path === null) return;
    this.#socketPath = null;
    try {
      if (lstatSync(path).ino === this.#socketInode) unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.#options.logger.warn({ err: error, socket: path }, 'could not remove the socket file');
      }
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { version, counters } = this.#options;
    counters.inc('api.requests');
    try {
      await this.#dispatch(req, res);
    } catch (error) {
      if (res.headersSent || res.destroyed) return;
      if (isDossierError(error)) {
        counters.inc('api.requests_refused');
        sendError(res, version, error, error instanceof MethodNotAllowed ? { allow: error.allowed.join(', ') } : {});
        return;
      }
      counters.inc('api.requests_failed');
      this.#options.logger.error({ err: error, method: req.method, url: req.url }, 'api handler failed');
      sendError(res, version, new DossierError('DOSSIER_E_INTERNAL'));
    }
  }

  async #dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A browser page can reach a socket through a local proxy; it always sends Origin, scripts and the CLI never do.
    if (req.headers.origin !== undefined) throw new DossierError('DOSSIER_E_API_FORBIDDEN_ORIGIN');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const match = matchRoute(this.#options.routes, method, url.pathname);
    if (match.kind === 'not-found') throw new DossierError('DOSSIER_E_API_NOT_FOUND', `${method} ${url.pathname}`);
    if (match.kind === 'method-not-allowed') {
      throw new MethodNotAllowed(`${method} ${url.pathname}`, match.allowed);
    }
    const { route, params } = match;
    if (route.write && !this.#writesOpen) throw new DossierError('DOSSIER_E_PIPELINE_STOPPED');
    const body = route.body === 'json' ? await readJsonBody(req, this.#options.maxBodyBytes ?? LIMITS.maxRequestBodyBytes) : undefined;
    const result = await route.handler({ req, params, query: url.searchParams, body });
    if (res.destroyed) {
      result.stream?.close();
      return;
    }
    if (result.stream) this.#startStream(req, res, result.status, result.stream, result.headers ?? {});
    else if (result.text !== undefined) {
      const payload = Buffer.from(result.text, 'utf8');
      res.writeHead(result.status, { 'content-length': String(payload.length), 'cache-control': 'no-store', [VERSION_HEADER]: this.#options.version, ...result.headers });
      res.end(payload);
    } else sendJson(res, this.#options.version, result.status, result.body, result.headers);
  }

  /** Hands a long-lived response to its stream; it ends when the client leaves or the server closes. */
  #startStream(req: IncomingMessage, res: ServerResponse, status: number, stream: StreamBody, headers: Readonly<Record<string, string>>): void {
    let open = true;
    const stop = (): void => {
      if (!open) return;
      open = false;
      this.#streams.delete(stop);
      stream.close();
      if (!res.writableEnded) res.end();
    };
    this.#streams.add(stop);
    res.once('close', stop);
    req.socket.setTimeout(0);
    res.writeHead(status, { 'cache-control': 'no-store', [VERSION_HEADER]: this.#options.version, ...headers });
    res.flushHeaders();
    stream.start(res);
  }
}

/** A 405 that remembers the allowed methods for the `Allow` header. */
class MethodNotAllowed extends DossierError {
  readonly allowed: readonly string[];

  constructor(what: string, allowed: readonly string[]) {
    super('DOSSIER_E_API_METHOD_NOT_ALLOWED', `${what} (allowed: ${allowed.join(', ')})`);
    this.allowed = allowed;
  }
}

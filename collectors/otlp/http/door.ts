/**
 * The loopback HTTP door: one Node HTTP server with a route table, shared by
 * every handler that speaks HTTP on the OTLP port (the OTLP exports today,
 * `POST /v1/hooks/{framework}` later). It refuses what no route should see:
 * requests carrying an `Origin` header (a browser page must never write into
 * dossier) and requests whose `Host` is not this loopback door (DNS
 * rebinding).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Counters } from '../../../core/pipeline/counters.js';
import { DossierError } from '../../../schema/index.js';
import { formatAddress, isLoopback, type ListenAddress } from '../config.js';
import { sendFailure } from './status-reply.js';

/** One route: a method and an exact path (`prefix: true` matches every path starting with it). */
export interface HttpRoute {
  method: string;
  path: string;
  prefix?: boolean;
  /** Answers the request; a thrown error becomes a 500. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): void | Promise<void>;
}

/** A loopback HTTP server with a route table and the Origin / Host guard. */
export class LoopbackHttpDoor {
  readonly #server: Server;
  readonly #routes: HttpRoute[] = [];
  readonly #wanted: ListenAddress;
  readonly #counters: Counters;
  readonly #label: string;
  #bound: ListenAddress | null = null;
  /** Responses not finished yet; told to close their connection once the door closes. */
  readonly #open = new Set<ServerResponse>();
  #closing = false;

  constructor(address: ListenAddress, counters: Counters, label: string) {
    this.#wanted = address;
    this.#counters = counters;
    this.#label = label;
    this.#server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 10_000 }, (req, res) => {
      this.#dispatch(req, res);
    });
  }

  /** Adds a route; allowed before and after `listen`. A later route never shadows an earlier one. */
  route(route: HttpRoute): void {
    this.#routes.push(route);
  }

  /** The address actually bound (the real port when 0 was asked), or null before `listen`. */
  get address(): ListenAddress | null {
    return this.#bound;
  }

  /**
   * Starts listening; a taken port rejects with `DOSSIER_E_DAEMON_PORT_IN_USE`
   * naming it. A server error after that (e.g. a failed accept) goes to
   * `onError`: without a listener Node would throw it out of the process.
   */
  listen(onError?: (err: Error) => void): Promise<ListenAddress> {
    return new Promise((resolve, reject) => {
      const onListenError = (err: NodeJS.ErrnoException): void => {
        const where = formatAddress(this.#wanted);
        reject(
          err.code === 'EADDRINUSE'
            ? new DossierError('DOSSIER_E_DAEMON_PORT_IN_USE', `${this.#label} port ${where} is already in use`, { cause: err })
            : new DossierError('DOSSIER_E_INTERNAL', `${this.#label} cannot listen on ${where}: ${err.message}`, { cause: err }),
        );
      };
      this.#server.once('error', onListenError);
      this.#server.listen(this.#wanted.port, this.#wanted.host, () => {
        this.#server.off('error', onListenError);
        if (onError) this.#server.on('error', onError);
        const info = this.#server.address() as AddressInfo;
        this.#bound = { host: this.#wanted.host, port: info.port };
        resolve(this.#bound);
      });
    });
  }

  /**
   * Stops accepting connections, lets requests in progress finish until
   * `deadlineMs`, then cuts the rest. Their answers say `Connection: close`:
   * a keep-alive client (the OTel exporters keep connections open) would
   * otherwise hold its idle connection, and this close, until the deadline.
   */
  close(deadlineMs: number): Promise<void> {
    if (!this.#server.listening) return Promise.resolve();
    this.#closing = true;
    for (const res of this.#open) if (!res.headersSent) res.setHeader('Connection', 'close');
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#server.closeAllConnections(), Math.max(0, deadlineMs));
      this.#server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      this.#server.closeIdleConnections();
    });
  }

  #dispatch(req: IncomingMessage, res: ServerResponse): void {
    if (this.#closing) res.setHeader('Connection', 'close');
    this.#open.add(res);
    res.once('close', () => this.#open.delete(res));
    if (req.headers.origin !== undefined) {
      this.#counters.inc('otlp.http.refused_origin');
      return sendFailure(req, res, 403, 'requests carrying an Origin header are refused');
    }
    if (!this.#hostAllowed(req.headers.host)) {
      this.#counters.inc('otlp.http.refused_host');
      return sendFailure(req, res, 403, 'unexpected Host header');
    }
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const matching = this.#routes.filter((r) => (r.prefix ? path.startsWith(r.path) : path === r.path));
    if (matching.length === 0) return sendFailure(req, res, 404, `no route for ${path}`);
    const route = matching.find((r) => r.method === req.method);
    if (route === undefined) {
      res.setHeader('Allow', [...new Set(matching.map((r) => r.method))].join(', '));
      return sendFailure(req, res, 405, `${req.method ?? '?'} is not allowed on ${path}`);
    }
    try {
      const done = route.handle(req, res, path);
      if (done) done.catch((err: unknown) => failInternal(req, res, err));
    } catch (err) {
      failInternal(req, res, err);
    }
  }

  #hostAllowed(host: string | undefined): boolean {
    if (host === undefined) return true;
    const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.split(':', 1)[0]!;
    return isLoopback(name) || name === this.#wanted.host;
  }
}

function failInternal(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  sendFailure(req, res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
}

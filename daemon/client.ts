/**
 * A small typed client for API v1 over the Unix socket. Used by the CLI and by
 * scripts. Connection failures and error replies come back as `DossierError`s
 * with the daemon's own code, so callers branch on codes, not on text. This
 * file builds each route's URL and typed reply; the socket transport and the
 * error decoding are in `client-transport.ts`.
 */
import type {
  EventKind,
  PostEventsResponse,
  RebuildResponse,
  SessionEventsResponse,
  SessionListQuery,
  SessionListResponse,
  SessionResponse,
  Source,
  StatsGroupBy,
  StatsResponse,
  StatusResponse,
  WatchEvent,
} from '../schema/index.js';
import { resolvePaths } from './paths.js';
import { sendRequest, streamWatchEvents } from './client-transport.js';

// The transport's error types and decoders stay importable from the client, as before the split.
export { DaemonNotRunningError, decodeReply, transportError } from './client-transport.js';

/** Query of `GET /v1/sessions/{id}/events`. */
export interface EventListQuery {
  kind?: EventKind[];
  source?: Source[];
  limit?: number;
  cursor?: string;
}

/** Query of `GET /v1/watch`: the list's filters and a resume position. */
export interface WatchQuery extends Omit<SessionListQuery, 'limit' | 'cursor' | 'sort' | 'order'> {
  /** The `cursor` of the last event seen, to resume without missing a change. */
  cursor?: string;
}

/** Query of `GET /v1/export`: one session, or the list's filters and a limit. */
export interface ExportQuery extends Omit<SessionListQuery, 'cursor' | 'sort' | 'order'> {
  session?: string;
  format?: 'json' | 'markdown' | 'csv';
}

/** Query of `GET /v1/stats`. */
export interface StatsQuery extends Omit<SessionListQuery, 'limit' | 'cursor' | 'sort' | 'order'> {
  by?: StatsGroupBy;
}

/** How to reach the daemon. */
export interface ClientOptions {
  socket: string;
  /** How long to wait for the socket to accept; default 2 s. */
  connectTimeoutMs?: number;
  /** How long a request may stay silent once connected; default 60 s. */
  requestTimeoutMs?: number;
}

/** Typed calls for every API v1 route. Each rejects with a `DossierError`. */
export class DossierClient {
  readonly socket: string;
  readonly #connectTimeoutMs: number;
  readonly #requestTimeoutMs: number;

  constructor(options: ClientOptions) {
    this.socket = options.socket;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  }

  /** A client for the socket the daemon would use: flags, then `DOSSIER_SOCKET` / `DOSSIER_HOME`, then the defaults. */
  static fromEnvironment(where: { socket?: string | undefined; home?: string | undefined; env: Record<string, string | undefined> }): DossierClient {
    return new DossierClient({ socket: resolvePaths(where).socket });
  }

  /** `GET /v1/status` */
  status(): Promise<StatusResponse> {
    return this.request('GET', '/v1/status');
  }

  /** `GET /v1/sessions` */
  listSessions(query: SessionListQuery = {}): Promise<SessionListResponse> {
    return this.request('GET', withQuery('/v1/sessions', queryParams(query)));
  }

  /** `GET /v1/export`: the body as text (JSON, Markdown or CSV) for one session (`session`) or a filtered set. */
  exportText(query: ExportQuery): Promise<string> {
    const { session, format, limit, ...filters } = query;
    const params = session !== undefined ? new URLSearchParams({ session }) : queryParams(filters);
    if (format !== undefined) params.set('format', format);
    if (limit !== undefined && session === undefined) params.set('limit', String(limit));
    return this.request('GET', withQuery('/v1/export', params), undefined, { rawText: true });
  }

  /** `GET /v1/stats`: the list's filters (without paging or sort) plus `by`. */
  stats(query: StatsQuery = {}): Promise<StatsResponse> {
    const { by, ...filters } = query;
    const params = queryParams(filters);
    if (by !== undefined) params.set('by', by);
    return this.request('GET', withQuery('/v1/stats', params));
  }

  /**
   * `GET /v1/watch` as NDJSON: calls `onEvent` for every event until the
   * daemon ends the stream (resolves) or the connection fails (rejects with
   * a `DossierError`). Aborting `signal` closes the stream and resolves.
   */
  watch(query: WatchQuery, onEvent: (event: WatchEvent) => void, signal?: AbortSignal): Promise<void> {
    const { cursor, ...filters } = query;
    const params = queryParams(filters);
    if (cursor !== undefined) params.set('cursor', cursor);
    const path = withQuery('/v1/watch', params);
    return streamWatchEvents(this.socket, path, onEvent, signal);
  }

  /** `GET /v1/sessions/{id}`: full id or unique prefix. */
  getSession(idOrPrefix: string): Promise<SessionResponse> {
    return this.request('GET', `/v1/sessions/${encodeURIComponent(idOrPrefix)}`);
  }

  /** `GET /v1/sessions/{id}/events`: one page of the timeline. */
  listEvents(idOrPrefix: string, query: EventListQuery = {}): Promise<SessionEventsResponse> {
    const params = new URLSearchParams();
    if (query.kind && query.kind.length > 0) params.set('kind', query.kind.join(','));
    if (query.source && query.source.length > 0) params.set('source', query.source.join(','));
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.cursor !== undefined) params.set('cursor', query.cursor);
    return this.request('GET', withQuery(`/v1/sessions/${encodeURIComponent(idOrPrefix)}/events`, params));
  }

  /** `POST /v1/events`: resolves after the batch is committed. */
  postEvents(events: unknown[]): Promise<PostEventsResponse> {
    return this.request('POST', '/v1/events', { events });
  }

  /** `POST /v1/rebuild`: recomputes every session; may take a while on a large ledger. `rescan` also re-reads the transcripts. */
  rebuild(options: { rescan?: boolean } = {}): Promise<RebuildResponse> {
    return this.request('POST', '/v1/rebuild', options.rescan === true ? { rescan: true } : {});
  }

  /** Sends one request and decodes the JSON reply; non-2xx replies reject with the daemon's error code. */
  request<T>(method: 'GET' | 'POST', path: string, body?: unknown, options: { rawText?: boolean } = {}): Promise<T> {
    return sendRequest({ socket: this.socket, connectTimeoutMs: this.#connectTimeoutMs, requestTimeoutMs: this.#requestTimeoutMs }, method, path, body, options);
  }
}

const QUERY_ORDER: readonly string[] = ['status', 'all', 'id', 'limit', 'cursor'];

/** Every set field of a session query as URL parameters (lists comma-joined, flags as true/false). */
function queryParams(query: SessionListQuery): URLSearchParams {
  const params = new URLSearchParams();
  const record = query as Record<string, unknown>;
  // A fixed order, so one query always gives one URL (caches, logs, tests).
  const names = [...QUERY_ORDER, ...Object.keys(record).filter((n) => !QUERY_ORDER.includes(n)).sort()];
  for (const name of names) {
    const value = record[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(name, value.join(','));
    } else if (typeof value === 'boolean') {
      // `all=false` is the default; send it only when true, as before.
      if (name !== 'all' || value) params.set(name, String(value));
    } else {
      params.set(name, String(value));
    }
  }
  return params;
}

function withQuery(path: string, params: URLSearchParams): string {
  const query = params.toString();
  return query === '' ? path : `${path}?${query}`;
}

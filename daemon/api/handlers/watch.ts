/**
 * `GET /v1/watch`: a live stream of session changes, as NDJSON (default) or
 * server-sent events (`format=sse`). It starts with a snapshot of the
 * matching sessions, or, given the `cursor` of the last event a client saw
 * (for SSE also `Last-Event-ID`), with every matching session changed since;
 * when that position cannot be replayed (another daemon run, or too old) a
 * `reset` event precedes a fresh snapshot. Then one `session` event per
 * changed matching session, and a `heartbeat` every 15 s.
 */
import type { ServerResponse } from 'node:http';
import type { SessionRecord, WatchEvent } from '../../../schema/index.js';
import { decodePosition, encodePosition, type ChangeFeed, type SessionChange } from '../../../core/query/change-feed.js';
import type { SessionFilterSpec } from '../../../core/query/session-filter.js';
import { DossierError } from '../../../schema/index.js';
import type { ApiDeps } from '../deps.js';
import { badQuery, QueryReader } from '../query.js';
import type { RequestContext, RouteResult, StreamBody } from '../router.js';
import { FILTER_PARAMS, readFilterParams } from './filter-params.js';

/** Most sessions a snapshot sends; `ready.truncated` says when there were more. */
export const MAX_SNAPSHOT_SESSIONS = 5_000;
/** A client this far behind (bytes not yet sent) is cut off with an `error` event; it resumes with its cursor. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;
const PAGE = 1_000;

/** `GET /v1/watch`: the shared filters, `cursor`, `format` (ndjson or sse). */
export function watchSessions(deps: ApiDeps, ctx: RequestContext): RouteResult {
  const feed = deps.changes;
  if (feed === undefined) throw new DossierError('DOSSIER_E_API_NOT_FOUND', 'GET /v1/watch: this server has no change feed');
  const query = new QueryReader(ctx.query, [...FILTER_PARAMS, 'cursor', 'format']);
  const { filter: snapshotFilter } = readFilterParams(query, deps.now(), { recentByDefault: true });
  // Live changes are recent by definition: the default window only shapes the snapshot.
  const { active_since: _window, ...liveFilter } = snapshotFilter;
  const format = query.list('format', ['ndjson', 'sse'] as const)?.[0] ?? 'ndjson';
  const lastEventId = ctx.req.headers['last-event-id'];
  const cursorText = query.string('cursor') ?? (typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : undefined);
  const position = cursorText === undefined ? null : decodePosition(cursorText);
  if (cursorText !== undefined && position === null) throw badQuery('cursor', 'not a cursor this stream sent', cursorText);
  const headers = format === 'sse' ? { 'content-type': 'text/event-stream; charset=utf-8' } : { 'content-type': 'application/x-ndjson; charset=utf-8' };
  return { status: 200, body: null, headers, stream: new WatchStream(deps, feed, format, snapshotFilter, liveFilter, position) };
}

/** One client's stream. */
class WatchStream implements StreamBody {
  #res: ServerResponse | null = null;
  #unsubscribe: (() => void) | null = null;
  #heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: ApiDeps,
    private readonly feed: ChangeFeed,
    private readonly format: 'ndjson' | 'sse',
    private readonly snapshotFilter: SessionFilterSpec,
    private readonly liveFilter: SessionFilterSpec,
    private readonly position: { epoch: string; seq: number } | null,
  ) {}

  start(res: ServerResponse): void {
    this.#res = res;
    // Subscribing and reading happen in one synchronous turn, so no commit can fall between them.
    this.#unsubscribe = this.feed.subscribe({
      changes: (changes) => this.#sendChanges(changes),
      reset: () => {
        this.#send({ type: 'reset', cursor: this.#head(), reason: 'every session was recomputed (rebuild)' });
        this.#sendSnapshot();
      },
    });
    const replay = this.position === null ? null : this.feed.replayAfter(this.position.epoch, this.position.seq);
    if (replay?.kind === 'replay') {
      const sent = this.#sendChanges(replay.changes);
      this.#send({ type: 'ready', cursor: this.#head(), replayed: sent, snapshot: false, truncated: false });
    } else {
      if (replay?.kind === 'unknown-position') this.#send({ type: 'reset', cursor: this.#head(), reason: 'the cursor is from another daemon run or too old to replay' });
      this.#sendSnapshot();
    }
    this.#heartbeat = setInterval(() => this.#send({ type: 'heartbeat', cursor: this.#head() }), HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
    this.#res = null;
  }

  #head(): string {
    return encodePosition(this.feed.epoch, this.feed.head);
  }

  #sendSnapshot(): void {
    const cursor = this.#head();
    let sent = 0;
    let next: string | undefined;
    let truncated = false;
    do {
      const page = this.deps.reader.listSessions({ ...this.snapshotFilter, limit: PAGE, ...(next ? { cursor: next } : {}) });
      for (const session of page.sessions) {
        if (sent >= MAX_SNAPSHOT_SESSIONS) {
          truncated = true;
          break;
        }
        this.#send({ type: 'snapshot', cursor, session });
        sent++;
      }
      next = page.next_cursor ?? undefined;
    } while (next !== undefined && !truncated && this.#res !== null);
    this.#send({ type: 'ready', cursor, replayed: 0, snapshot: true, truncated });
  }

  /** Sends the matching ones of these changes; returns how many were sent. */
  #sendChanges(changes: readonly SessionChange[]): number {
    let sent = 0;
    for (let i = 0; i < changes.length && this.#res !== null; i += PAGE) {
      const chunk = changes.slice(i, i + PAGE);
      const records = new Map<string, SessionRecord>();
      const ids = [...new Set(chunk.map((c) => c.session_id))];
      for (const s of this.deps.reader.listSessions({ ...this.liveFilter, ids, limit: ids.length }).sessions) records.set(s.session_id, s);
      for (const change of chunk) {
        const session = records.get(change.session_id);
        if (session === undefined) continue;
        this.#send({ type: 'session', cursor: encodePosition(this.feed.epoch, change.seq), session });
        sent++;
      }
    }
    return sent;
  }

  #send(event: WatchEvent): void {
    const res = this.#res;
    if (res === null) return;
    const json = JSON.stringify(event);
    res.write(this.format === 'sse' ? `id: ${event.cursor}\nevent: ${event.type}\ndata: ${json}\n\n` : `${json}\n`);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      const error = new DossierError('DOSSIER_E_API_BAD_REQUEST', 'the client reads too slowly; reconnect with the last cursor');
      const stop: WatchEvent = { type: 'error', cursor: event.cursor, error: { code: error.code, message: error.message } };
      res.end(this.format === 'sse' ? `event: error\ndata: ${JSON.stringify(stop)}\n\n` : `${JSON.stringify(stop)}\n`);
      this.close();
    }
  }
}

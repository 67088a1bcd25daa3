/**
 * Shared set-up for the query integration tests: a real store loaded with
 * generated sessions behind the real API server on a temp Unix socket, a
 * raw GET helper, and the independent in-test reading of what each filter
 * and sort means (plain JavaScript over the records, no SQL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { Counters } from '../../core/pipeline/counters.js';
import { IngestPipeline } from '../../core/pipeline/ingest-pipeline.js';
import { ChangeFeed } from '../../core/query/change-feed.js';
import { DossierClient } from '../../daemon/client.js';
import type { EventSink } from '../../core/pipeline/sink.js';
import { openStore, type Store } from '../../core/store/index.js';
import { apiRoutes } from '../../daemon/api/routes.js';
import { ApiServer } from '../../daemon/api/server.js';
import type { SessionRecord } from '../../schema/index.js';
import { generateSessions, insertSessions } from '../../bench/query/generate-sessions.js';

/** The fixed "now" of every query test. */
export const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

/** A running API over a loaded store. */
export interface QueryDaemon {
  socket: string;
  dbPath: string;
  store: Store;
  records: SessionRecord[];
  /** Adds sessions to the database (visible to the next request) and to `records`. */
  add(records: SessionRecord[]): void;
  close(): Promise<void>;
}

const idleSink: EventSink = {
  submit: () => Promise.reject(new Error('the query tests post no events')),
  accepting: false,
};

/** Starts the API over a store holding `count` generated sessions. */
export async function startQueryDaemon(count: number, seed: number): Promise<QueryDaemon> {
  const dir = mkdtempSync(join(tmpdir(), 'dquery-'));
  const dbPath = join(dir, 'dossier.db');
  const socket = join(dir, 'api.sock');
  const store = openStore(dbPath, { machineId: 'bench-machine', now: () => NOW });
  const records = generateSessions(count, { seed, now: NOW });
  insertSessions(dbPath, records);
  const counters = new Counters();
  const server = new ApiServer({
    routes: apiRoutes({ reader: store.reader, sink: idleSink, rebuild: () => ({ sessions: 0, events: 0 }), status: () => { throw new Error('unused'); }, now: () => NOW, counters }),
    version: 'test',
    logger: pino({ level: 'silent' }),
    counters,
  });
  await server.listen(socket);
  return {
    socket,
    dbPath,
    store,
    records,
    add(more) {
      insertSessions(dbPath, more);
      records.push(...more);
    },
    async close() {
      await server.close(1000);
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** GET over the socket; the parsed JSON body and status. */
export function getJson(socket: string, path: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text === '' ? null : JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every session of a list query, following cursors with `limit`. */
export async function listAll(socket: string, params: Record<string, string>, limit: number): Promise<SessionRecord[]> {
  const out: SessionRecord[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 10_000; guard++) {
    const query = new URLSearchParams({ ...params, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const reply = await getJson(socket, `/v1/sessions?${query.toString()}`);
    if (reply.status !== 200) throw new Error(`GET /v1/sessions?${query.toString()}: ${reply.status} ${JSON.stringify(reply.body)}`);
    out.push(...(reply.body.sessions as SessionRecord[]));
    cursor = reply.body.next_cursor as string | null;
    if (cursor === null) return out;
  }
  throw new Error('cursor loop did not end');
}

// ---- the independent meaning of filters and sorts ----

/** Duration as the API defines it: first start to last activity. */
export function durationOf(s: SessionRecord): number | null {
  return s.first_started_at === null || s.last_activity === null ? null : s.last_activity - s.first_started_at;
}

/** Whether `cwd` is `path` or below it, segment-wise. */
export function isUnder(cwd: string | null, path: string): boolean {
  if (cwd === null) return false;
  const base = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (cwd === base) return true;
  return cwd.startsWith(base.endsWith('/') ? base : `${base}/`);
}

/** ASCII-only case folding, the documented rule of `q`. */
export function containsText(s: SessionRecord, text: string): boolean {
  const fold = (t: string): string => t.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const needle = fold(text);
  return [s.title, s.first_user_message, s.last_user_message].some((field) => field !== null && fold(field).includes(needle));
}

/** The sort key the API documents, unknown as -1. */
export function sortKey(s: SessionRecord, sort: string): number {
  switch (sort) {
    case 'start':
      return s.first_started_at ?? -1;
    case 'duration':
      return durationOf(s) ?? -1;
    case 'tokens':
      return s.tokens_input + s.tokens_output + s.tokens_cache_read + s.tokens_cache_write;
    case 'cost':
      return s.cost_usd ?? -1;
    default:
      return s.last_activity ?? -1;
  }
}

/** The expected ids, in order, for a predicate and a sort. */
export function expectedIds(records: readonly SessionRecord[], keep: (s: SessionRecord) => boolean, sort = 'activity', order = 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  return records
    .filter(keep)
    .sort((a, b) => {
      const d = sign * (sortKey(a, sort) - sortKey(b, sort));
      if (d !== 0) return d;
      return a.session_id < b.session_id ? -1 : a.session_id > b.session_id ? 1 : 0;
    })
    .map((s) => s.session_id);
}

/** The API over a real store and pipeline, with the change feed the daemon wires for `GET /v1/watch`. */
export interface LiveDaemon {
  socket: string;
  /** Posts events through `POST /v1/events`; resolves once committed and projected. */
  post(events: unknown[]): Promise<void>;
  close(): Promise<void>;
}

/** Starts a live (ingesting) API on a temp socket; `now` is the daemon's clock. */
export async function startLiveDaemon(now: number): Promise<LiveDaemon> {
  const dir = mkdtempSync(join(tmpdir(), 'dlive-'));
  const socket = join(dir, 'api.sock');
  const store = openStore(join(dir, 'dossier.db'), { machineId: 'm', now: () => now });
  const pipeline = new IngestPipeline(store.writer);
  const changes = new ChangeFeed({ epoch: 'live' });
  pipeline.onCommitted((batch) => changes.record(batch.touched_sessions));
  const counters = new Counters();
  const server = new ApiServer({
    routes: apiRoutes({ reader: store.reader, sink: pipeline, changes, rebuild: () => ({ sessions: 0, events: 0 }), status: () => { throw new Error('unused'); }, now: () => now, counters }),
    version: 'test',
    logger: pino({ level: 'silent' }),
    counters,
  });
  await server.listen(socket);
  const client = new DossierClient({ socket });
  return {
    socket,
    post: async (events) => {
      await client.postEvents(events);
      // Projection is deferred a few ms after a commit; tests read right after posting.
      await pipeline.drain();
    },
    async close() {
      await server.close(1000);
      await pipeline.stop(5000);
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One query daemon for the whole test file: started before its first test
 * (generating can take a while on a slow machine), closed after its last.
 * The returned getter gives the running daemon.
 */
export function queryDaemonPerFile(count: number, seed: number): () => QueryDaemon {
  let daemon: QueryDaemon | undefined;
  beforeAll(async () => {
    daemon = await startQueryDaemon(count, seed);
  }, 60_000);
  afterAll(async () => {
    await daemon?.close();
  });
  return () => {
    if (daemon === undefined) throw new Error('the query daemon is not running');
    return daemon;
  };
}

/**
 * GET /v1/watch over the real pipeline and store: a client gets a snapshot,
 * then every committed change of a matching session; after a disconnect,
 * resuming with the last cursor replays every change made meanwhile (the
 * latest state of each session) and nothing is missed; a cursor from
 * another daemon run gets a reset and a fresh snapshot; SSE works too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Counters } from '../../core/pipeline/counters.js';
import { IngestPipeline } from '../../core/pipeline/ingest-pipeline.js';
import { ChangeFeed } from '../../core/query/change-feed.js';
import { openStore, type Store } from '../../core/store/index.js';
import { apiRoutes } from '../../daemon/api/routes.js';
import { ApiServer } from '../../daemon/api/server.js';
import { DossierClient } from '../../daemon/client.js';
import type { WatchEvent } from '../../schema/index.js';
import { apiRequest, sessionStarted } from './wire-events.js';

const T0 = Date.UTC(2026, 10, 21, 11, 0, 0);
const sid = (n: number): string => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-00000000beef`;

let dir: string;
let store: Store;
let pipeline: IngestPipeline;
let server: ApiServer;
let client: DossierClient;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dwatch-'));
  store = openStore(join(dir, 'dossier.db'), { machineId: 'm', now: () => T0 + 3_600_000 });
  pipeline = new IngestPipeline(store.writer);
  const changes = new ChangeFeed({ epoch: 'run1' });
  pipeline.onCommitted((batch) => changes.record(batch.touched_sessions));
  const counters = new Counters();
  server = new ApiServer({
    // Wired as daemon/main wires it: a rebuild resets the feed.
    routes: apiRoutes({ reader: store.reader, sink: pipeline, changes, rebuild: () => {
      const rebuilt = store.writer.rebuild();
      changes.reset();
      return rebuilt;
    }, status: () => { throw new Error('unused'); }, now: () => T0 + 3_600_000, counters }),
    version: 'test',
    logger: pino({ level: 'silent' }),
    counters,
  });
  await server.listen(join(dir, 'api.sock'));
  client = new DossierClient({ socket: join(dir, 'api.sock') });
});

afterEach(async () => {
  await server.close(1000);
  await pipeline.stop(5000);
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A watch that collects events until stopped. */
function openWatch(query: Parameters<DossierClient['watch']>[0]): { events: WatchEvent[]; stop: () => void; ended: Promise<void>; waitFor: (p: (e: WatchEvent[]) => boolean) => Promise<void> } {
  const events: WatchEvent[] = [];
  const abort = new AbortController();
  const ended = client.watch(query, (e) => events.push(e), abort.signal);
  const waitFor = async (predicate: (e: WatchEvent[]) => boolean): Promise<void> => {
    for (let i = 0; i < 1000 && !predicate(events); i++) await new Promise((r) => setTimeout(r, 10));
    expect(predicate(events), JSON.stringify(events.map((e) => e.type))).toBe(true);
  };
  return { events, stop: () => abort.abort(), ended, waitFor };
}

/** Posts and waits for the deferred projection, as a client reading right after would see it settle. */
async function post(events: unknown[]): Promise<void> {
  await client.postEvents(events);
  await pipeline.drain();
}

const sessionEvents = (events: WatchEvent[]) => events.filter((e): e is Extract<WatchEvent, { type: 'session' }> => e.type === 'session');

describe('GET /v1/watch', () => {
  it('sends a snapshot, then every change of matching sessions; resumes after a disconnect without missing one', async () => {
    await post([sessionStarted(sid(1), T0), sessionStarted(sid(2), T0 + 1, '/elsewhere')]);
    const first = openWatch({ cwd: '/home/ada' });
    await first.waitFor((e) => e.some((x) => x.type === 'ready'));
    expect(first.events.filter((e) => e.type === 'snapshot').map((e) => (e as { session: { session_id: string } }).session.session_id)).toEqual([sid(1)]);

    await post([apiRequest(sid(1), 1, { input: 10, output: 5 }, T0 + 1000)]);
    await post([sessionStarted(sid(3), T0 + 2000)]);
    await post([sessionStarted(sid(6), T0 + 2500, '/elsewhere')]); // not under /home/ada: not sent
    await first.waitFor((e) => sessionEvents(e).length >= 2);
    expect(sessionEvents(first.events).map((e) => e.session.session_id)).toEqual([sid(1), sid(3)]);
    expect(sessionEvents(first.events)[0]!.session.tokens_input).toBe(10);
    const last = first.events[first.events.length - 1]!.cursor;
    first.stop();
    await first.ended;

    // While nobody watches: two changes to one session, one to another, and a new one.
    await post([apiRequest(sid(1), 2, { input: 20, output: 5 }, T0 + 3000)]);
    await post([apiRequest(sid(3), 1, { input: 7, output: 1 }, T0 + 3100)]);
    await post([apiRequest(sid(1), 3, { input: 30, output: 5 }, T0 + 3200)]);
    await post([sessionStarted(sid(4), T0 + 3300)]);

    const resumed = openWatch({ cwd: '/home/ada', cursor: last });
    await resumed.waitFor((e) => e.some((x) => x.type === 'ready'));
    expect(resumed.events.some((e) => e.type === 'snapshot' || e.type === 'reset')).toBe(false);
    const replayed = sessionEvents(resumed.events);
    expect(replayed.map((e) => e.session.session_id)).toEqual([sid(3), sid(1), sid(4)]);
    expect(replayed.find((e) => e.session.session_id === sid(1))!.session.tokens_input).toBe(60);
    expect(resumed.events.find((e) => e.type === 'ready')).toMatchObject({ replayed: 3, snapshot: false });

    // Live again after the replay.
    await post([apiRequest(sid(4), 1, { input: 1, output: 1 }, T0 + 4000)]);
    await resumed.waitFor((e) => sessionEvents(e).length === 4);
    resumed.stop();
    await resumed.ended;
  });

  it('answers a cursor from another run with a reset and a fresh snapshot', async () => {
    await post([sessionStarted(sid(9), T0)]);
    const watch = openWatch({ cursor: 'run0.42' });
    await watch.waitFor((e) => e.some((x) => x.type === 'ready'));
    expect(watch.events.map((e) => e.type)).toEqual(['reset', 'snapshot', 'ready']);
    watch.stop();
    await watch.ended;
  });

  it('refuses a malformed cursor and unknown parameters with a 400 naming them', async () => {
    await expect(client.watch({ cursor: 'nope' }, () => undefined)).rejects.toMatchObject({ code: 'DOSSIER_E_API_BAD_QUERY' });
    await expect(client.watch({ since: 'whenever' }, () => undefined)).rejects.toMatchObject({ code: 'DOSSIER_E_API_BAD_QUERY', message: expect.stringContaining('since') });
  });

  it('speaks server-sent events with ids that resume through Last-Event-ID', async () => {
    await post([sessionStarted(sid(5), T0)]);
    const socketPath = join(dir, 'api.sock');
    const read = (headers: Record<string, string>, until: string): Promise<string> =>
      new Promise((resolve, reject) => {
        let text = '';
        const req = request({ socketPath, path: '/v1/watch?format=sse', headers }, (res) => {
          expect(res.headers['content-type']).toContain('text/event-stream');
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (text.includes(until)) {
              req.destroy();
              resolve(text);
            }
          });
        });
        req.on('error', (e) => (text.includes(until) ? undefined : reject(e)));
        req.end();
      });
    const first = await read({}, 'event: ready');
    expect(first).toMatch(/^id: run1\.\d+\nevent: snapshot\ndata: \{/);
    const id = /id: (\S+)\nevent: ready/.exec(first)![1]!;
    await post([apiRequest(sid(5), 1, { input: 3, output: 1 }, T0 + 10)]);
    const second = await read({ 'last-event-id': id }, 'event: ready');
    expect(second).toMatch(/event: session\ndata: \{"type":"session"/);
    expect(second).not.toContain('event: snapshot');
  });

  it('after a rebuild, open streams get a reset and a fresh snapshot, and old cursors no longer replay', async () => {
    await post([sessionStarted(sid(7), T0)]);
    const watch = openWatch({});
    await watch.waitFor((e) => e.some((x) => x.type === 'ready'));
    const before = watch.events[watch.events.length - 1]!.cursor;
    await client.rebuild();
    await watch.waitFor((e) => e.filter((x) => x.type === 'ready').length === 2);
    expect(watch.events.map((e) => e.type)).toEqual(['snapshot', 'ready', 'reset', 'snapshot', 'ready']);
    watch.stop();
    await watch.ended;
    const late = openWatch({ cursor: before });
    await late.waitFor((e) => e.some((x) => x.type === 'ready'));
    expect(late.events.map((e) => e.type)).toEqual(['reset', 'snapshot', 'ready']);
    late.stop();
    await late.ended;
  });

  it('ends open streams when the server closes', async () => {
    const watch = openWatch({});
    await watch.waitFor((e) => e.some((x) => x.type === 'ready'));
    await server.close(1000);
    await watch.ended;
  });
});

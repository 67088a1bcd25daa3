/**
 * SIGKILL in the middle of a stream of batches loses nothing that was
 * acknowledged and stores nothing twice: after a restart on the same state
 * dir, every batch that got a 2xx is there, every stored event was sent, no
 * dedupe key appears twice, and each session's totals equal a projection of
 * the events actually stored.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionRecord, StatusResponse, StoredEvent } from '../../schema/index.js';
import { assertBuilt, makeTempHome, startDaemon, type DaemonHandle } from '../support/daemon.js';
import { rmSync } from 'node:fs';
import { JSON_HEADERS, apiRequest, batchBody, type WireEvent } from './wire-events.js';

const SESSIONS = ['crash-a', 'crash-b', 'crash-c'];
const EVENTS_PER_BATCH = 25;
const MAX_BATCHES = 400;
/** Kill once this many batches were acknowledged, with more in flight. */
const KILL_AFTER_ACKS = 40;
const POSTERS = 3;

describe('crash safety', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  beforeAll(() => assertBuilt());
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('SIGKILL mid-stream keeps every acknowledged batch, exactly once', async () => {
    const home = makeTempHome();
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const first = await startDaemon({ home });
    cleanups.push(() => first.cleanup());

    const sent = new Map<string, WireEvent>();
    const acked: WireEvent[][] = [];
    const t0 = Date.now() - 3_600_000;
    let next = 0;
    let killed = false;
    const batchOf = (n: number): WireEvent[] =>
      Array.from({ length: EVENTS_PER_BATCH }, (_, i) => {
        const k = n * EVENTS_PER_BATCH + i;
        return apiRequest(SESSIONS[k % SESSIONS.length]!, k, { input: 100 + (k % 17), output: 1 + (k % 5) }, t0 + k);
      });

    const poster = async (): Promise<void> => {
      while (!killed && next < MAX_BATCHES) {
        const batch = batchOf(next++);
        for (const e of batch) sent.set(e.dedupe_key, e);
        try {
          const reply = await first.request('POST', '/v1/events', { body: batchBody(batch), headers: JSON_HEADERS });
          if (reply.status >= 200 && reply.status < 300) acked.push(batch);
        } catch {
          // The connection died with the daemon: this batch was never acknowledged.
        }
        if (acked.length >= KILL_AFTER_ACKS && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: POSTERS }, poster));
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    const second: DaemonHandle = await startDaemon({ home, socket: first.socket });
    cleanups.push(() => second.cleanup());
    expect(second.logs()).toContain('removed a stale socket file');

    const stored: StoredEvent[] = [];
    for (const session of SESSIONS) {
      const run = await second.cli(['events', session, '--json']);
      expect(run.code, run.stderr).toBe(0);
      stored.push(...(JSON.parse(run.stdout) as StoredEvent[]));
    }
    const keys = stored.map((e) => e.dedupe_key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(sent.has(key), key).toBe(true);
    const storedKeys = new Set(keys);
    const missing = acked.flat().filter((e) => !storedKeys.has(e.dedupe_key));
    expect(missing.map((e) => e.dedupe_key)).toEqual([]);

    const status = JSON.parse((await second.cli(['status', '--json'])).stdout) as StatusResponse;
    expect(status.database.events).toBe(stored.length);

    // The projection of each session equals what its stored events add up to.
    for (const session of SESSIONS) {
      const mine = stored.filter((e) => e.session_id === session).map((e) => sent.get(e.dedupe_key)!);
      const usage = mine.map((e) => (e.attrs as { usage: { input: number; output: number } }).usage);
      const record = JSON.parse((await second.cli(['show', session, '--json'])).stdout) as SessionRecord;
      expect(record.api_request_count, session).toBe(mine.length);
      expect(record.tokens_input, session).toBe(usage.reduce((sum, u) => sum + u.input, 0));
      expect(record.tokens_output, session).toBe(usage.reduce((sum, u) => sum + u.output, 0));
      expect(record.n_events, session).toBe(mine.length);
    }

    // Redelivering everything acknowledged inserts nothing.
    for (const batch of acked.slice(0, 10)) {
      const reply = await second.request('POST', '/v1/events', { body: batchBody(batch), headers: JSON_HEADERS });
      expect(reply.json).toEqual({ received: EVENTS_PER_BATCH, inserted: 0, duplicates: EVENTS_PER_BATCH });
    }
  });
});

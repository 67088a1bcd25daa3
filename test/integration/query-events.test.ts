/**
 * GET /v1/sessions/{id}/events: the timeline oldest first, each event with
 * its one-line summary, attrs left out on request, kind and source filters
 * and pages that visit every event once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../schema/index.js';
import { getJson, startLiveDaemon, type LiveDaemon } from './query-support.js';
import { apiRequest, sessionStarted } from './wire-events.js';

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
const S = '0000abcd-0000-4000-8000-000000000e7e';
let daemon: LiveDaemon;

beforeAll(async () => {
  daemon = await startLiveDaemon(T0 + 3_600_000);
  // Posted newest first: the timeline must still come back oldest first.
  const requests = Array.from({ length: 25 }, (_, i) => apiRequest(S, i, { input: 1000 + i, output: 10 }, T0 + 1000 * (25 - i)));
  await daemon.post([...requests, sessionStarted(S, T0)]);
});

afterAll(async () => {
  await daemon.close();
});

async function timeline(query: string): Promise<TimelineEvent[]> {
  const out: TimelineEvent[] = [];
  let cursor: string | null = null;
  do {
    const reply = await getJson(daemon.socket, `/v1/sessions/${S.slice(0, 8)}/events?${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    out.push(...(reply.body.events as TimelineEvent[]));
    cursor = reply.body.next_cursor as string | null;
  } while (cursor !== null);
  return out;
}

describe('GET /v1/sessions/{id}/events', () => {
  it('pages through the whole timeline oldest first, each event with a summary and its attrs', async () => {
    const events = await timeline('limit=7');
    expect(events).toHaveLength(26);
    expect(new Set(events.map((e) => e.seq)).size).toBe(26);
    expect(events.map((e) => e.ts)).toEqual([...events.map((e) => e.ts)].sort((a, b) => a - b));
    expect(events[0]).toMatchObject({ kind: 'session.started', source: 'hook', summary: expect.any(String) });
    const request = events.find((e) => e.kind === 'api.request')!;
    expect(request.summary).toMatch(/^claude-sonnet-4-5-20250929 {2}in 1k out 10 cache r 0 w 0 {2}req_/);
    expect(request.attrs).toMatchObject({ usage: { output: 10 } });
  });

  it('attrs=false leaves the stored attributes out; kind and source filter', async () => {
    const bare = await timeline('attrs=false&kind=api.request&source=otel');
    expect(bare).toHaveLength(25);
    for (const e of bare) {
      expect(e).not.toHaveProperty('attrs');
      expect(e.kind).toBe('api.request');
      expect(e.summary).toContain('in 1');
    }
    expect(await timeline('source=transcript')).toEqual([]);
  });

  it('refuses bad parameters naming them', async () => {
    for (const [query, name] of [['kind=nope', 'kind'], ['limit=-3', 'limit'], ['attrs=perhaps', 'attrs'], ['cursor=zz', 'cursor']] as const) {
      const reply = await getJson(daemon.socket, `/v1/sessions/${S}/events?${query}`);
      expect(reply.status).toBe(400);
      expect(reply.body.error.message).toContain(`${name}:`);
    }
  });
});

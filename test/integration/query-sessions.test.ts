/**
 * GET /v1/sessions on a store of 3,000 generated sessions: each filter, and
 * seeded random combinations of them, must return exactly the sessions an
 * independent JavaScript reading of the documented rule keeps, in the
 * documented order, over every page; paging stays exact while sessions are
 * added between pages; bad parameters are 400s that name the parameter.
 */
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../schema/index.js';
import { generateSessions } from '../../bench/query/generate-sessions.js';
import { seededRandom } from '../support/seeded-random.js';
import { containsText, durationOf, expectedIds, getJson, isUnder, listAll, NOW, queryDaemonPerFile } from './query-support.js';

const DAY = 86_400_000;

/** One filter: its query parameters and the rule it means. */
interface FilterCase {
  name: string;
  params: Record<string, string>;
  keep: (s: SessionRecord) => boolean;
}

const visible = (s: SessionRecord): boolean => !s.hidden;

/** Filters given with `all=true`, so only they (and nothing implicit but hidden-ness) decide. */
const FILTERS: FilterCase[] = [
  { name: 'status one', params: { status: 'ended' }, keep: (s) => s.status === 'ended' },
  { name: 'status several', params: { status: 'busy,waiting' }, keep: (s) => s.status === 'busy' || s.status === 'waiting' },
  { name: 'framework', params: { framework: 'codex,gemini' }, keep: (s) => s.framework === 'codex' || s.framework === 'gemini' },
  { name: 'cwd prefix', params: { cwd: '/home/u/app' }, keep: (s) => isUnder(s.cwd, '/home/u/app') },
  { name: 'cwd trailing slash', params: { cwd: '/home/u/app/web/' }, keep: (s) => isUnder(s.cwd, '/home/u/app/web') },
  { name: 'project alias', params: { project: '/work/dossier' }, keep: (s) => isUnder(s.cwd, '/work/dossier') },
  { name: 'cwd root', params: { cwd: '/' }, keep: (s) => s.cwd !== null && s.cwd.startsWith('/') },
  { name: 'repo any case', params: { repo: 'acme/app' }, keep: (s) => s.github_repo?.toLowerCase() === 'acme/app' },
  { name: 'branch', params: { branch: 'feat/query' }, keep: (s) => s.git_branch === 'feat/query' },
  { name: 'since', params: { since: String(NOW - 10 * DAY) }, keep: (s) => s.last_activity !== null && s.last_activity >= NOW - 10 * DAY },
  { name: 'until', params: { until: String(NOW - 30 * DAY) }, keep: (s) => s.last_activity !== null && s.last_activity < NOW - 30 * DAY },
  { name: 'since as duration ago', params: { since: '7d' }, keep: (s) => s.last_activity !== null && s.last_activity >= NOW - 7 * DAY },
  {
    name: 'since as a date in a zone',
    params: { since: '2026-11-01', tz: 'Asia/Kolkata' },
    keep: (s) => s.last_activity !== null && s.last_activity >= Date.UTC(2026, 10, 1) - 5.5 * 3_600_000,
  },
  {
    name: 'range yesterday in UTC',
    params: { range: 'yesterday', tz: 'UTC' },
    keep: (s) => s.last_activity !== null && s.last_activity >= Date.UTC(2026, 10, 20) && s.last_activity < Date.UTC(2026, 10, 21),
  },
  {
    name: 'range lastmonth in New York',
    params: { range: 'lastmonth', tz: 'America/New_York' },
    keep: (s) => s.last_activity !== null && s.last_activity >= Date.UTC(2026, 9, 1, 4) && s.last_activity < Date.UTC(2026, 10, 1, 4),
  },
  { name: 'min duration', params: { min_duration: '3h' }, keep: (s) => (durationOf(s) ?? -1) >= 3 * 3_600_000 },
  { name: 'id prefix', params: { id: '000001' }, keep: (s) => s.session_id.startsWith('000001') },
  { name: 'text', params: { q: 'cursor' }, keep: (s) => containsText(s, 'cursor') },
  { name: 'text two words', params: { q: 'FIX CLI' }, keep: (s) => containsText(s, 'fix cli') },
  { name: 'alive', params: { alive: 'true' }, keep: (s) => s.status !== 'ended' },
  { name: 'not alive', params: { alive: 'false' }, keep: (s) => s.status === 'ended' },
];

const daemon = queryDaemonPerFile(3_000, 7);

describe('GET /v1/sessions filters', () => {
  it('each filter alone returns exactly the matching sessions, over pages', async () => {
    for (const filter of FILTERS) {
      const got = await listAll(daemon().socket, { all: 'true', ...filter.params }, 400);
      const want = expectedIds(daemon().records, filter.keep);
      expect({ filter: filter.name, ids: got.map((s) => s.session_id) }).toEqual({ filter: filter.name, ids: want });
      expect(want.length, `${filter.name} should match some but not all sessions`).toBeGreaterThan(0);
      expect(want.length).toBeLessThan(daemon().records.length);
    }
  });

  it('random combinations of two to four filters return exactly their intersection', async () => {
    const random = seededRandom(11);
    let nonEmpty = 0;
    for (let round = 0; round < 40; round++) {
      const chosen: FilterCase[] = [];
      const target = 2 + Math.floor(random() * 3);
      while (chosen.length < target) {
        const candidate = FILTERS[Math.floor(random() * FILTERS.length)]!;
        // Two cases that set the same parameter (or both a time range) cannot be combined in one URL.
        const keys = (c: FilterCase): string[] => Object.keys(c.params).map((k) => (['since', 'until', 'range', 'tz'].includes(k) ? 'time' : k === 'project' ? 'cwd' : k));
        if (chosen.some((c) => keys(c).some((k) => keys(candidate).includes(k)))) continue;
        chosen.push(candidate);
      }
      const params = Object.assign({ all: 'true' }, ...chosen.map((c) => c.params)) as Record<string, string>;
      const got = (await listAll(daemon().socket, params, 250)).map((s) => s.session_id);
      const want = expectedIds(daemon().records, (s) => chosen.every((c) => c.keep(s)));
      expect({ filters: chosen.map((c) => c.name), ids: got }).toEqual({ filters: chosen.map((c) => c.name), ids: want });
      if (want.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(10);
  });

  it('every sort and order gives the documented order, ties by id', async () => {
    for (const sort of ['activity', 'start', 'duration', 'tokens', 'cost']) {
      for (const order of ['desc', 'asc']) {
        const got = await listAll(daemon().socket, { all: 'true', status: 'ended,idle', sort, order }, 333);
        const want = expectedIds(daemon().records, (s) => s.status === 'ended' || s.status === 'idle', sort, order);
        expect({ sort, order, ids: got.map((s) => s.session_id) }).toEqual({ sort, order, ids: want });
      }
    }
  });

  it('without all: hidden sessions are left out, and ended ones only within the last 24 hours', async () => {
    const got = await listAll(daemon().socket, {}, 1000);
    const want = expectedIds(daemon().records, (s) => visible(s) && (s.status !== 'ended' || (s.last_activity !== null && s.last_activity >= NOW - DAY)));
    expect(got.map((s) => s.session_id)).toEqual(want);
    const withAll = await listAll(daemon().socket, { all: 'true' }, 1000);
    expect(withAll).toHaveLength(daemon().records.length);
  });

  it('with a time filter but no all, old ended sessions count and hidden ones stay out', async () => {
    const got = await listAll(daemon().socket, { since: '20d', status: 'ended' }, 500);
    const want = expectedIds(daemon().records, (s) => visible(s) && s.status === 'ended' && s.last_activity !== null && s.last_activity >= NOW - 20 * DAY);
    expect(got.map((s) => s.session_id)).toEqual(want);
  });
});

describe('GET /v1/sessions pagination', () => {
  it('visits every session exactly once while new ones are inserted between pages', async () => {
    for (const sort of ['activity', 'tokens']) {
      const before = new Set(daemon().records.map((s) => s.session_id));
      const seen: string[] = [];
      let cursor: string | null = null;
      let round = 0;
      do {
        const query = new URLSearchParams({ all: 'true', sort, limit: '150', ...(cursor ? { cursor } : {}) });
        const reply = await getJson(daemon().socket, `/v1/sessions?${query.toString()}`);
        expect(reply.status).toBe(200);
        seen.push(...(reply.body.sessions as SessionRecord[]).map((s) => s.session_id));
        cursor = reply.body.next_cursor as string | null;
        // New sessions land on both sides of the cursor (activity from 60 days ago to now).
        daemon().add(generateSessions(40, { seed: 1000 + round + (sort === 'tokens' ? 500 : 0), now: NOW, firstIndex: 100_000 + daemon().records.length }));
        round++;
      } while (cursor !== null);
      expect(new Set(seen).size).toBe(seen.length);
      const seenSet = new Set(seen);
      const missed = [...before].filter((id) => !seenSet.has(id));
      expect(missed).toEqual([]);
    }
  });

  it('refuses a cursor from another sort', async () => {
    const first = await getJson(daemon().socket, '/v1/sessions?all=true&sort=cost&limit=5');
    const reply = await getJson(daemon().socket, `/v1/sessions?all=true&sort=tokens&limit=5&cursor=${first.body.next_cursor as string}`);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('DOSSIER_E_API_BAD_QUERY');
    expect(reply.body.error.message).toContain('cursor');
  });
});

describe('GET /v1/sessions bad parameters', () => {
  const cases: [string, string][] = [
    ['colour=red', 'colour'],
    ['since=yesterday-ish', 'since'],
    ['since=2026-02-30', 'since'],
    ['until=2026-13-01T00:00:00Z', 'until'],
    ['limit=-1', 'limit'],
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['status=sleeping', 'status'],
    ['framework=vim', 'framework'],
    ['sort=size', 'sort'],
    ['order=up', 'order'],
    ['min_duration=long', 'min_duration'],
    ['range=fortnight', 'range'],
    ['range=today&since=1d', 'range'],
    ['tz=Mars/Olympus', 'tz'],
    ['cwd=relative/path', 'cwd'],
    ['alive=maybe', 'alive'],
    ['since=2026-11-10&until=2026-11-01', 'until'],
    ['cursor=%%%', 'cursor'],
    ['q=', 'q'],
  ];
  it.each(cases)('%s is a 400 naming %s', async (query, name) => {
    const reply = await getJson(daemon().socket, `/v1/sessions?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('DOSSIER_E_API_BAD_QUERY');
    expect(reply.body.error.message).toMatch(new RegExp(`^[^:]*: ${name}:`));
  });
});

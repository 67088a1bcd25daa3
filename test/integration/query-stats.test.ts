/**
 * GET /v1/stats on 2,000 generated sessions: totals, averages and every
 * grouping against sums computed here from the records; named ranges in a
 * time zone; bad parameters.
 */
import { describe, expect, it } from 'vitest';
import type { SessionRecord, StatsBucket, StatsResponse } from '../../schema/index.js';
import { durationOf, getJson, isUnder, NOW, queryDaemonPerFile } from './query-support.js';

const DAY = 86_400_000;
const daemon = queryDaemonPerFile(2_000, 23);

/** The bucket the API should report for these sessions, computed plainly. */
function expectedBucket(sessions: readonly SessionRecord[]): StatsBucket {
  const sum = (f: (s: SessionRecord) => number): number => sessions.reduce((acc, s) => acc + f(s), 0);
  const n = sessions.length;
  const tokens = {
    input: sum((s) => s.tokens_input),
    output: sum((s) => s.tokens_output),
    cache_read: sum((s) => s.tokens_cache_read),
    cache_write: sum((s) => s.tokens_cache_write),
    total: 0,
  };
  tokens.total = tokens.input + tokens.output + tokens.cache_read + tokens.cache_write;
  const priced = sessions.filter((s) => s.cost_usd !== null);
  const cost = priced.reduce((acc, s) => acc + s.cost_usd!, 0);
  const duration = sum((s) => Math.max(0, durationOf(s) ?? 0));
  const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
  return {
    sessions: n,
    active: sessions.filter((s) => s.status !== 'ended').length,
    completed: sessions.filter((s) => s.status === 'ended').length,
    duration_ms: duration,
    tokens,
    cost_usd: priced.length === 0 ? null : round4(cost),
    requests: sum((s) => s.api_request_count),
    errors: sum((s) => s.api_error_count),
    tool_calls: sum((s) => s.tool_call_count),
    per_session: {
      duration_ms: n === 0 ? 0 : Math.round(duration / n),
      tokens: n === 0 ? 0 : Math.round(tokens.total / n),
      cost_usd: priced.length === 0 ? null : round4(cost / n),
      requests: n === 0 ? 0 : sum((s) => s.api_request_count) / n,
      tool_calls: n === 0 ? 0 : sum((s) => s.tool_call_count) / n,
    },
  };
}

function expectedGroups(sessions: readonly SessionRecord[], keyOf: (s: SessionRecord) => string): (StatsBucket & { key: string })[] {
  const groups = new Map<string, SessionRecord[]>();
  for (const s of sessions) {
    const key = keyOf(s);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === '(unknown)' ? 1 : b === '(unknown)' ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return keys.map((key) => ({ key, ...expectedBucket(groups.get(key)!) }));
}

async function stats(query: string): Promise<StatsResponse> {
  const reply = await getJson(daemon().socket, `/v1/stats?${query}`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body as StatsResponse;
}

const visible = (s: SessionRecord): boolean => !s.hidden;
const localDay = (ts: number, tz: string): string => new Date(ts).toLocaleDateString('en-CA', { timeZone: tz });

describe('GET /v1/stats', () => {
  it('sums every visible session by default, and hidden ones too with all', async () => {
    const body = await stats('');
    expect(body.range).toEqual({ name: null, since: null, until: null, tz: expect.any(String) });
    expect(body.group_by).toBeNull();
    expect(body.groups).toEqual([]);
    expect(body.totals).toEqual(expectedBucket(daemon().records.filter(visible)));
    expect((await stats('all=true')).totals).toEqual(expectedBucket(daemon().records));
  });

  it('groups by model, project, repo and framework', async () => {
    const kept = daemon().records.filter(visible);
    expect((await stats('by=model')).groups).toEqual(expectedGroups(kept, (s) => s.model ?? '(unknown)'));
    expect((await stats('by=project')).groups).toEqual(
      expectedGroups(kept, (s) => (s.cwd === null ? '(unknown)' : s.cwd === '/' ? '/' : s.cwd.split('/').pop()!)),
    );
    expect((await stats('by=repo')).groups).toEqual(expectedGroups(kept, (s) => s.github_repo ?? '(unknown)'));
    expect((await stats('by=framework')).groups).toEqual(expectedGroups(kept, (s) => s.framework));
  });

  it('groups by the day of last activity in the requested zone', async () => {
    for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo']) {
      const body = await stats(`by=day&range=30d&tz=${encodeURIComponent(tz)}`);
      const kept = daemon().records.filter((s) => visible(s) && s.last_activity !== null && s.last_activity >= NOW - 30 * DAY);
      expect(body.range).toEqual({ name: '30d', since: NOW - 30 * DAY, until: null, tz });
      expect(body.groups).toEqual(expectedGroups(kept, (s) => localDay(s.last_activity!, tz)));
      expect(body.totals).toEqual(expectedBucket(kept));
    }
  });

  it('named ranges begin at the zone midnight, and filters combine with them', async () => {
    const body = await stats('range=thismonth&tz=Europe/Paris&cwd=/home/u/app&by=repo');
    const since = Date.UTC(2026, 10, 1) - 3_600_000;
    expect(body.range).toEqual({ name: 'thismonth', since, until: null, tz: 'Europe/Paris' });
    const kept = daemon().records.filter((s) => visible(s) && s.last_activity !== null && s.last_activity >= since && isUnder(s.cwd, '/home/u/app'));
    expect(kept.length).toBeGreaterThan(0);
    expect(body.totals).toEqual(expectedBucket(kept));
    expect(body.groups).toEqual(expectedGroups(kept, (s) => s.github_repo ?? '(unknown)'));
    const today = await stats('range=today&tz=UTC');
    expect(today.totals.sessions).toBe(daemon().records.filter((s) => visible(s) && s.last_activity !== null && s.last_activity >= Date.UTC(2026, 10, 21)).length);
  });

  it('refuses bad parameters with a 400 naming them', async () => {
    for (const [query, name] of [['by=week', 'by'], ['range=decade', 'range'], ['tz=Nowhere', 'tz'], ['limit=5', 'limit'], ['by=day,model', 'by']] as const) {
      const reply = await getJson(daemon().socket, `/v1/stats?${query}`);
      expect(reply.status).toBe(400);
      expect(reply.body.error.message).toMatch(new RegExp(`: ${name}:`));
    }
  });
});

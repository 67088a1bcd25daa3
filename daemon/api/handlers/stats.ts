/**
 * `GET /v1/stats`: totals and per-session averages over the sessions the
 * shared filters keep, optionally grouped. Without a range or `since`/`until`
 * every session counts (`range=all`); hidden ones only with `all`.
 */
import type { StatsGroupBy, StatsResponse } from '../../../schema/index.js';
import type { ApiDeps } from '../deps.js';
import { badQuery, QueryReader } from '../query.js';
import type { RequestContext, RouteResult } from '../router.js';
import { FILTER_PARAMS, readFilterParams } from './filter-params.js';

/** What `by` accepts. */
export const STATS_GROUPS = ['day', 'model', 'project', 'repo', 'framework'] as const satisfies readonly StatsGroupBy[];

/** `GET /v1/stats`: the shared filters plus `by` (one of {@link STATS_GROUPS}). */
export function getStats(deps: ApiDeps, ctx: RequestContext): RouteResult {
  const query = new QueryReader(ctx.query, [...FILTER_PARAMS, 'by']);
  const parsed = readFilterParams(query, deps.now(), { recentByDefault: false });
  const by = query.list('by', STATS_GROUPS);
  if (by && by.length > 1) throw badQuery('by', 'takes one grouping', by.join(','));
  const groupBy = by?.[0] ?? null;
  const result = deps.reader.sessionStats(parsed.filter, groupBy, parsed.calendar);
  const body: StatsResponse = {
    range: { name: parsed.range.name, since: parsed.range.since, until: parsed.range.until, tz: parsed.calendar.timeZone },
    group_by: groupBy,
    totals: result.totals,
    groups: result.groups,
  };
  return { status: 200, body };
}

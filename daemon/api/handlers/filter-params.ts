/**
 * Reads the session filter parameters that `GET /v1/sessions`, `/v1/stats`
 * and `/v1/export` share, so the three routes filter identically and refuse
 * bad values with the same `DOSSIER_E_API_BAD_QUERY` naming the parameter.
 */
import { FRAMEWORKS, LIMITS, SESSION_STATUSES } from '../../../schema/index.js';
import type { SessionFilterSpec } from '../../../core/query/session-filter.js';
import { parseDuration, parseInstant, RANGE_NAMES, resolveRange, type RangeName } from '../../../core/query/time-range.js';
import { isValidTimeZone, ZoneCalendar } from '../../../core/query/time-zone.js';
import { badQuery, type QueryReader } from '../query.js';

/** Without `all`, a time range or `since`/`until`, sessions ended longer ago than this are left out. */
export const DEFAULT_ACTIVE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Names of the shared filter parameters, for a route's list of known parameters. */
export const FILTER_PARAMS = [
  'alive', 'all', 'branch', 'cwd', 'framework', 'id', 'min_duration', 'project', 'q', 'range', 'repo', 'since', 'status', 'tz', 'until',
] as const;

/** The filter a request asked for, the zone its dates were read in, and the range it named. */
export interface ParsedFilter {
  filter: SessionFilterSpec;
  calendar: ZoneCalendar;
  range: { name: RangeName | null; since: number | null; until: number | null };
}

/** The daemon's own zone, used when a request names none. */
export function defaultTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Reads every shared filter parameter. `recentByDefault`: without `all`,
 * `range`, `since` or `until`, keep only sessions not ended or active in
 * the last {@link DEFAULT_ACTIVE_WINDOW_MS} (the list's default view).
 */
export function readFilterParams(query: QueryReader, now: number, options: { recentByDefault: boolean }): ParsedFilter {
  const tz = query.string('tz', 64) ?? defaultTimeZone();
  if (!isValidTimeZone(tz)) throw badQuery('tz', 'must be an IANA time zone name such as Europe/Paris or UTC', tz);
  const calendar = new ZoneCalendar(tz);
  const all = query.flag('all');
  const filter: SessionFilterSpec = { include_hidden: all };
  const status = query.list('status', SESSION_STATUSES);
  if (status) filter.status = status;
  const framework = query.list('framework', FRAMEWORKS);
  if (framework) filter.framework = framework;
  const cwd = query.string('cwd');
  const project = query.string('project');
  if (cwd !== undefined && project !== undefined) throw badQuery('project', 'is the same filter as cwd; give one of them');
  const place = cwd ?? project;
  if (place !== undefined) {
    if (!place.startsWith('/')) throw badQuery(cwd !== undefined ? 'cwd' : 'project', 'must be an absolute path', place);
    filter.cwd = place;
  }
  const repo = query.string('repo', 200);
  if (repo !== undefined) filter.repo = repo;
  const branch = query.string('branch', 500);
  if (branch !== undefined) filter.branch = branch;
  const id = query.string('id', LIMITS.maxIdLength);
  if (id !== undefined) filter.id_prefix = id;
  const text = query.string('q', 500);
  if (text !== undefined) filter.text = text;
  const alive = query.optionalFlag('alive');
  if (alive !== undefined) filter.alive = alive;
  const minDuration = query.string('min_duration', 32);
  if (minDuration !== undefined) {
    const ms = parseDuration(minDuration);
    if (ms === null) throw badQuery('min_duration', 'must be a duration such as 90s, 30m, 2h or a number of ms', minDuration);
    filter.min_duration_ms = ms;
  }
  const range = readRange(query, now, calendar);
  if (range.since !== null) filter.since = range.since;
  if (range.until !== null) filter.until = range.until;
  const explicitTime = range.name !== null || query.string('since') !== undefined || query.string('until') !== undefined;
  if (options.recentByDefault && !all && !explicitTime) filter.active_since = now - DEFAULT_ACTIVE_WINDOW_MS;
  return { filter, calendar, range };
}

function readRange(query: QueryReader, now: number, calendar: ZoneCalendar): ParsedFilter['range'] {
  const name = query.string('range', 16);
  const since = instantParam(query, 'since', now, calendar);
  const until = instantParam(query, 'until', now, calendar);
  if (name !== undefined) {
    if (!(RANGE_NAMES as readonly string[]).includes(name)) throw badQuery('range', `must be one of ${RANGE_NAMES.join(', ')}`, name);
    if (since !== null || until !== null) throw badQuery('range', 'cannot be combined with since or until');
    return { name: name as RangeName, ...resolveRange(name as RangeName, now, calendar) };
  }
  if (since !== null && until !== null && until <= since) throw badQuery('until', 'must be later than since', query.string('until'));
  return { name: null, since, until };
}

function instantParam(query: QueryReader, name: 'since' | 'until', now: number, calendar: ZoneCalendar): number | null {
  const text = query.string(name, 64);
  if (text === undefined) return null;
  const ts = parseInstant(text, now, calendar);
  if (ts === null) throw badQuery(name, 'must be a date (2026-11-21), an ISO date-time, epoch ms, or a duration ago (2h, 7d)', text);
  return ts;
}

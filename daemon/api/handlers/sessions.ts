/**
 * Read routes for sessions: the list, one session by id or unique prefix, and
 * one session's event timeline.
 */
import {
  DossierError,
  EVENT_KINDS,
  LIMITS,
  SOURCES,
  type SessionEventsResponse,
  type SessionListResponse,
  type SessionRecord,
  type SessionResponse,
  type TimelineEvent,
} from '../../../schema/index.js';
import { summarizeEvent } from '../../../core/query/event-summary.js';
import type { ApiDeps } from '../deps.js';
import { SESSION_SORTS } from '../../../core/query/session-list.js';
import { QueryReader, badQuery, expectNoQuery } from '../query.js';
import { FILTER_PARAMS, readFilterParams } from './filter-params.js';
import type { RequestContext, RouteResult } from '../router.js';


/** Page sizes: default and maximum. */
export const SESSION_PAGE = { fallback: 50, max: 1000 } as const;
export const EVENT_PAGE = { fallback: 1000, max: LIMITS.maxEventsPerRequest } as const;

/** Most candidates named in an ambiguous-prefix error. */
const MAX_CANDIDATES_SHOWN = 10;

/**
 * `GET /v1/sessions`: every filter of {@link FILTER_PARAMS} (combined with
 * AND), `sort` (activity, start, duration, tokens, cost), `order` (asc or
 * desc, default desc), `limit`, `cursor`.
 */
export function listSessions(deps: ApiDeps, ctx: RequestContext): RouteResult {
  const query = new QueryReader(ctx.query, [...FILTER_PARAMS, 'cursor', 'limit', 'order', 'sort']);
  const { filter } = readFilterParams(query, deps.now(), { recentByDefault: true });
  const sort = query.list('sort', SESSION_SORTS);
  if (sort && sort.length > 1) throw badQuery('sort', 'takes one order', sort.join(','));
  const order = query.list('order', ['asc', 'desc'] as const);
  if (order && order.length > 1) throw badQuery('order', 'is asc or desc', order.join(','));
  const limit = query.integer('limit', { min: 1, ...SESSION_PAGE });
  const cursor = query.string('cursor');
  const page = deps.reader.listSessions({
    ...filter,
    sort: sort?.[0] ?? 'activity',
    order: order?.[0] ?? 'desc',
    limit,
    ...(cursor ? { cursor } : {}),
  });
  const body: SessionListResponse = { sessions: page.sessions, next_cursor: page.next_cursor };
  return { status: 200, body };
}

/** `GET /v1/sessions/{id}`: full id or unique prefix; 409 when ambiguous, 404 when unknown. */
export function getSession(deps: ApiDeps, ctx: RequestContext): RouteResult {
  expectNoQuery(ctx.query);
  const body: SessionResponse = { session: resolveSession(deps, ctx.params.id) };
  const usage = deps.processUsage?.(body.session.session_id);
  if (usage !== undefined) body.process_usage = usage;
  return { status: 200, body };
}

/**
 * `GET /v1/sessions/{id}/events`: filters `kind`, `source` (comma lists),
 * `limit`, `cursor`; every event gets a one-line `summary`; `attrs=false`
 * leaves the stored attributes out.
 */
export function listSessionEvents(deps: ApiDeps, ctx: RequestContext): RouteResult {
  const query = new QueryReader(ctx.query, ['attrs', 'cursor', 'kind', 'limit', 'source']);
  const withAttrs = query.optionalFlag('attrs') ?? true;
  const kinds = query.list('kind', EVENT_KINDS);
  const sources = query.list('source', SOURCES);
  const limit = query.integer('limit', { min: 1, ...EVENT_PAGE });
  const cursor = query.string('cursor');
  const session = resolveSession(deps, ctx.params.id);
  const page = deps.reader.listEvents(session.session_id, {
    limit,
    ...(kinds ? { kinds } : {}),
    ...(sources ? { sources } : {}),
    ...(cursor ? { cursor } : {}),
  });
  const events = page.events.map((event): TimelineEvent => {
    const summary = summarizeEvent(event);
    if (withAttrs) return { ...event, summary };
    const { attrs: _attrs, ...rest } = event;
    return { ...rest, summary } as TimelineEvent;
  });
  const body: SessionEventsResponse = { session_id: session.session_id, events, next_cursor: page.next_cursor };
  return { status: 200, body };
}

/** The session with this id or unique prefix; 404 when unknown, 409 naming the candidates when ambiguous. */
export function resolveSession(deps: ApiDeps, id: string | undefined): SessionRecord {
  if (id === undefined || id.length > LIMITS.maxIdLength) {
    throw new DossierError('DOSSIER_E_API_BAD_REQUEST', `session id must be 1 to ${LIMITS.maxIdLength} characters`);
  }
  const found = deps.reader.findSession(id);
  if (found === null) throw new DossierError('DOSSIER_E_SESSION_NOT_FOUND', JSON.stringify(id));
  if ('ambiguous' in found) {
    const shown = found.ambiguous.slice(0, MAX_CANDIDATES_SHOWN);
    const more = found.ambiguous.length > shown.length ? `, and ${found.ambiguous.length - shown.length} more` : '';
    throw new DossierError('DOSSIER_E_SESSION_AMBIGUOUS', `${JSON.stringify(id)} matches ${shown.join(', ')}${more}`);
  }
  return found.session;
}

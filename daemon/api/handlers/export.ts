/**
 * `GET /v1/export`: one session (`session=<id or unique prefix>`) or the
 * sessions the shared filters keep, as JSON, a Markdown report or CSV.
 * One session's JSON and Markdown include what it did (tools, files,
 * subagents, timeline), read from its events.
 */
import type { ExportManyResponse, ExportOneResponse, SessionRecord, StoredEvent } from '../../../schema/index.js';
import { LIMITS } from '../../../schema/index.js';
import { sessionMarkdown, sessionsCsv, sessionsMarkdown } from '../../../core/query/export-formats.js';
import { buildSessionReport } from '../../../core/query/session-report.js';
import type { ApiDeps } from '../deps.js';
import { badQuery, QueryReader } from '../query.js';
import type { RequestContext, RouteResult } from '../router.js';
import { FILTER_PARAMS, readFilterParams } from './filter-params.js';
import { resolveSession } from './sessions.js';

/** Export formats. */
export const EXPORT_FORMATS = ['json', 'markdown', 'csv'] as const;
/** Sessions in one set export: default and most. */
export const EXPORT_LIMIT = { fallback: 1_000, max: 10_000 } as const;
/** Most events read for one session's report. */
export const REPORT_MAX_EVENTS = 100_000;
const EVENT_PAGE = 10_000;

const CONTENT_TYPES = { markdown: 'text/markdown; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

/** `GET /v1/export`: `format` (json, markdown, csv), `session`, or the shared filters and `limit`. */
export function exportSessions(deps: ApiDeps, ctx: RequestContext): RouteResult {
  const query = new QueryReader(ctx.query, [...FILTER_PARAMS, 'format', 'limit', 'session']);
  const formats = query.list('format', EXPORT_FORMATS);
  if (formats && formats.length > 1) throw badQuery('format', 'takes one format', formats.join(','));
  const format = formats?.[0] ?? 'json';
  const sessionId = query.string('session', LIMITS.maxIdLength);
  if (sessionId !== undefined) {
    const other = [...ctx.query.keys()].find((name) => name !== 'session' && name !== 'format');
    if (other !== undefined) throw badQuery(other, 'cannot be combined with session');
    return exportOne(deps, resolveSession(deps, sessionId), format);
  }
  const { filter } = readFilterParams(query, deps.now(), { recentByDefault: true });
  const limit = query.integer('limit', { min: 1, ...EXPORT_LIMIT });
  const sessions: SessionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = deps.reader.listSessions({ ...filter, limit: Math.min(1_000, limit - sessions.length), ...(cursor ? { cursor } : {}) });
    sessions.push(...page.sessions);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined && sessions.length < limit);
  if (format === 'csv') return { status: 200, body: null, text: sessionsCsv(sessions), headers: textHeaders('csv', 'sessions') };
  if (format === 'markdown') return { status: 200, body: null, text: sessionsMarkdown(sessions), headers: textHeaders('markdown', 'sessions') };
  const body: ExportManyResponse = { sessions, truncated: cursor !== undefined };
  return { status: 200, body };
}

function exportOne(deps: ApiDeps, session: SessionRecord, format: (typeof EXPORT_FORMATS)[number]): RouteResult {
  const name = `session-${session.session_id.slice(0, 8)}`;
  if (format === 'csv') return { status: 200, body: null, text: sessionsCsv([session]), headers: textHeaders('csv', name) };
  const events: StoredEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = deps.reader.listEvents(session.session_id, { limit: EVENT_PAGE, ...(cursor ? { cursor } : {}) });
    events.push(...page.events);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined && events.length < REPORT_MAX_EVENTS);
  const report = buildSessionReport(session, events, cursor !== undefined);
  if (format === 'markdown') return { status: 200, body: null, text: sessionMarkdown(session, report), headers: textHeaders('markdown', name) };
  const body: ExportOneResponse = { session, report };
  return { status: 200, body };
}

function textHeaders(format: 'markdown' | 'csv', name: string): Record<string, string> {
  const extension = format === 'markdown' ? 'md' : 'csv';
  return { 'content-type': CONTENT_TYPES[format], 'content-disposition': `attachment; filename="${name}.${extension}"` };
}

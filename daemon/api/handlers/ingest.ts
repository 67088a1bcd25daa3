/**
 * `POST /v1/events`: a batch of normalized events from outside the daemon
 * (scripts, replays, the hook spool). The batch is validated as a whole and
 * accepted or rejected as a whole; the reply is sent only after commit.
 */
import {
  DossierError,
  LIMITS,
  validateEvent,
  type NormalizedEvent,
  type PostEventsResponse,
} from '../../../schema/index.js';
import type { ApiDeps } from '../deps.js';
import { expectNoQuery } from '../query.js';
import type { RequestContext, RouteResult } from '../router.js';

/**
 * Validates the body as `{ events: [...] }`. Throws `DOSSIER_E_API_BAD_REQUEST`
 * for the wrong envelope, `DOSSIER_E_API_BODY_TOO_LARGE` for too many events
 * and `DOSSIER_E_EVENT_INVALID` naming `events[i].path: reason (got value)`
 * for the first invalid event.
 */
export function parseEventBatch(body: unknown): NormalizedEvent[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new DossierError('DOSSIER_E_API_BAD_REQUEST', 'body must be a JSON object { "events": [...] }');
  }
  const unknownKeys = Object.keys(body).filter((key) => key !== 'events');
  if (unknownKeys.length > 0) {
    throw new DossierError('DOSSIER_E_API_BAD_REQUEST', `unknown field ${JSON.stringify(unknownKeys[0])}; the body is { "events": [...] }`);
  }
  const candidates = (body as { events?: unknown }).events;
  if (!Array.isArray(candidates)) {
    throw new DossierError('DOSSIER_E_API_BAD_REQUEST', 'events: must be an array');
  }
  if (candidates.length > LIMITS.maxEventsPerRequest) {
    throw new DossierError(
      'DOSSIER_E_API_BODY_TOO_LARGE',
      `at most ${LIMITS.maxEventsPerRequest} events per request (got ${candidates.length})`,
    );
  }
  return candidates.map((candidate, i) => {
    const checked = validateEvent(candidate);
    if (!checked.ok) throw new DossierError('DOSSIER_E_EVENT_INVALID', prefixPath(i, checked.error));
    return checked.event;
  });
}

/** Handles `POST /v1/events`; pipeline refusals (queue full, stopping) pass through as retryable 503s. */
export async function postEvents(deps: ApiDeps, ctx: RequestContext): Promise<RouteResult> {
  expectNoQuery(ctx.query);
  let events: NormalizedEvent[];
  try {
    events = parseEventBatch(ctx.body);
  } catch (error) {
    deps.counters.inc('api.batches_rejected');
    throw error;
  }
  if (events.length === 0) {
    const empty: PostEventsResponse = { received: 0, inserted: 0, duplicates: 0 };
    return { status: 200, body: empty };
  }
  const result = await deps.sink.submit({ events });
  const body: PostEventsResponse = { received: events.length, inserted: result.inserted, duplicates: result.duplicates };
  return { status: 200, body };
}

/** `event: …` (a problem with the event as a whole) becomes `events[i]: …`; `a.b: …` becomes `events[i].a.b: …`. */
function prefixPath(index: number, error: string): string {
  return error.startsWith('event:') ? `events[${index}]${error.slice('event'.length)}` : `events[${index}].${error}`;
}

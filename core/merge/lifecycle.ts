/**
 * Rule 4 of the merge: the session's lifecycle (start, end, revival) and its
 * status, folded over the events in their total order.
 */
import type { NormalizedEvent, SessionRecord, SessionStatus, Source } from '../../schema/index.js';
import { statusEffect } from './status.js';

/** End reasons written by dossier's liveness checks rather than by the agent. */
export const LIVENESS_END_REASONS: ReadonlySet<string> = new Set(['process_exit', 'inactivity']);

/** The lifecycle part of a session record, with the source behind each provenanced field. */
export interface Lifecycle
  extends Pick<
    SessionRecord,
    | 'first_started_at'
    | 'last_started_at'
    | 'first_ended_at'
    | 'last_ended_at'
    | 'last_activity'
    | 'revival_count'
    | 'status'
    | 'status_updated_at'
    | 'end_reason'
  > {
  provenance: {
    first_started_at: Source | null;
    last_activity: Source | null;
    status: Source | null;
    end_reason: Source | null;
  };
}

/**
 * Folds the lifecycle. `sorted` must come from `sortEvents`.
 *
 * - The first event (other than `process.seen`/`git.context`, which the
 *   daemon writes about a session, not the session itself) starts the session.
 * - `session.ended` ends it. A further end while ended changes nothing, so a
 *   liveness `process_exit` after the agent's own SessionEnd keeps the
 *   agent's reason.
 * - While ended, an event revives the session only if it is a
 *   `session.started` (not `compact`), or new work (a prompt, a tool call, an
 *   API request, a subagent start; see `REVIVING_KINDS`) with `ts` strictly
 *   greater than the end's `ts`. Events sharing the
 *   end's millisecond are the tail of the run that just ended, and metric
 *   points are exporter flushes (the final one comes after SessionEnd), so
 *   neither revives. Because the fold walks a total order, this is
 *   order-independent.
 * - A revival adds 1 to `revival_count`, moves `last_started_at`, clears
 *   `end_reason`; `first_started_at` and `first_ended_at` never move.
 * - `last_activity` is the latest `ts` of any event except liveness ends,
 *   `process.seen` and `git.context`.
 * - Status starts `idle`; `status_updated_at` is the `ts` of the event that
 *   set the current value (a repeat of the same status does not move it).
 */
export function foldLifecycle(sorted: readonly NormalizedEvent[]): Lifecycle {
  const out: Lifecycle = {
    first_started_at: null,
    last_started_at: null,
    first_ended_at: null,
    last_ended_at: null,
    last_activity: null,
    revival_count: 0,
    status: 'idle',
    status_updated_at: null,
    end_reason: null,
    provenance: { first_started_at: null, last_activity: null, status: null, end_reason: null },
  };
  let ended = false;
  let endTs = 0;
  const setStatus = (status: SessionStatus, e: NormalizedEvent): void => {
    if (out.status === status && out.status_updated_at !== null) return;
    out.status = status;
    out.status_updated_at = e.ts;
    out.provenance.status = e.source;
  };

  for (const e of sorted) {
    if (e.kind === 'process.seen' || e.kind === 'git.context') continue;
    const isLivenessEnd = e.kind === 'session.ended' && LIVENESS_END_REASONS.has(e.attrs.reason);
    if (!isLivenessEnd) {
      out.last_activity = e.ts;
      out.provenance.last_activity = e.source;
    }
    if (out.first_started_at === null) {
      out.first_started_at = e.ts;
      out.last_started_at = e.ts;
      out.provenance.first_started_at = e.source;
    }
    const effect = statusEffect(e);
    if (ended) {
      if (!revives(e, effect, endTs)) continue;
      ended = false;
      out.revival_count += 1;
      out.last_started_at = e.ts;
      out.end_reason = null;
      out.provenance.end_reason = null;
    }
    if (e.kind === 'session.ended') {
      ended = true;
      endTs = e.ts;
      out.first_ended_at ??= e.ts;
      out.last_ended_at = e.ts;
      out.end_reason = e.attrs.reason;
      out.provenance.end_reason = e.source;
      setStatus('ended', e);
    } else if (effect === 'activity') {
      if (out.status === 'waiting' || out.status === 'ended') setStatus('busy', e);
    } else if (effect !== 'none') {
      setStatus(effect, e);
    }
  }
  return out;
}

/**
 * Kinds that mean the agent is working again. Only these revive an ended
 * session: the hooks and exporters of a run that just ended keep landing for a
 * while (StopFailure and Stop hooks race SessionEnd, titles are written at
 * exit, OTel flushes), and none of them is the agent doing new work.
 */
const REVIVING_KINDS: ReadonlySet<NormalizedEvent['kind']> = new Set([
  'prompt.submitted',
  'tool.called',
  'api.request',
  'subagent.started',
]);

function revives(e: NormalizedEvent, effect: ReturnType<typeof statusEffect>, endTs: number): boolean {
  if (e.kind === 'session.ended' || effect === 'none') return false;
  if (e.kind === 'session.started' && e.attrs.start_source !== 'compact') return true;
  return REVIVING_KINDS.has(e.kind) && e.ts > endTs;
}

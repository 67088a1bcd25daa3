/**
 * Rule 5 of the merge: what each event says about the agent's status. The
 * lifecycle fold applies these effects in event order; the latest effect
 * that changes the status wins.
 */
import type { NormalizedEvent, SessionStatus } from '../../schema/index.js';

/**
 * An event's effect on status: set it, `activity` (no meaning of its own, but
 * proof the agent is doing something: clears `waiting`), or `none` (says
 * nothing about the agent: enrichment, liveness probes, exporter flushes).
 */
export type StatusEffect = SessionStatus | 'activity' | 'none';

/** Stop reasons that end the agent's turn: the agent is waiting for the user's next prompt. */
const TURN_END_STOP_REASONS: ReadonlySet<string> = new Set(['end_turn', 'stop_sequence', 'max_tokens', 'refusal']);

/**
 * The status effect of one event.
 * - `session.started` → idle, except a compaction restart (`start_source:
 *   compact`), which happens inside a turn and is only activity.
 * - prompts, tools, subagents, compactions → busy.
 * - `api.request` → idle when a main-agent request ends the turn, busy when it
 *   stops for anything else (a tool call); a subagent finishing its own turn
 *   leaves the main agent busy. A request without a stop reason (OTel) only
 *   proves activity: OTel's record of the final request often lands after the
 *   transcript's end_turn line and must not flip the session back to busy.
 * - `api.error` with retries exhausted → idle (the turn failed), else activity.
 * - `status.changed` → its status; `session.ended` → ended.
 * - `metric.point`, `process.seen`, `git.context` → none: they are written by
 *   exporters and the daemon on their own schedule, not by the agent acting.
 */
export function statusEffect(e: NormalizedEvent): StatusEffect {
  switch (e.kind) {
    case 'session.started':
      return e.attrs.start_source === 'compact' ? 'activity' : 'idle';
    case 'prompt.submitted':
    case 'tool.called':
    case 'tool.finished':
    case 'subagent.started':
    case 'subagent.finished':
    case 'compaction':
      return 'busy';
    case 'api.request': {
      const stop = e.attrs.stop_reason;
      if (stop === undefined) return 'activity';
      return e.agent_id === null && TURN_END_STOP_REASONS.has(stop) ? 'idle' : 'busy';
    }
    case 'api.error':
      return e.attrs.retries_exhausted === true ? 'idle' : 'activity';
    case 'status.changed':
      return e.attrs.status;
    case 'session.ended':
      return 'ended';
    case 'session.activity':
    case 'title.set':
    case 'task.changed':
    case 'github.ref':
      return 'activity';
    case 'metric.point':
    case 'process.seen':
    case 'git.context':
      return 'none';
  }
}

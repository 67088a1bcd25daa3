/**
 * Rule 6 and the "sources" part of rule 7: what kinds of evidence a session
 * has (events per source, transcript availability, framework) and whether it
 * is a throw-away id that should stay hidden.
 */
import type { Framework, NormalizedEvent } from '../../schema/index.js';

/** Why a session with no agent activity is hidden. */
export const HIDDEN_NO_AGENT_ACTIVITY = 'no_agent_activity';

/** Evidence counts and classification of one session. */
export interface Inventory {
  framework: Framework;
  n_transcript_events: number;
  n_otel_events: number;
  n_hook_events: number;
  n_events: number;
  transcript_available: boolean;
  hidden: boolean;
  hidden_reason: string | null;
}

/**
 * Takes stock of a session's events. `sorted` must come from `sortEvents`
 * (so each dedupe key is counted once) and be non-empty.
 * - `framework`: the most common among the events; a tie goes to the
 *   framework of the earliest event.
 * - `hidden`: no prompt, no API request, no tool event, no transcript event
 *   and no hook event. That is the signature of the throw-away `session.id`
 *   that `-p --continue` gives its start-up telemetry (only metric points and
 *   activity records); real sessions always have at least one of these.
 */
export function takeInventory(sorted: readonly NormalizedEvent[]): Inventory {
  const frameworks = new Map<Framework, number>();
  let transcript = 0;
  let otel = 0;
  let hook = 0;
  let agentWork = false;
  // Counted in runs (a session rarely changes framework), so the map is touched per run, not per event.
  let runFramework = sorted[0]!.framework;
  let runLength = 0;
  for (const e of sorted) {
    if (e.framework === runFramework) runLength += 1;
    else {
      frameworks.set(runFramework, (frameworks.get(runFramework) ?? 0) + runLength);
      runFramework = e.framework;
      runLength = 1;
    }
    if (e.source === 'transcript') transcript += 1;
    else if (e.source === 'otel') otel += 1;
    else if (e.source === 'hook') hook += 1;
    if (e.kind === 'prompt.submitted' || e.kind === 'api.request' || e.kind === 'tool.called' || e.kind === 'tool.finished') {
      agentWork = true;
    }
  }
  frameworks.set(runFramework, (frameworks.get(runFramework) ?? 0) + runLength);
  // Map iteration follows first appearance in sorted order, so `>` keeps the earliest on a tie.
  let framework = sorted[0]!.framework;
  let best = 0;
  for (const [name, n] of frameworks) {
    if (n > best) {
      framework = name;
      best = n;
    }
  }
  const hidden = !agentWork && transcript === 0 && hook === 0;
  return {
    framework,
    n_transcript_events: transcript,
    n_otel_events: otel,
    n_hook_events: hook,
    n_events: sorted.length,
    transcript_available: transcript > 0,
    hidden,
    hidden_reason: hidden ? HIDDEN_NO_AGENT_ACTIVITY : null,
  };
}

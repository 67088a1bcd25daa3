/**
 * The daemon's intake of one hook call, shared by every door it arrives
 * through: `POST /v1/hooks/{framework}` on the socket (the forwarder) and on
 * the loopback HTTP door (an agent's own HTTP hooks), and the spool. Maps the
 * payload and submits the events; resolves only after they are committed.
 */
import { DossierError } from '../../schema/errors.js';
import type { NormalizedEvent } from '../../schema/events.js';
import type { Counters } from '../../core/pipeline/counters.js';
import type { EventSink, IngestResult } from '../../core/pipeline/sink.js';
import type { HookMeta } from './builder.js';
import { DEFAULT_CLAUDE_HOOK_OPTIONS, mapClaudeHook, type ClaudeHookOptions } from './claude-map.js';
import type { ForwardedMeta } from './wire.js';

/** Frameworks with a hook mapping, as they appear in the route (`/v1/hooks/claude_code`). */
export const HOOK_FRAMEWORKS: readonly string[] = ['claude_code'];

/** What the intake needs from the daemon. */
export interface HookIntake {
  sink: EventSink;
  counters: Counters;
  now: () => number;
  options?: ClaudeHookOptions;
}

/**
 * The events of one hook call. `forwarded` is what `dossier hook` sent beside
 * the payload; without it (an agent's own HTTP hook) the call fired when it
 * was received. Throws `DOSSIER_E_API_NOT_FOUND` for a framework without a
 * mapping and `DOSSIER_E_API_BAD_REQUEST` for a payload the mapping refuses;
 * counts what it saw as `hooks.*`.
 */
export function hookCallEvents(
  intake: Pick<HookIntake, 'counters' | 'options'>,
  framework: string,
  payload: unknown,
  forwarded: ForwardedMeta | undefined,
  receivedAt: number,
): NormalizedEvent[] {
  const { counters } = intake;
  counters.inc('hooks.calls');
  if (!HOOK_FRAMEWORKS.includes(framework)) {
    counters.inc('hooks.calls_refused');
    throw new DossierError('DOSSIER_E_API_NOT_FOUND', `no hook mapping for framework ${JSON.stringify(framework)} (known: ${HOOK_FRAMEWORKS.join(', ')})`);
  }
  const meta: HookMeta = forwarded ? { ...forwarded, received_at: receivedAt } : { fired_at: receivedAt, received_at: receivedAt };
  const result = mapClaudeHook(payload, meta, intake.options ?? DEFAULT_CLAUDE_HOOK_OPTIONS);
  if (!result.ok) {
    counters.inc('hooks.calls_refused');
    throw new DossierError('DOSSIER_E_API_BAD_REQUEST', `hook payload: ${result.error}`);
  }
  if (!result.known) counters.inc('hooks.unknown_events');
  if (result.fork_parent) counters.inc('hooks.fork_parent_calls');
  if (forwarded?.pid === undefined && forwarded !== undefined) counters.inc('hooks.agent_process_unknown');
  return result.events;
}

/** Maps one call and submits it; resolves after commit. Sink refusals (queue full, stopping) pass through. */
export async function receiveHookCall(
  intake: HookIntake,
  framework: string,
  payload: unknown,
  forwarded: ForwardedMeta | undefined,
): Promise<IngestResult> {
  const events = hookCallEvents(intake, framework, payload, forwarded, intake.now());
  if (events.length === 0) return { received: 0, inserted: 0, duplicates: 0 };
  return intake.sink.submit({ events });
}

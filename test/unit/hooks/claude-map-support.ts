/**
 * Helpers shared by the Claude Code hook mapping tests: map captured or
 * hand-made calls to events, and project those events into a session record
 * through the real merge.
 */
import { projectSession } from '../../../core/merge/index.js';
import { mapClaudeHook } from '../../../collectors/hooks/claude-map.js';
import type { HookMeta } from '../../../collectors/hooks/builder.js';
import type { NormalizedEvent, SessionRecord } from '../../../schema/index.js';
import type { CapturedHook } from './fixture-hooks.js';

/** A command hook's process facts, for calls that should name a known process. */
export const PROCESS = { pid: 4242, process_start: 1_790_000_000_000 };

/** Hook metadata for a call fired at `firedAt`, received 3 ms later, plus `extra`. */
export function metaAt(firedAt: number, extra: Partial<HookMeta> = {}): HookMeta {
  return { fired_at: firedAt, received_at: firedAt + 3, ...extra };
}

/** The events one call maps to; throws (failing the test) when the mapping refuses it. */
export function mapCall(call: CapturedHook, extra: Partial<HookMeta> = {}): NormalizedEvent[] {
  const result = mapClaudeHook(call.payload, metaAt(call.firedAt, extra));
  if (!result.ok) throw new Error(`refused ${call.eventName}: ${result.error}`);
  return result.events;
}

/** The events of every call, in call order. */
export function eventsOf(calls: readonly CapturedHook[], extra: Partial<HookMeta> = {}): NormalizedEvent[] {
  return calls.flatMap((call) => mapCall(call, extra));
}

/** The record the merge projects from the events of `session` alone. */
export function record(events: readonly NormalizedEvent[], session: string): SessionRecord {
  return projectSession(
    events.filter((e) => e.session_id === session),
    { machine_id: 'test-machine' },
  );
}

/** A hand-made payload as a command-hook call fired at `firedAt`. */
export function call(payload: Record<string, unknown>, firedAt: number): CapturedHook {
  return { firedAt, via: 'command', eventName: String(payload.hook_event_name), payload, body: JSON.stringify(payload) };
}

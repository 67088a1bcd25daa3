/**
 * Claude Code hook payload → normalized events: a pure function of the
 * payload and what the forwarder/door knew about the call (no clock, no I/O).
 * Every hook event observed on 2.1.197 has a mapping (FORMATS.md Part 1
 * "Hooks", Part 2 §2.3); an unknown event is kept as proof of life under its
 * own name and reported as unknown so the caller can count it.
 */
import type { NormalizedEvent } from '../../schema/events.js';
import { HookEventBuilder, type HookEvents, type HookMeta } from './builder.js';
import { forkLineage, sessionEnd, sessionStart, setup } from './claude-lifecycle.js';
import { permissionDenied, postToolBatch, postToolUse, postToolUseFailure, preToolUse } from './claude-tools.js';
import {
  activity,
  cwdChanged,
  messageDisplay,
  notification,
  permissionRequest,
  postCompact,
  preCompact,
  stop,
  stopFailure,
  subagentStart,
  subagentStop,
  taskChanged,
  userPromptSubmit,
  type ClaudeHookOptions,
} from './claude-turn.js';
import { HookPayload } from './payload.js';

export type { ClaudeHookOptions } from './claude-turn.js';

/** What one hook call became. */
export type HookMapResult =
  | {
      ok: true;
      /** `hook_event_name` as sent (cut to 64 chars). */
      event_name: string;
      /** False for hook events this mapping does not know (kept as `session.activity`). */
      known: boolean;
      /**
       * True when the call was a fork-session process reporting its parent's
       * id (see claude-lifecycle.ts); its events are dropped on purpose.
       */
      fork_parent: boolean;
      events: NormalizedEvent[];
    }
  | { ok: false; error: string };

type Handler = (p: HookPayload, b: HookEventBuilder, options: ClaudeHookOptions) => HookEvents;

const HANDLERS: Readonly<Record<string, Handler>> = {
  CwdChanged: cwdChanged,
  FileChanged: activity,
  InstructionsLoaded: activity,
  MessageDisplay: messageDisplay,
  Notification: notification,
  PermissionDenied: permissionDenied,
  PermissionRequest: permissionRequest,
  PostCompact: postCompact,
  PostToolBatch: postToolBatch,
  PostToolUse: postToolUse,
  PostToolUseFailure: postToolUseFailure,
  PreCompact: preCompact,
  PreToolUse: preToolUse,
  SessionEnd: sessionEnd,
  SessionStart: sessionStart,
  Setup: setup,
  Stop: stop,
  StopFailure: stopFailure,
  SubagentStart: subagentStart,
  SubagentStop: subagentStop,
  TaskCompleted: taskChanged('completed'),
  TaskCreated: taskChanged('created'),
  UserPromptSubmit: userPromptSubmit,
};

/** Hook events with a dedicated mapping (everything else is kept as proof of life). */
export const KNOWN_CLAUDE_HOOK_EVENTS: readonly string[] = Object.keys(HANDLERS);

/** The mapping's defaults: prompt text is kept (it is what `first_user_message` shows). */
export const DEFAULT_CLAUDE_HOOK_OPTIONS: ClaudeHookOptions = { includePromptText: true };

/**
 * Maps one Claude Code hook payload (parsed JSON) to events. Refuses (ok:
 * false) a payload that is not an object or has no usable `session_id`;
 * never throws.
 */
export function mapClaudeHook(
  value: unknown,
  meta: HookMeta,
  options: ClaudeHookOptions = DEFAULT_CLAUDE_HOOK_OPTIONS,
): HookMapResult {
  const payload = HookPayload.of(value);
  if (!payload) return { ok: false, error: 'payload must be a JSON object' };
  const sessionId = payload.id('session_id');
  if (sessionId === undefined) return { ok: false, error: 'session_id: missing or not an id' };
  const eventName = payload.short('hook_event_name', 64) ?? 'unnamed';
  const handler = HANDLERS[eventName];
  const known = handler !== undefined;
  if (meta.fork?.role === 'parent') return { ok: true, event_name: eventName, known, fork_parent: true, events: [] };
  const builder = new HookEventBuilder(payload, sessionId, eventName, meta);
  const events = [...forkLineage(builder), ...(handler ?? activity)(payload, builder, options)];
  return { ok: true, event_name: eventName, known, fork_parent: false, events };
}

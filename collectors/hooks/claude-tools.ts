/**
 * Claude Code tool hook events → `tool.called` / `tool.finished`. Keys are
 * the tool_use_id plus what happened (`tc` called, `tf` finished), not the
 * hook event name, so the same call seen by PreToolUse and again inside a
 * PostToolBatch is one event, and a tool is counted once however many of its
 * hooks the user configured.
 */
import { LIMITS } from '../../schema/limits.js';
import type { HookEventBuilder, HookEvents, OwnAttrs } from './builder.js';
import { cutText, type HookPayload } from './payload.js';

/** Longest `input_summary` kept: enough to recognise the call, never a file's content. */
const SUMMARY_CHARS = 200;

/** PreToolUse → `tool.called` (the merge reads it as busy). */
export function preToolUse(p: HookPayload, b: HookEventBuilder): HookEvents {
  const called = toolCalled(p, b);
  return called ? [called] : [];
}

/** PostToolUse → `tool.finished` with success. */
export function postToolUse(p: HookPayload, b: HookEventBuilder): HookEvents {
  return toolFinished(p, b, true, undefined);
}

/** PostToolUseFailure → `tool.finished` with the error (Bash errors start `Exit code N`). */
export function postToolUseFailure(p: HookPayload, b: HookEventBuilder): HookEvents {
  const error = p.text('error') ?? (p.bool('is_interrupt') === true ? 'interrupted' : undefined);
  return toolFinished(p, b, false, error);
}

/** PermissionDenied (auto mode refused the call) → `tool.finished` failed with the reason. */
export function permissionDenied(p: HookPayload, b: HookEventBuilder): HookEvents {
  return toolFinished(p, b, false, p.text('reason') ?? 'permission denied');
}

/**
 * PostToolBatch → one `tool.called` per call of the batch. They share keys
 * with PreToolUse's, so they only add calls whose PreToolUse was not seen.
 */
export function postToolBatch(p: HookPayload, b: HookEventBuilder): HookEvents {
  const events: HookEvents = [];
  for (const call of p.objects('tool_calls')) {
    const called = toolCalled(call, b);
    if (called) events.push(called);
  }
  if (events.length === 0) events.push(b.make('session.activity', b.callKey('act'), { name: 'PostToolBatch' }));
  return events;
}

function toolCalled(p: HookPayload, b: HookEventBuilder): HookEvents[number] | undefined {
  const name = p.short('tool_name', 256);
  if (name === undefined) return undefined;
  const id = p.id('tool_use_id');
  const attrs: OwnAttrs<'tool.called'> = { tool_name: name, ...describeInput(p.object('tool_input')) };
  if (id !== undefined) attrs.tool_use_id = id;
  return b.make('tool.called', id !== undefined ? `h:tc:${id}` : b.callKey(`tc:${name}`), attrs);
}

function toolFinished(p: HookPayload, b: HookEventBuilder, success: boolean, error: string | undefined): HookEvents {
  const id = p.id('tool_use_id');
  const name = p.short('tool_name', 256);
  const attrs: OwnAttrs<'tool.finished'> = { success };
  if (id !== undefined) attrs.tool_use_id = id;
  if (name !== undefined) attrs.tool_name = name;
  if (error !== undefined) attrs.error = error;
  const duration = p.count('duration_ms');
  if (duration !== undefined) attrs.duration_ms = duration;
  return [b.make('tool.finished', id !== undefined ? `h:tf:${id}` : b.callKey('tf'), attrs)];
}

type InputFacts = Partial<Pick<OwnAttrs<'tool.called'>, 'file_path' | 'command' | 'input_summary'>>;

/** The few input fields worth keeping: what file, what command, and a one-line description. */
function describeInput(input: HookPayload | undefined): InputFacts {
  if (!input) return {};
  const out: InputFacts = {};
  const file = input.text('file_path') ?? input.text('notebook_path') ?? input.text('path');
  if (file !== undefined) out.file_path = file;
  const command = input.text('command');
  if (command !== undefined) out.command = command;
  const summary = cutText(input.raw.description) ?? cutText(input.raw.pattern) ?? cutText(input.raw.url) ?? cutText(input.raw.subject);
  if (summary !== undefined) out.input_summary = summary.slice(0, Math.min(SUMMARY_CHARS, LIMITS.maxTextLength));
  return out;
}

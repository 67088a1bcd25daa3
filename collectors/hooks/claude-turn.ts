/**
 * Claude Code hooks inside a turn: prompts, stops, permission and
 * notification prompts, subagents, compaction, cwd changes, tasks. Each maps
 * to the events the merge folds into status and counts; see
 * `core/merge/status.ts` for what each kind means for status.
 */
import type { HookEventBuilder, HookEvents, OwnAttrs } from './builder.js';
import type { HookPayload } from './payload.js';
import { LIMITS } from '../../schema/limits.js';

/** Options that change what the hook mapping keeps. */
export interface ClaudeHookOptions {
  /** Keep the prompt's text (it feeds first/last user message); its length is always kept. */
  includePromptText: boolean;
}

/** UserPromptSubmit → `prompt.submitted`, joined across sources by `prompt_id`. */
export function userPromptSubmit(p: HookPayload, b: HookEventBuilder, options: ClaudeHookOptions): HookEvents {
  const promptId = p.id('prompt_id');
  const attrs: OwnAttrs<'prompt.submitted'> = {};
  if (promptId !== undefined) attrs.prompt_id = promptId;
  const raw = p.raw.prompt;
  if (typeof raw === 'string') {
    attrs.length = raw.length;
    const text = p.text('prompt');
    if (options.includePromptText && text !== undefined) attrs.text = text;
    const command = /^\/([A-Za-z0-9][\w:.-]{0,254})(?:\s|$)/.exec(raw);
    if (command) attrs.command = `/${command[1]}`;
  }
  return [b.make('prompt.submitted', promptId !== undefined ? `h:prompt:${promptId}` : b.callKey('prompt'), attrs)];
}

/** Stop → idle: the turn finished and the agent waits for the next prompt. */
export function stop(_p: HookPayload, b: HookEventBuilder): HookEvents {
  return [status(b, 'idle', 'stop')];
}

/** StopFailure → an exhausted `api.error` (its `error` is the kind, e.g. `rate_limit`), then idle. */
export function stopFailure(p: HookPayload, b: HookEventBuilder): HookEvents {
  const attrs: OwnAttrs<'api.error'> = { retries_exhausted: true };
  const error = p.text('error') ?? p.text('last_assistant_message');
  if (error !== undefined) attrs.error = error;
  // Keys sort `…:err` before `…:status`, so at the shared timestamp the idle status folds last.
  return [b.make('api.error', b.callKey('err'), attrs), status(b, 'idle', 'stop_failure')];
}

/** PermissionRequest → waiting: a permission dialog is open. */
export function permissionRequest(_p: HookPayload, b: HookEventBuilder): HookEvents {
  return [status(b, 'waiting', 'permission_request')];
}

const WAITING_NOTIFICATIONS = new Set(['permission_prompt', 'elicitation_dialog', 'elicitation_url_dialog', 'agent_needs_input']);

/**
 * Notification → waiting for types that ask the user something, idle for
 * `idle_prompt`, proof of life for the rest. Without a type (older
 * versions) the message text decides.
 */
export function notification(p: HookPayload, b: HookEventBuilder): HookEvents {
  const type = p.short('notification_type', 128);
  const message = p.text('message') ?? '';
  if (type === 'idle_prompt' || (type === undefined && /waiting for your input/i.test(message))) {
    return [status(b, 'idle', 'idle_prompt')];
  }
  if ((type !== undefined && WAITING_NOTIFICATIONS.has(type)) || (type === undefined && /permission/i.test(message))) {
    return [status(b, 'waiting', type ?? 'permission_prompt')];
  }
  return [b.make('session.activity', b.callKey('act'), { name: `Notification:${type ?? 'untyped'}` })];
}

/** SubagentStart → `subagent.started`, on the subagent's own agent id; an untyped (internal) agent is only activity. */
export function subagentStart(p: HookPayload, b: HookEventBuilder): HookEvents {
  if (b.agentId === null) return activity(p, b);
  const attrs: OwnAttrs<'subagent.started'> = {};
  const type = p.short('agent_type', LIMITS.maxNameLength);
  if (type !== undefined) attrs.agent_type = type;
  return [b.make('subagent.started', `h:sa:start:${b.agentId}`, attrs)];
}

/** SubagentStop → `subagent.finished`, on the subagent's own agent id; an untyped (internal) agent is only activity. */
export function subagentStop(p: HookPayload, b: HookEventBuilder): HookEvents {
  if (b.agentId === null) return activity(p, b);
  const attrs: OwnAttrs<'subagent.finished'> = {};
  const type = p.short('agent_type', LIMITS.maxNameLength);
  if (type !== undefined) attrs.agent_type = type;
  return [b.make('subagent.finished', `h:sa:stop:${b.agentId}`, attrs)];
}

/** PreCompact → proof of life; the compaction itself is counted on PostCompact. */
export function preCompact(p: HookPayload, b: HookEventBuilder): HookEvents {
  const trigger = p.short('trigger', 64);
  return [b.make('session.activity', b.callKey('act'), { name: trigger ? `PreCompact:${trigger}` : 'PreCompact' })];
}

/**
 * PostCompact → `compaction`. A manual `/compact` is a whole turn of its own
 * and no Stop follows it, so it also sets idle (the key sorts after the
 * compaction's at the shared timestamp); an auto compaction happens mid-turn.
 */
export function postCompact(p: HookPayload, b: HookEventBuilder): HookEvents {
  const trigger = p.short('trigger', 64);
  const attrs: OwnAttrs<'compaction'> = {};
  if (trigger !== undefined) attrs.trigger = trigger;
  const events: HookEvents = [b.make('compaction', b.callKey('compaction'), attrs)];
  if (trigger === 'manual') events.push(status(b, 'idle', 'compact_done'));
  return events;
}

/** CwdChanged → proof of life carrying the new cwd (the merge's cwd follows the latest event). */
export function cwdChanged(p: HookPayload, b: HookEventBuilder): HookEvents {
  const attrs: OwnAttrs<'session.activity'> = { name: 'CwdChanged' };
  const event = b.make('session.activity', b.callKey('act'), attrs);
  const next = p.text('new_cwd');
  if (next !== undefined) event.attrs.cwd = next;
  return [event];
}

/** TaskCreated / TaskCompleted → `task.changed`. Task ids are per session, so the key names the session. */
export function taskChanged(state: 'created' | 'completed') {
  return (p: HookPayload, b: HookEventBuilder): HookEvents => {
    const taskId = p.id('task_id');
    if (taskId === undefined) return [b.make('session.activity', b.callKey('act'), { name: b.eventName })];
    const attrs: OwnAttrs<'task.changed'> = { task_id: taskId, state };
    const subject = p.text('task_subject');
    if (subject !== undefined) attrs.subject = subject;
    const description = p.text('task_description');
    if (description !== undefined) attrs.description = description;
    return [b.make('task.changed', `h:task:${b.sessionId}:${taskId}:${state}`, attrs)];
  };
}

/**
 * MessageDisplay (assistant text reaching the screen) → proof of life once
 * per finished message; streaming deltas (`final: false`) add nothing.
 */
export function messageDisplay(p: HookPayload, b: HookEventBuilder): HookEvents {
  if (p.bool('final') === false) return [];
  return [b.make('session.activity', b.callKey('act'), { name: 'MessageDisplay' })];
}

/** Proof of life named after the hook event: InstructionsLoaded, FileChanged, and every event this mapping does not know. */
export function activity(_p: HookPayload, b: HookEventBuilder): HookEvents {
  return [b.make('session.activity', b.callKey('act'), { name: b.eventName.slice(0, LIMITS.maxNameLength) })];
}

function status(b: HookEventBuilder, value: 'busy' | 'waiting' | 'idle', reason: string): HookEvents[number] {
  return b.make('status.changed', b.callKey('status'), { status: value, reason: reason.slice(0, 128) });
}

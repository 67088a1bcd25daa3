/**
 * Claude Code spans (traces beta) to activity and timing: an interaction is
 * a busy stretch ending idle, a tool span is a call, its execution span the
 * finish, and time blocked on the user's permission answer is `waiting`.
 * API requests are taken from the `api_request` log records, not from
 * `llm_request` spans, so the two never compete for one request; the span
 * still records the request's timing and which subagent made it.
 */
import type { AttrsOf, NormalizedEvent } from '../../../schema/index.js';
import type { Origin, SpanIn } from '../model.js';
import { makeEvent, scopeOf, type MapResult, type RecordScope } from './emit.js';
import { bool, count, id, nsToMs, put, short, str, text } from './values.js';
import { LIMITS } from '../../../schema/limits.js';

/** Spans of one request by span id, to find a child span's parent tool span. */
export type SpanIndex = Map<string, SpanIn>;

/** Maps one Claude Code span into `result`. */
export function mapSpan(span: SpanIn, origin: Origin, index: SpanIndex, result: MapResult, receivedAt: number): void {
  if (span.oversized) return result.reject('span has an attribute value over the size bound');
  if (span.spanId === '') return result.reject('span has no span id');
  const scope = scopeOf(origin.resource, span.attrs, receivedAt);
  if (scope === 'missing') {
    result.withoutSession++;
    return;
  }
  if (scope === 'invalid') return result.reject('span has an invalid session.id');
  const events = eventsOf(span, scope, index, `o:s:${span.spanId}${span.traceId.slice(0, 8)}`);
  if (events.length === 0) result.ignored++;
  for (const e of events) result.events.push(e);
}

function eventsOf(span: SpanIn, scope: RecordScope, index: SpanIndex, key: string): NormalizedEvent[] {
  const a = span.attrs;
  const startMs = nsToMs(span.startNs);
  const endMs = nsToMs(span.endNs);
  const start = startMs || scope.receivedAt;
  // A span ending before it starts (a broken clock or exporter) is taken as instant, so its
  // end never precedes its start; without a start of its own, its end is kept as sent.
  const end = endMs === 0 ? start : startMs === 0 ? endMs : Math.max(endMs, startMs);
  const agent = id(a.get('agent_id')) ?? null;
  switch (span.name) {
    case 'claude_code.interaction':
      return [
        makeEvent('status.changed', `${key}:b`, scope, null, start, { status: 'busy', reason: 'interaction_started' }),
        makeEvent('status.changed', `${key}:i`, scope, null, end, { status: 'idle', reason: 'interaction_finished' }),
      ];
    case 'claude_code.llm_request': {
      const attrs: AttrsOf<'session.activity'> = { name: 'llm_request' };
      put(attrs, 'request_id', id(a.get('request_id') ?? a.get('gen_ai.response.id')));
      put(attrs, 'model', short(a.get('model'), 128));
      put(attrs, 'duration_ms', count(a.get('duration_ms')));
      put(attrs, 'ttft_ms', count(a.get('ttft_ms')));
      put(attrs, 'attempt', count(a.get('attempt')));
      put(attrs, 'success', bool(a.get('success')));
      return [makeEvent('session.activity', key, scope, agent, end, attrs)];
    }
    case 'claude_code.tool': {
      const attrs: AttrsOf<'tool.called'> = { tool_name: short(a.get('tool_name'), LIMITS.maxNameLength) ?? 'unknown' };
      put(attrs, 'tool_use_id', id(a.get('tool_use_id') ?? a.get('gen_ai.tool.call.id')));
      put(attrs, 'file_path', text(a.get('file_path')));
      put(attrs, 'command', text(a.get('full_command')));
      return [makeEvent('tool.called', key, scope, agent, start, attrs)];
    }
    case 'claude_code.tool.execution': {
      const parent = parentTool(span, index);
      const error = text(a.get('error')) ?? (span.statusCode === 2 ? text(span.statusMessage) : undefined);
      const attrs: AttrsOf<'tool.finished'> = { success: bool(a.get('success')) ?? span.statusCode !== 2 };
      put(attrs, 'tool_use_id', id(a.get('tool_use_id') ?? a.get('gen_ai.tool.call.id')) ?? parent?.toolUseId);
      put(attrs, 'tool_name', parent?.toolName);
      put(attrs, 'error', error);
      put(attrs, 'duration_ms', count(a.get('duration_ms')));
      return [makeEvent('tool.finished', key, scope, parent?.agentId ?? agent, end, attrs)];
    }
    case 'claude_code.tool.blocked_on_user':
      return blockedOnUser(span, scope, index, key, start, end);
    default:
      return [];
  }
}

function blockedOnUser(span: SpanIn, scope: RecordScope, index: SpanIndex, key: string, start: number, end: number): NormalizedEvent[] {
  const source = str(span.attrs.get('source')) ?? 'unknown';
  const parent = parentTool(span, index);
  const agent = parent?.agentId ?? null;
  const events: NormalizedEvent[] = [];
  // Only a `user_*` source means the user was asked; config and hook decisions never wait on anyone.
  if (source.startsWith('user')) {
    events.push(makeEvent('status.changed', `${key}:w`, scope, agent, start, { status: 'waiting', reason: 'permission_prompt' }));
    events.push(makeEvent('status.changed', `${key}:a`, scope, agent, end, { status: 'busy', reason: 'permission_answered' }));
  }
  if (str(span.attrs.get('decision')) === 'reject' && parent?.toolUseId !== undefined) {
    const attrs: AttrsOf<'tool.finished'> = { tool_use_id: parent.toolUseId, success: false, error: `rejected (${short(source, 64)})` };
    put(attrs, 'tool_name', parent.toolName);
    events.push(makeEvent('tool.finished', `${key}:r`, scope, agent, end, attrs));
  }
  return events;
}

interface ParentTool {
  toolUseId: string | undefined;
  toolName: string | undefined;
  agentId: string | null;
}

function parentTool(span: SpanIn, index: SpanIndex): ParentTool | undefined {
  const parent = span.parentSpanId === '' ? undefined : index.get(span.parentSpanId);
  if (parent === undefined || parent.name !== 'claude_code.tool') return undefined;
  const a = parent.attrs;
  return {
    toolUseId: id(a.get('tool_use_id') ?? a.get('gen_ai.tool.call.id')),
    toolName: short(a.get('tool_name'), LIMITS.maxNameLength),
    agentId: id(a.get('agent_id')) ?? null,
  };
}

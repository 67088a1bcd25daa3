/**
 * Claude Code log records (its "events") to normalized events. The event
 * name comes from the body (`claude_code.api_request`) or `event.name`; the
 * dedupe key from the session, `event.sequence` and the record time, so a
 * re-sent record maps to the same key even after a restart.
 */
import { createHash } from 'node:crypto';
import type { AttrsOf, NormalizedEvent } from '../../../schema/index.js';
import type { LogRecordIn, Origin } from '../model.js';
import { makeEvent, scopeOf, type MapResult, type RecordScope } from './emit.js';
import { bool, count, id, jsonObject, nsToMs, num, put, readableNs, short, str, text } from './values.js';
import { LIMITS } from '../../../schema/limits.js';

const PREFIX = 'claude_code.';
const REDACTED = '<REDACTED>';

/** Log event names that carry nothing for the session record (hook inventory and timing). */
const IGNORED = new Set(['hook_registered', 'hook_execution_start', 'hook_execution_complete', 'hook_plugin_metrics']);

/** The bodies of ignored records, for `DecodeLimits.ignoredBodies`: their attributes need no decoding. */
export const IGNORED_BODIES: ReadonlySet<string> = new Set([...IGNORED].map((name) => PREFIX + name));

/** How records are mapped: what of their content is stored. */
export interface ClaudeMapOptions {
  /** Keep the text of `user_prompt` records (off: only their length, id and slash command). */
  includePromptText: boolean;
}

/** The mapping's defaults: prompt text is kept, as the agent sent it. */
export const DEFAULT_CLAUDE_MAP_OPTIONS: ClaudeMapOptions = { includePromptText: true };

/** The bare event name of a Claude Code record (`api_request`), or '' if it has none. */
export function eventNameOf(record: LogRecordIn): string {
  const body = record.body;
  const raw = typeof body === 'string' && body.startsWith(PREFIX) ? body : (str(record.attrs.get('event.name')) ?? record.eventName);
  return raw.startsWith(PREFIX) ? raw.slice(PREFIX.length) : raw;
}

/**
 * Maps one Claude Code log record into `result`. `siblings` are the records
 * of the same request and scope, where an `api_retries_exhausted` record
 * finds the `api_error` of the same failure.
 */
export function mapLogRecord(
  record: LogRecordIn,
  origin: Origin,
  result: MapResult,
  receivedAt: number,
  siblings: readonly LogRecordIn[],
  options: ClaudeMapOptions,
): void {
  if (record.oversized) return result.reject('log record has an attribute value over the size bound');
  const name = eventNameOf(record);
  if (name === '' || IGNORED.has(name)) {
    result.ignored++;
    return;
  }
  const scope = scopeOf(origin.resource, record.attrs, receivedAt);
  if (scope === 'missing') {
    result.withoutSession++;
    return;
  }
  if (scope === 'invalid') return result.reject('log record has an invalid session.id');
  // The key (a content hash when the record has no sequence) is built only for records that map to events.
  const events = eventsOf(name, record, scope, () => recordKey(record, scope.sessionId), timeOf(record, receivedAt), siblings, options);
  if (events.length === 0) result.ignored++;
  for (const e of events) result.events.push(e);
}

function eventsOf(
  name: string,
  record: LogRecordIn,
  scope: RecordScope,
  keyOf: () => string,
  ts: number,
  siblings: readonly LogRecordIn[],
  options: ClaudeMapOptions,
): NormalizedEvent[] {
  const a = record.attrs;
  const agent = id(a.get('agent_id')) ?? null;
  switch (name) {
    case 'user_prompt': {
      // Slash commands are prompts too (with `command`), as the transcript records them: the user typed them.
      const attrs: AttrsOf<'prompt.submitted'> = {};
      put(attrs, 'prompt_id', id(a.get('prompt.id')));
      if (options.includePromptText) {
        const prompt = text(a.get('prompt'));
        if (prompt !== REDACTED) put(attrs, 'text', prompt);
      }
      put(attrs, 'length', count(a.get('prompt_length')));
      put(attrs, 'command', short(a.get('command_name'), LIMITS.maxNameLength));
      return [makeEvent('prompt.submitted', keyOf(), scope, agent, ts, attrs)];
    }
    case 'api_request':
      return [makeEvent('api.request', keyOf(), scope, agent, ts, apiRequestAttrs(record))];
    case 'api_error':
    case 'api_retries_exhausted': {
      const attrs: AttrsOf<'api.error'> = {};
      put(attrs, 'request_id', id(a.get('request_id')) ?? (name === 'api_error' ? undefined : failedRequestId(record, siblings)));
      put(attrs, 'model', short(a.get('model'), 128));
      const status = num(a.get('status_code'));
      if (status !== undefined && Number.isSafeInteger(status) && status >= 0) attrs.status_code = status;
      put(attrs, 'error', text(a.get('error')));
      put(attrs, 'attempt', count(a.get(name === 'api_error' ? 'attempt' : 'total_attempts')));
      put(attrs, 'query_source', short(a.get('query_source'), 128));
      if (name === 'api_retries_exhausted') attrs.retries_exhausted = true;
      return [makeEvent('api.error', keyOf(), scope, agent, ts, attrs)];
    }
    case 'assistant_response': {
      const attrs: AttrsOf<'session.activity'> = { name };
      put(attrs, 'request_id', id(a.get('request_id')));
      put(attrs, 'model', short(a.get('model'), 128));
      put(attrs, 'query_source', short(a.get('query_source'), 128));
      return [makeEvent('session.activity', keyOf(), scope, agent, ts, attrs)];
    }
    case 'tool_decision':
      return toolDecision(record, scope, keyOf(), ts, agent);
    case 'tool_result': {
      const error = text(a.get('error'));
      const attrs: AttrsOf<'tool.finished'> = { success: bool(a.get('success')) ?? error === undefined };
      put(attrs, 'tool_use_id', id(a.get('tool_use_id')));
      put(attrs, 'tool_name', short(a.get('tool_name'), LIMITS.maxNameLength));
      put(attrs, 'error', error);
      put(attrs, 'duration_ms', count(a.get('duration_ms')));
      return [makeEvent('tool.finished', keyOf(), scope, agent, ts, attrs)];
    }
    case 'subagent_completed': {
      const attrs: AttrsOf<'subagent.finished'> = {};
      put(attrs, 'agent_type', short(a.get('agent_type'), LIMITS.maxNameLength));
      put(attrs, 'total_tokens', count(a.get('total_tokens')));
      put(attrs, 'duration_ms', count(a.get('duration_ms')));
      return [makeEvent('subagent.finished', keyOf(), scope, agent, ts, attrs)];
    }
    case 'compaction': {
      if (bool(a.get('success')) === false) {
        return [makeEvent('session.activity', keyOf(), scope, agent, ts, { name: 'compaction_failed' })];
      }
      const attrs: AttrsOf<'compaction'> = {};
      put(attrs, 'trigger', short(a.get('trigger'), 64));
      put(attrs, 'pre_tokens', count(a.get('pre_tokens')));
      put(attrs, 'post_tokens', count(a.get('post_tokens')));
      return [makeEvent('compaction', keyOf(), scope, agent, ts, attrs)];
    }
    case 'permission_mode_changed': {
      const attrs: AttrsOf<'session.activity'> = { name };
      put(attrs, 'permission_mode', short(a.get('to_mode'), 64));
      return [makeEvent('session.activity', keyOf(), scope, agent, ts, attrs)];
    }
    default:
      return [];
  }
}

function apiRequestAttrs(record: LogRecordIn): AttrsOf<'api.request'> {
  const a = record.attrs;
  const attrs: AttrsOf<'api.request'> = {};
  put(attrs, 'request_id', id(a.get('request_id')));
  put(attrs, 'model', short(a.get('model'), 128));
  const input = count(a.get('input_tokens'));
  const output = count(a.get('output_tokens'));
  const cacheRead = count(a.get('cache_read_tokens'));
  const cacheWrite = count(a.get('cache_creation_tokens'));
  if (input !== undefined || output !== undefined || cacheRead !== undefined || cacheWrite !== undefined) {
    // OTel reports cache creation as one number; the 1-hour share is unknown, hence 0.
    attrs.usage = { input: input ?? 0, output: output ?? 0, cache_read: cacheRead ?? 0, cache_write: cacheWrite ?? 0, cache_write_1h: 0 };
  }
  const cost = num(a.get('cost_usd')) ?? scaled(num(a.get('cost_usd_micros')), 1e-6);
  if (cost !== undefined && cost >= 0) attrs.reported_cost_usd = cost;
  put(attrs, 'duration_ms', count(a.get('duration_ms')));
  const querySource = short(a.get('query_source'), 128);
  put(attrs, 'query_source', querySource);
  const agentName = short(a.get('agent.name'), LIMITS.maxNameLength);
  // Subagent requests carry no agent id in logs, only their type; flag them so they are not taken for the main agent's.
  if (agentName !== undefined || querySource?.startsWith('agent:')) attrs.is_sidechain = true;
  put(attrs, 'agent_name', agentName);
  return attrs;
}

function toolDecision(record: LogRecordIn, scope: RecordScope, key: string, ts: number, agent: string | null): NormalizedEvent[] {
  const a = record.attrs;
  const toolName = short(a.get('tool_name'), LIMITS.maxNameLength) ?? 'unknown';
  const toolUseId = id(a.get('tool_use_id'));
  const params = jsonObject(a.get('tool_parameters'));
  const called: AttrsOf<'tool.called'> = { tool_name: toolName };
  put(called, 'tool_use_id', toolUseId);
  put(called, 'command', text(params?.full_command as string | undefined));
  put(called, 'file_path', text(params?.file_path as string | undefined));
  const events: NormalizedEvent[] = [makeEvent('tool.called', key, scope, agent, ts, called)];
  if (str(a.get('decision')) === 'reject') {
    // A rejected call gets no tool_result; record its end here so it does not stay running.
    const source = short(a.get('source'), 64) ?? 'unknown';
    const finished: AttrsOf<'tool.finished'> = { tool_name: toolName, success: false, error: `rejected (${source})` };
    put(finished, 'tool_use_id', toolUseId);
    events.push(makeEvent('tool.finished', `${key}:r`, scope, agent, ts, finished));
  }
  return events;
}

/**
 * Claude Code logs `api_error` and then `api_retries_exhausted` for one final
 * failure; only the first names the request. The nearest earlier `api_error`
 * of the same session and prompt in the same export is that failure, so the
 * two share a request id and are counted once.
 */
function failedRequestId(record: LogRecordIn, siblings: readonly LogRecordIn[]): string | undefined {
  const session = record.attrs.get('session.id');
  const prompt = record.attrs.get('prompt.id');
  const seq = count(record.attrs.get('event.sequence'));
  if (seq === undefined) return undefined;
  let best: { seq: number; requestId: string } | undefined;
  for (const other of siblings) {
    const otherSeq = count(other.attrs.get('event.sequence'));
    if (otherSeq === undefined || otherSeq >= seq || (best && otherSeq <= best.seq)) continue;
    if (eventNameOf(other) !== 'api_error') continue;
    if (other.attrs.get('session.id') !== session || other.attrs.get('prompt.id') !== prompt) continue;
    const requestId = id(other.attrs.get('request_id'));
    if (requestId !== undefined) best = { seq: otherSeq, requestId };
  }
  return best?.requestId;
}

/** Session + per-process sequence + record time: unique per record, identical when re-sent. */
function recordKey(record: LogRecordIn, sessionId: string): string {
  const seq = count(record.attrs.get('event.sequence'));
  const part = seq !== undefined ? String(seq) : contentHash(record);
  return `o:l:${sessionId}:${part}:${readableNs(record.timeNs).toString(36)}`;
}

function contentHash(record: LogRecordIn): string {
  const h = createHash('sha1');
  h.update(JSON.stringify(record.body));
  for (const [k, v] of record.attrs) h.update(`\u0000${k}\u0001${JSON.stringify(v)}`);
  return `h${h.digest('base64url').slice(0, 12)}`;
}

function timeOf(record: LogRecordIn, receivedAt: number): number {
  const fromRecord = nsToMs(record.timeNs) || nsToMs(record.observedNs);
  if (fromRecord > 0) return fromRecord;
  const iso = str(record.attrs.get('event.timestamp'));
  const parsed = iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : receivedAt;
}

function scaled(v: number | undefined, factor: number): number | undefined {
  return v === undefined ? undefined : v * factor;
}

/**
 * Builders of valid `NormalizedEvent`s for tests. Every event is checked
 * against the schema, so a test cannot pass on an event no collector could
 * produce. Dedupe keys default to a stable hash of the event's content, so
 * building the same event twice gives the same key (a duplicate) and
 * different events get different keys.
 */
import {
  NormalizedEventSchema,
  type AttrsOf,
  type EventKind,
  type EventOf,
  type Framework,
  type Source,
  type Usage,
} from '../../schema/index.js';

/** Session id used when a test does not name one. */
export const TEST_SESSION = '11111111-2222-3333-4444-555555555555';

/** Envelope fields a test may set; everything else gets a default. */
export interface EventOptions {
  session_id?: string;
  source?: Source;
  framework?: Framework;
  agent_id?: string | null;
  dedupe_key?: string;
  /** Defaults to `ts`. */
  received_at?: number;
}

/**
 * One event of `kind` at `ts` with `attrs`. Defaults: source `transcript`,
 * framework `claude_code`, session {@link TEST_SESSION}, main agent. Throws
 * if the result is not a valid event.
 */
export function makeEvent<K extends EventKind>(kind: K, ts: number, attrs: AttrsOf<K>, options: EventOptions = {}): EventOf<K> {
  const source = options.source ?? 'transcript';
  const agentId = options.agent_id ?? null;
  const sessionId = options.session_id ?? TEST_SESSION;
  const candidate = {
    dedupe_key: options.dedupe_key ?? `${source}:${kind}:${ts}:${fnv1a(JSON.stringify([sessionId, agentId, attrs]))}`,
    source,
    framework: options.framework ?? 'claude_code',
    session_id: sessionId,
    agent_id: agentId,
    ts,
    received_at: options.received_at ?? ts,
    kind,
    attrs,
  };
  return NormalizedEventSchema.parse(candidate) as EventOf<K>;
}

/** A usage object; unspecified classes are 0. */
export function usage(parts: Partial<Usage>): Usage {
  return { input: 0, output: 0, cache_read: 0, cache_write: 0, cache_write_1h: 0, ...parts };
}

/** Shorthand builders for the kinds tests use most. */
export const ev = {
  started: (ts: number, startSource: AttrsOf<'session.started'>['start_source'], o?: EventOptions, extra: Partial<AttrsOf<'session.started'>> = {}) =>
    makeEvent('session.started', ts, { start_source: startSource, ...extra }, { source: 'hook', ...o }),
  ended: (ts: number, reason: string, o?: EventOptions) => makeEvent('session.ended', ts, { reason }, { source: 'hook', ...o }),
  activity: (ts: number, o?: EventOptions, extra: Partial<AttrsOf<'session.activity'>> = {}) =>
    makeEvent('session.activity', ts, { ...extra }, o),
  prompt: (ts: number, attrs: AttrsOf<'prompt.submitted'>, o?: EventOptions) => makeEvent('prompt.submitted', ts, attrs, o),
  request: (ts: number, attrs: AttrsOf<'api.request'>, o?: EventOptions) => makeEvent('api.request', ts, attrs, o),
  apiError: (ts: number, attrs: AttrsOf<'api.error'>, o?: EventOptions) => makeEvent('api.error', ts, attrs, o),
  toolCalled: (ts: number, attrs: AttrsOf<'tool.called'>, o?: EventOptions) => makeEvent('tool.called', ts, attrs, o),
  toolFinished: (ts: number, attrs: AttrsOf<'tool.finished'>, o?: EventOptions) => makeEvent('tool.finished', ts, attrs, o),
  status: (ts: number, status: AttrsOf<'status.changed'>['status'], reason: string, o?: EventOptions) =>
    makeEvent('status.changed', ts, { status, reason }, { source: 'hook', ...o }),
  compaction: (ts: number, o?: EventOptions, attrs: AttrsOf<'compaction'> = {}) => makeEvent('compaction', ts, attrs, o),
  title: (ts: number, title: string, o?: EventOptions) =>
    makeEvent('title.set', ts, { title, title_source: 'ai' }, o),
  task: (ts: number, attrs: AttrsOf<'task.changed'>, o?: EventOptions) => makeEvent('task.changed', ts, attrs, { source: 'hook', ...o }),
  metric: (ts: number, attrs: AttrsOf<'metric.point'>, o?: EventOptions) => makeEvent('metric.point', ts, attrs, { source: 'otel', ...o }),
  process: (ts: number, pid: number, startTime: number, o?: EventOptions) =>
    makeEvent('process.seen', ts, { pid, process_start_time: startTime }, { source: 'process', ...o }),
  git: (ts: number, attrs: AttrsOf<'git.context'>, o?: EventOptions) => makeEvent('git.context', ts, attrs, { source: 'git', ...o }),
  githubRef: (ts: number, attrs: AttrsOf<'github.ref'>, o?: EventOptions) => makeEvent('github.ref', ts, attrs, o),
};

/** 32-bit FNV-1a of a string, as 8 hex digits: short, stable dedupe keys. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

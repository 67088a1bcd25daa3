/**
 * The normalized event: the one shape every collector produces and the ledger
 * stores. A discriminated union on `kind`; each kind has its own `attrs`.
 * Every kind's attrs may also carry the shared context fields (cwd, branch, …)
 * that the source saw at that moment.
 */
import { z } from 'zod';
import { FRAMEWORKS, SOURCES } from './sources.js';
import { LIMITS } from './limits.js';

const id = z.string().min(1).max(LIMITS.maxIdLength);
const text = z.string().max(LIMITS.maxTextLength);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const epochMs = z.number().int().min(0).max(8_640_000_000_000_000);

/** Token counts of one API request, by class. `cache_write` is the total; `cache_write_1h` the 1-hour part of it. */
export const UsageSchema = z.object({
  input: count,
  output: count,
  cache_read: count,
  cache_write: count,
  cache_write_1h: count,
});
/** Token counts of one API request; see {@link UsageSchema}. */
export type Usage = z.infer<typeof UsageSchema>;

/** Context every event may carry: where the session was and what it ran when this happened. */
const ContextAttrs = z.looseObject({
  cwd: text.optional(),
  /** Branch name; collectors never send `HEAD` (not a repo) here. */
  git_branch: text.optional(),
  app_version: z.string().max(64).optional(),
  entrypoint: z.string().max(64).optional(),
  transcript_path: text.optional(),
  permission_mode: z.string().max(64).optional(),
});

export const START_SOURCES = ['startup', 'resume', 'continue', 'clear', 'compact', 'fork', 'unknown'] as const;
export const AGENT_STATUSES = ['busy', 'waiting', 'idle'] as const;

const kinds = {
  'session.started': ContextAttrs.extend({
    start_source: z.enum(START_SOURCES),
    forked_from: id.optional(),
    model: z.string().max(128).optional(),
  }),
  'session.ended': ContextAttrs.extend({
    /** `other`, `prompt_input_exit`, `clear`, `logout`, `process_exit`, `inactivity`, … */
    reason: z.string().min(1).max(128),
  }),
  /** Proof of life with no meaning of its own (spans, unknown hook events, transcript bookkeeping lines). */
  'session.activity': ContextAttrs.extend({ name: z.string().max(LIMITS.maxNameLength).optional() }),
  'prompt.submitted': ContextAttrs.extend({
    prompt_id: id.optional(),
    text: text.optional(),
    length: count.optional(),
    command: z.string().max(LIMITS.maxNameLength).optional(),
  }),
  'api.request': ContextAttrs.extend({
    request_id: id.optional(),
    message_id: id.optional(),
    model: z.string().max(128).optional(),
    usage: UsageSchema.optional(),
    reported_cost_usd: z.number().min(0).finite().optional(),
    duration_ms: count.optional(),
    stop_reason: z.string().max(64).optional(),
    query_source: z.string().max(128).optional(),
    is_sidechain: z.boolean().optional(),
  }),
  'api.error': ContextAttrs.extend({
    request_id: id.optional(),
    model: z.string().max(128).optional(),
    status_code: z.number().int().optional(),
    error: text.optional(),
    attempt: count.optional(),
    retries_exhausted: z.boolean().optional(),
  }),
  'tool.called': ContextAttrs.extend({
    tool_use_id: id.optional(),
    tool_name: z.string().min(1).max(LIMITS.maxNameLength),
    file_path: text.optional(),
    command: text.optional(),
    input_summary: text.optional(),
  }),
  'tool.finished': ContextAttrs.extend({
    tool_use_id: id.optional(),
    tool_name: z.string().max(LIMITS.maxNameLength).optional(),
    success: z.boolean(),
    error: text.optional(),
    duration_ms: count.optional(),
  }),
  'status.changed': ContextAttrs.extend({
    status: z.enum(AGENT_STATUSES),
    reason: z.string().min(1).max(128),
  }),
  compaction: ContextAttrs.extend({
    trigger: z.string().max(64).optional(),
    pre_tokens: count.optional(),
    post_tokens: count.optional(),
  }),
  'title.set': ContextAttrs.extend({
    title: z.string().min(1).max(1024),
    title_source: z.enum(['ai', 'summary', 'custom', 'hook']),
  }),
  'subagent.started': ContextAttrs.extend({
    agent_type: z.string().max(LIMITS.maxNameLength).optional(),
    description: text.optional(),
    tool_use_id: id.optional(),
  }),
  'subagent.finished': ContextAttrs.extend({
    agent_type: z.string().max(LIMITS.maxNameLength).optional(),
    total_tokens: count.optional(),
    duration_ms: count.optional(),
  }),
  'task.changed': ContextAttrs.extend({
    task_id: id,
    state: z.enum(['created', 'updated', 'completed']),
    subject: text.optional(),
    description: text.optional(),
  }),
  'process.seen': ContextAttrs.extend({
    pid: z.number().int().min(1).max(4_194_304),
    /** Process start time in ms since epoch; with pid it identifies the process across PID reuse. */
    process_start_time: epochMs,
    executable: text.optional(),
  }),
  'git.context': ContextAttrs.extend({
    cwd: text,
    repo_root: text.optional(),
    git_dir: text.optional(),
    branch: z.string().max(1024).optional(),
    head_sha: z.string().max(64).optional(),
    worktree_path: text.optional(),
    github_repo: z.string().max(512).optional(),
    remote_url: text.optional(),
    default_branch: z.string().max(1024).optional(),
    additions: count.optional(),
    deletions: count.optional(),
  }),
  'github.ref': ContextAttrs.extend({
    ref_type: z.enum(['issue', 'pr']),
    number: z.number().int().min(1),
    repo: z.string().max(512).optional(),
    url: text.optional(),
    action: z.string().max(64).optional(),
  }),
  /** One delta data point of an agent metric (cumulative series are turned into deltas by the collector). */
  'metric.point': ContextAttrs.extend({
    name: z.string().min(1).max(LIMITS.maxNameLength),
    value: z.number().finite(),
    unit: z.string().max(64).optional(),
    model: z.string().max(128).optional(),
    type: z.string().max(128).optional(),
    query_source: z.string().max(128).optional(),
  }),
} as const;

type Kinds = typeof kinds;
/** Every event kind, as dotted names. */
export type EventKind = keyof Kinds;
/** Every event kind, as a runtime list. */
export const EVENT_KINDS = Object.keys(kinds) as EventKind[];

const baseShape = {
  dedupe_key: z.string().min(1).max(LIMITS.maxDedupeKeyLength),
  source: z.enum(SOURCES),
  framework: z.enum(FRAMEWORKS),
  session_id: id,
  agent_id: id.nullable(),
  ts: epochMs,
  received_at: epochMs,
};

function variant<K extends EventKind>(kind: K) {
  return z.strictObject({ ...baseShape, kind: z.literal(kind), attrs: kinds[kind] as Kinds[K] });
}

/** Runtime validator for one {@link NormalizedEvent}. Unknown top-level keys are rejected; unknown attrs are kept. */
export const NormalizedEventSchema = z.discriminatedUnion('kind', [
  variant('session.started'),
  variant('session.ended'),
  variant('session.activity'),
  variant('prompt.submitted'),
  variant('api.request'),
  variant('api.error'),
  variant('tool.called'),
  variant('tool.finished'),
  variant('status.changed'),
  variant('compaction'),
  variant('title.set'),
  variant('subagent.started'),
  variant('subagent.finished'),
  variant('task.changed'),
  variant('process.seen'),
  variant('git.context'),
  variant('github.ref'),
  variant('metric.point'),
]);

/** One normalized event, as stored in the ledger. */
export type NormalizedEvent = z.infer<typeof NormalizedEventSchema>;
/** The event variant of one kind. */
export type EventOf<K extends EventKind> = Extract<NormalizedEvent, { kind: K }>;
/** The attrs of one kind. */
export type AttrsOf<K extends EventKind> = EventOf<K>['attrs'];
/** An event read back from the ledger, with its insertion sequence number. */
export type StoredEvent = NormalizedEvent & { seq: number };

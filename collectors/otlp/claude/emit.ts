/**
 * Building normalized events from Claude Code telemetry, and collecting what
 * one request produced: events, checkpoints, and the records that were
 * rejected, ignored or not Claude Code's.
 */
import type { Checkpoint } from '../../../core/pipeline/sink.js';
import type { AttrsOf, EventKind, EventOf, NormalizedEvent } from '../../../schema/index.js';
import type { Attrs } from '../model.js';
import { id, short } from './values.js';

/** `service.name` values whose telemetry is Claude Code's. */
export const CLAUDE_SERVICES: ReadonlySet<string> = new Set(['claude-code', 'claude-code-desktop']);

/** Context attrs every event of one record carries. */
export interface EventContext {
  app_version?: string;
  entrypoint?: string;
}

/** The session a record belongs to, and the facts every event from it shares. */
export interface RecordScope {
  sessionId: string;
  receivedAt: number;
  context: EventContext;
}

/** What mapping one request produced. */
export class MapResult {
  readonly events: NormalizedEvent[] = [];
  readonly checkpoints: Checkpoint[] = [];
  /** Items refused as invalid: reported to the sender as `partial_success`. */
  rejected = 0;
  firstRejection = '';
  /** Claude Code items that carry nothing dossier records (hook inventory, unknown names, zero deltas). */
  ignored = 0;
  /** Items from other services: accepted, counted, kept out of Claude sessions. */
  foreign = 0;
  /** Claude Code items without a usable `session.id`. */
  withoutSession = 0;

  reject(reason: string): void {
    this.rejected++;
    if (this.firstRejection === '') this.firstRejection = reason;
  }
}

/** True when the resource says the data is Claude Code's. */
export function isClaudeCode(resource: Attrs): boolean {
  const name = resource.get('service.name');
  return typeof name === 'string' && CLAUDE_SERVICES.has(name);
}

/**
 * The scope of one record: its session and shared context. Returns a string
 * saying why when the record cannot be attributed (`missing` is not an error).
 */
export function scopeOf(resource: Attrs, attrs: Attrs, receivedAt: number): RecordScope | 'missing' | 'invalid' {
  const raw = attrs.get('session.id') ?? resource.get('session.id');
  if (raw === undefined || raw === null || raw === '') return 'missing';
  const sessionId = id(raw);
  if (sessionId === undefined || typeof raw !== 'string') return 'invalid';
  const ownVersion = attrs.get('app.version');
  const ownEntrypoint = attrs.get('app.entrypoint');
  if (ownVersion === undefined && ownEntrypoint === undefined) return { sessionId, receivedAt, context: resourceContext(resource) };
  const context: EventContext = {};
  const version = short(ownVersion ?? resource.get('service.version'), 64);
  if (version !== undefined) context.app_version = version;
  const entrypoint = short(ownEntrypoint, 64);
  if (entrypoint !== undefined) context.entrypoint = entrypoint;
  return { sessionId, receivedAt, context };
}

/** Contexts that come from the resource alone, shared by all records of a request. */
const resourceContexts = new WeakMap<Attrs, EventContext>();

function resourceContext(resource: Attrs): EventContext {
  let context = resourceContexts.get(resource);
  if (context === undefined) {
    context = {};
    const version = short(resource.get('service.version'), 64);
    if (version !== undefined) context.app_version = version;
    resourceContexts.set(resource, context);
  }
  return context;
}

/** Builds one OTel event of `kind` for the record's session, with the shared context merged under its own attrs. */
export function makeEvent<K extends EventKind>(
  kind: K,
  dedupeKey: string,
  scope: RecordScope,
  agentId: string | null,
  ts: number,
  attrs: AttrsOf<K>,
): EventOf<K> {
  return {
    dedupe_key: dedupeKey,
    source: 'otel',
    framework: 'claude_code',
    session_id: scope.sessionId,
    agent_id: agentId,
    ts,
    received_at: scope.receivedAt,
    kind,
    attrs: withContext(attrs, scope.context),
  } as unknown as EventOf<K>;
}

/** Adds the context fields the attrs do not set themselves. `attrs` is the caller's fresh object; it is completed in place. */
function withContext<T extends object>(attrs: T, context: EventContext): T {
  const target = attrs as Record<string, unknown>;
  if (context.app_version !== undefined && target.app_version === undefined) target.app_version = context.app_version;
  if (context.entrypoint !== undefined && target.entrypoint === undefined) target.entrypoint = context.entrypoint;
  return attrs;
}

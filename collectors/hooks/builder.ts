/**
 * Builds the normalized events of one hook call: the base fields every event
 * of the call shares, the context attributes the payload carried, and dedupe
 * keys that depend only on the call itself (payload, forwarder meta), so a
 * call delivered again — a retry after a timeout, a spool record read after
 * the socket already took it, a replay — inserts nothing new.
 */
import { createHash } from 'node:crypto';
import type { AttrsOf, EventKind, EventOf, NormalizedEvent } from '../../schema/events.js';
import type { HookPayload } from './payload.js';
import type { ForwardedMeta } from './wire.js';
import { LIMITS } from '../../schema/limits.js';

/** What the daemon knows about one hook call besides its payload. */
export interface HookMeta extends ForwardedMeta {
  /** When the daemon received the call (`settings.now()`); the events' `received_at`. */
  received_at: number;
}

/**
 * Width of the time bucket in keys of calls without an identity of their own.
 * Two identical payloads from the same process inside one bucket are one
 * event (the same call delivered twice); identical payloads further apart are
 * two (an agent asking for permission twice for the same tool input).
 */
export const HOOK_KEY_BUCKET_MS = 5_000;

type ContextKeys = 'cwd' | 'transcript_path' | 'permission_mode' | 'entrypoint';

/**
 * Attributes of kind `K` as a mapper writes them; the context attributes are
 * optional there and the builder adds them (`Omit` would erase the checks:
 * attrs types carry an index signature).
 */
export type OwnAttrs<K extends EventKind> = AttrsOf<K>;

/** Per-call event factory. */
export class HookEventBuilder {
  readonly sessionId: string;
  readonly agentId: string | null;
  readonly eventName: string;
  readonly meta: HookMeta;
  readonly #context: Partial<Record<ContextKeys, string>>;
  readonly #payload: HookPayload;
  #callKey: string | undefined;

  constructor(payload: HookPayload, sessionId: string, eventName: string, meta: HookMeta) {
    this.#payload = payload;
    this.sessionId = sessionId;
    this.eventName = eventName;
    this.meta = meta;
    // A compaction runs as an internal agent: its SubagentStop has an agent_id but an empty agent_type,
    // and no other source counts it as a subagent. Only typed agents are subagents.
    this.agentId = payload.short('agent_type', LIMITS.maxNameLength) !== undefined ? (payload.id('agent_id') ?? null) : null;
    const context: Partial<Record<ContextKeys, string>> = {};
    const cwd = payload.text('cwd');
    if (cwd !== undefined) context.cwd = cwd;
    const transcript = payload.text('transcript_path');
    if (transcript !== undefined) context.transcript_path = transcript;
    const mode = payload.short('permission_mode', 64);
    if (mode !== undefined) context.permission_mode = mode;
    if (meta.entrypoint !== undefined) context.entrypoint = meta.entrypoint.slice(0, 64);
    this.#context = context;
  }

  /**
   * One event of this call. `key` is the full dedupe key; `overrides` moves the
   * event to another session or agent (lineage events of forks).
   */
  make<K extends EventKind>(
    kind: K,
    key: string,
    attrs: OwnAttrs<K>,
    overrides: { sessionId?: string; agentId?: string | null } = {},
  ): EventOf<K> {
    const merged: Record<string, unknown> = { ...this.#context, ...(attrs as Record<string, unknown>) };
    const event = {
      dedupe_key: key,
      source: 'hook',
      framework: 'claude_code',
      session_id: overrides.sessionId ?? this.sessionId,
      agent_id: overrides.agentId !== undefined ? overrides.agentId : this.agentId,
      ts: this.meta.fired_at,
      received_at: this.meta.received_at,
      kind,
      attrs: merged,
    };
    return event as unknown as EventOf<K>;
  }

  /**
   * Key for an event of a call that has no identity of its own: the hook
   * event name, a hash of the payload and of the agent process that sent it,
   * and the time bucket, then `part` to tell the call's events apart.
   */
  callKey(part: string): string {
    if (this.#callKey === undefined) {
      const hash = createHash('sha256');
      hash.update(JSON.stringify(this.#payload.raw));
      if (this.meta.pid !== undefined) hash.update(`\0${this.meta.pid}:${this.meta.process_start ?? ''}`);
      const bucket = Math.floor(this.meta.fired_at / HOOK_KEY_BUCKET_MS);
      this.#callKey = `h:${this.eventName.slice(0, 40)}:${hash.digest('hex').slice(0, 16)}:${bucket}`;
    }
    return `${this.#callKey}:${part}`;
  }

  /**
   * The `process.seen` event for the agent's process when the forwarder found
   * it: one per (session, process), so the latest process of a session is the
   * one it runs in now and a resume in a new process is seen again.
   */
  processSeen(sessionId: string = this.sessionId): EventOf<'process.seen'>[] {
    const { pid, process_start: start } = this.meta;
    if (pid === undefined || start === undefined) return [];
    const attrs: OwnAttrs<'process.seen'> = { pid, process_start_time: start };
    if (this.meta.executable !== undefined) attrs.executable = this.meta.executable;
    return [this.make('process.seen', `h:proc:${sessionId}:${pid}:${start}`, attrs, { sessionId, agentId: null })];
  }
}

/** The events of one call, in the order they were produced. */
export type HookEvents = NormalizedEvent[];

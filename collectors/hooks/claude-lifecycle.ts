/**
 * Claude Code lifecycle hooks: SessionStart, SessionEnd and Setup, and the
 * lineage of forked sessions.
 *
 * Forks. `claude --resume X --fork-session` runs a new session Y in a new
 * file, but Claude Code 2.1.197 reports that process's SessionStart with the
 * OLD id X and `source: "resume"`; from UserPromptSubmit on, hooks carry Y
 * (FORMATS.md, "Session revival"). Mapped naively, that SessionStart would
 * revive X, which never ran again. Two rules keep X untouched:
 * 1. A SessionStart (resume or fork) whose `transcript_path` names a session
 *    file other than `session_id` is a fork: the start is recorded for the
 *    file's session, `forked_from` the payload's id, and nothing is recorded
 *    for the payload's id.
 * 2. When the transcript path cannot tell (2.1.197 writes the old path too),
 *    the forwarder can: the agent's argv carries `--fork-session`. It marks
 *    the call's fork role (see `ForkRole`); a `parent` call is dropped whole
 *    by the mapper, and the first other session id the same process reports
 *    is the `child`, which gets a `session.started{fork, forked_from}`.
 * A plain resume (same id, same file) is a real start and may be a revival.
 */
import { START_SOURCES } from '../../schema/events.js';
import type { HookEventBuilder, HookEvents, OwnAttrs } from './builder.js';
import type { HookPayload } from './payload.js';

type StartSource = (typeof START_SOURCES)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SessionStart → `session.started` (+ `process.seen`), with the fork rules above. */
export function sessionStart(p: HookPayload, b: HookEventBuilder): HookEvents {
  const source = startSource(p.short('source', 64));
  const fileSession = sessionOfTranscript(p.text('transcript_path'));
  if ((source === 'resume' || source === 'fork') && fileSession !== undefined && fileSession !== b.sessionId) {
    const attrs: OwnAttrs<'session.started'> = { start_source: 'fork', forked_from: b.sessionId };
    const model = p.short('model', 128);
    if (model !== undefined) attrs.model = model;
    return [
      b.make('session.started', `h:fork:${fileSession}`, attrs, { sessionId: fileSession, agentId: null }),
      ...b.processSeen(fileSession),
    ];
  }
  const attrs: OwnAttrs<'session.started'> = { start_source: source };
  const model = p.short('model', 128);
  if (model !== undefined) attrs.model = model;
  return [b.make('session.started', processKey(b, `start:${source}`), attrs, { agentId: null }), ...b.processSeen()];
}

/** SessionEnd → `session.ended` with the agent's reason (`other`, `prompt_input_exit`, `clear`, …). */
export function sessionEnd(p: HookPayload, b: HookEventBuilder): HookEvents {
  const reason = p.short('reason', 128) ?? 'other';
  return [b.make('session.ended', processKey(b, `end:${reason}`), { reason }, { agentId: null })];
}

/** Setup (`--init`, `--maintenance`) → proof of life (+ `process.seen`); it runs before SessionStart. */
export function setup(p: HookPayload, b: HookEventBuilder): HookEvents {
  const trigger = p.short('trigger', 64);
  const name = trigger !== undefined ? `Setup:${trigger}` : 'Setup';
  return [b.make('session.activity', b.callKey('act'), { name }), ...b.processSeen()];
}

/**
 * The lineage event a fork's child gets on each of its calls: the same key
 * every time, so only the first inserts. Empty unless the forwarder marked
 * the call `child`.
 */
export function forkLineage(b: HookEventBuilder): HookEvents {
  const fork = b.meta.fork;
  if (fork?.role !== 'child' || fork.parent_id === b.sessionId) return [];
  return [
    b.make('session.started', `h:fork:${b.sessionId}`, { start_source: 'fork', forked_from: fork.parent_id }, { agentId: null }),
  ];
}

/** The session id a transcript path names (`…/<uuid>.jsonl`), if it names one. */
export function sessionOfTranscript(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (!base.endsWith('.jsonl')) return undefined;
  const id = base.slice(0, -'.jsonl'.length);
  return UUID.test(id) ? id : undefined;
}

function startSource(value: string | undefined): StartSource {
  return (START_SOURCES as readonly string[]).includes(value ?? '') ? (value as StartSource) : 'unknown';
}

/**
 * Lifecycle calls happen once per session and process, so with the process
 * known the key needs no time bucket: a resume in a new process is always a
 * new start, a repeat delivery of the same start never is.
 */
function processKey(b: HookEventBuilder, what: string): string {
  const { pid, process_start: start } = b.meta;
  if (pid === undefined || start === undefined) return b.callKey(what);
  return `h:${what}:${b.sessionId}:${pid}:${start}`;
}

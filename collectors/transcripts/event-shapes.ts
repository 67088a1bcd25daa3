/**
 * Builders of the events a transcript line produces, one fixed object shape
 * per kind (context attrs first, then the kind's own). Written out instead of
 * spread (`{ ...base, attrs: { ...ctx, … } }`): object spread over context
 * objects of varying shape was the costliest step of mapping in profiles of a
 * 1 GB backfill. Absent values are `undefined` (dropped when stored as JSON).
 */
import type { AttrsOf, EventKind, EventOf, Usage } from '../../schema/index.js';
import type { Context } from './map-values.js';

/** What every event of one line shares. */
export interface LineBase {
  session_id: string;
  agent_id: string | null;
  ts: number;
  received_at: number;
  ctx: Context;
}

function event<K extends EventKind>(b: LineBase, dedupe_key: string, kind: K, attrs: AttrsOf<K>, agent_id: string | null = b.agent_id, ts: number = b.ts): EventOf<K> {
  return { dedupe_key, source: 'transcript', framework: 'claude_code', session_id: b.session_id, agent_id, ts, received_at: b.received_at, kind, attrs } as EventOf<K>;
}

/** One response line's request. */
export function apiRequest(b: LineBase, key: string, f: { request_id?: string; message_id?: string; model?: string; usage?: Usage; stop_reason?: string; is_sidechain: boolean }): EventOf<'api.request'> {
  const c = b.ctx;
  return event(b, key, 'api.request', {
    cwd: c.cwd, git_branch: c.git_branch, app_version: c.app_version, entrypoint: c.entrypoint,
    request_id: f.request_id, message_id: f.message_id, model: f.model, usage: f.usage, stop_reason: f.stop_reason, is_sidechain: f.is_sidechain,
  });
}

/** One `tool_use` block. */
export function toolCalled(b: LineBase, key: string, f: { tool_use_id?: string; tool_name: string; file_path?: string; command?: string }): EventOf<'tool.called'> {
  const c = b.ctx;
  return event(b, key, 'tool.called', {
    cwd: c.cwd, git_branch: c.git_branch, app_version: c.app_version, entrypoint: c.entrypoint,
    tool_use_id: f.tool_use_id, tool_name: f.tool_name, file_path: f.file_path, command: f.command,
  });
}

/** One `tool_result` block. */
export function toolFinished(b: LineBase, key: string, f: { tool_use_id?: string; success: boolean }): EventOf<'tool.finished'> {
  const c = b.ctx;
  return event(b, key, 'tool.finished', { cwd: c.cwd, git_branch: c.git_branch, app_version: c.app_version, entrypoint: c.entrypoint, tool_use_id: f.tool_use_id, success: f.success });
}

/** A real prompt. */
export function promptSubmitted(b: LineBase, key: string, f: { prompt_id?: string; permission_mode?: string; length: number; command?: string; text?: string }): EventOf<'prompt.submitted'> {
  const c = b.ctx;
  return event(b, key, 'prompt.submitted', {
    cwd: c.cwd, git_branch: c.git_branch, app_version: c.app_version, entrypoint: c.entrypoint,
    permission_mode: f.permission_mode, prompt_id: f.prompt_id, length: f.length, command: f.command, text: f.text,
  });
}

/** A synthetic API error line: the final failure of a turn. */
export function apiError(b: LineBase, key: string, f: { status_code?: number; error?: string }): EventOf<'api.error'> {
  const c = b.ctx;
  return event(b, key, 'api.error', { cwd: c.cwd, git_branch: c.git_branch, app_version: c.app_version, entrypoint: c.entrypoint, status_code: f.status_code, error: f.error, retries_exhausted: true });
}

/** A compact boundary. */
export function compaction(b: LineBase, key: string, f: { trigger?: string; pre_tokens?: number; post_tokens?: number }): EventOf<'compaction'> {
  const c = b.ctx;
  return event(b, key, 'compaction', { cwd: c.cwd, git_branch: c.git_branch, app_version: c.app_version, entrypoint: c.entrypoint, trigger: f.trigger, pre_tokens: f.pre_tokens, post_tokens: f.post_tokens });
}

/** The session's start (once per main file), or its fork origin. */
export function sessionStarted(b: LineBase, key: string, ts: number, f: { transcript_path?: string; start_source: 'unknown' | 'fork'; forked_from?: string }): EventOf<'session.started'> {
  const c = b.ctx;
  return event(b, key, 'session.started', {
    cwd: c.cwd, git_branch: c.git_branch, app_version: c.app_version, entrypoint: c.entrypoint,
    transcript_path: f.transcript_path, start_source: f.start_source, forked_from: f.forked_from,
  }, null, ts);
}

/** A subagent's start, from its sidecar. */
export function subagentStarted(b: LineBase, key: string, f: { agent_type?: string; description?: string; tool_use_id?: string }): EventOf<'subagent.started'> {
  const c = b.ctx;
  return event(b, key, 'subagent.started', { cwd: c.cwd, git_branch: c.git_branch, app_version: c.app_version, entrypoint: c.entrypoint, agent_type: f.agent_type, description: f.description, tool_use_id: f.tool_use_id });
}

/** A title line (`ai-title`, `custom-title`, `summary`). */
export function titleSet(b: LineBase, key: string, f: { title: string; title_source: 'ai' | 'custom' | 'summary' }): EventOf<'title.set'> {
  return event(b, key, 'title.set', { title: f.title, title_source: f.title_source }, null);
}

/** An issue or PR a tool call's command names (`gh pr view 12`, a GitHub URL). */
export function githubRef(b: LineBase, key: string, f: { ref_type: 'issue' | 'pr'; number: number; repo?: string; url?: string; action?: string }): EventOf<'github.ref'> {
  const c = b.ctx;
  return event(b, key, 'github.ref', {
    cwd: c.cwd, git_branch: c.git_branch, app_version: c.app_version, entrypoint: c.entrypoint,
    ref_type: f.ref_type, number: f.number, repo: f.repo, url: f.url, action: f.action,
  });
}

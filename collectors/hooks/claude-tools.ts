/**
 * Claude Code tool hook events → `tool.called` / `tool.finished`. Keys are
 * the tool_use_id plus what happened (`tc` called, `tf` finished), not the
 * hook event name, so the same call seen by PreToolUse and again inside a
 * PostToolBatch is one event, and a tool is counted once however many of its
 * hooks the user configured.
 */
import { LIMITS } from '../../schema/limits.js';
import { extractGithubRefs, extractToolCallGithubRefs, githubRefKey, type GithubRef } from '../github-refs.js';
import type { HookEventBuilder, HookEvents, OwnAttrs } from './builder.js';
import { cutText, type HookPayload } from './payload.js';

/** Longest `input_summary` kept: enough to recognise the call, never a file's content. */
const SUMMARY_CHARS = 200;

/** PreToolUse → `tool.called` (the merge reads it as busy). */
export function preToolUse(p: HookPayload, b: HookEventBuilder): HookEvents {
  const called = toolCalled(p, b);
  return called ? [called] : [];
}

/** PostToolUse → `tool.finished` with success, plus a `github.ref` per issue or PR the call touched. */
export function postToolUse(p: HookPayload, b: HookEventBuilder): HookEvents {
  return [...toolFinished(p, b, true, undefined), ...githubRefs(p, b)];
}

/** Tools whose output is read for GitHub URLs: what a command printed, or a page fetched on purpose; never files read. */
const OUTPUT_SCANNED_TOOLS: ReadonlySet<string> = new Set(['Bash', 'WebFetch']);

/**
 * GitHub issues and PRs a finished call touched: `gh pr|issue …` commands and
 * URLs in the input, and for Bash/WebFetch the URLs it printed (a `gh pr
 * create` prints the new PR's URL). Keyed by tool_use_id and ref, so PostToolUse
 * seen twice (command and http hooks) is one event.
 */
function githubRefs(p: HookPayload, b: HookEventBuilder): HookEvents {
  const id = p.id('tool_use_id');
  const name = p.short('tool_name', LIMITS.maxNameLength);
  const input = p.object('tool_input');
  if (id === undefined || name === undefined || !input) return [];
  const output = OUTPUT_SCANNED_TOOLS.has(name) ? responseText(p.raw.tool_response) : undefined;
  const command = input.text('command');
  const refs: GithubRef[] =
    command !== undefined ? extractToolCallGithubRefs(command, output) : extractGithubRefs(JSON.stringify(input.raw), 'command').concat(output ? extractGithubRefs(output, 'output') : []);
  return refs.map((ref) => {
    const attrs: OwnAttrs<'github.ref'> = { ref_type: ref.ref_type, number: ref.number };
    if (ref.repo !== undefined) attrs.repo = ref.repo;
    if (ref.url !== undefined) attrs.url = ref.url;
    if (ref.action !== undefined) attrs.action = ref.action;
    return b.make('github.ref', `h:gh:${id}:${githubRefKey(ref)}`, attrs);
  });
}

/** The printable part of a tool response: Bash's stdout, or the response itself when it is text. */
function responseText(response: unknown): string | undefined {
  if (typeof response === 'string') return response;
  if (response !== null && typeof response === 'object') {
    const r = response as Record<string, unknown>;
    const parts = [r.stdout, r.result, r.content].filter((v): v is string => typeof v === 'string');
    return parts.length > 0 ? parts.join('\n') : undefined;
  }
  return undefined;
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
  const name = p.short('tool_name', LIMITS.maxNameLength);
  if (name === undefined) return undefined;
  const id = p.id('tool_use_id');
  const attrs: OwnAttrs<'tool.called'> = { tool_name: name, ...describeInput(p.object('tool_input')) };
  if (id !== undefined) attrs.tool_use_id = id;
  return b.make('tool.called', id !== undefined ? `h:tc:${id}` : b.callKey(`tc:${name}`), attrs);
}

function toolFinished(p: HookPayload, b: HookEventBuilder, success: boolean, error: string | undefined): HookEvents {
  const id = p.id('tool_use_id');
  const name = p.short('tool_name', LIMITS.maxNameLength);
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

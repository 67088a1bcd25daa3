/**
 * Turns one transcript line into normalized events. Pure apart from the
 * {@link MapEnv} it is given: the same line, file and state always give the
 * same events with the same dedupe keys, which is what makes re-reading safe.
 *
 * Conventions (shared with the merge engine): one `api.request` per response
 * line whose usage differs from the previous line of the same response (the
 * merge keeps the largest usage per request, so repeats add nothing);
 * `<synthetic>` lines are never requests (an API error line is an `api.error`);
 * prompts are real user prompts only; status follows from these in the merge;
 * `HEAD` is never sent as a branch.
 */
import type { NormalizedEvent } from '../../schema/index.js';
import { IGNORED_TYPES, type TranscriptLine } from './line-fields.js';
import { lineKey, contentKey, sessionKey } from './keys.js';
import { contextOf, fitId, fitShort, fitText, parseUsage } from './map-values.js';
import { extractGithubRefs, githubRefKey } from '../github-refs.js';
import { apiError, apiRequest, compaction, githubRef, promptSubmitted, sessionStarted, subagentStarted, titleSet, toolCalled, toolFinished, type LineBase } from './event-shapes.js';
import { isRealPrompt, promptFields } from './prompts.js';
import { LIMITS } from '../../schema/limits.js';

/** The file a line came from. */
export interface FileIdentity {
  path: string;
  kind: 'main' | 'subagent';
  /** Session id the path names (main: file name; subagent: the `<session>` folder). */
  sessionId: string;
  /** Subagent id the path names, null for main files. */
  agentId: string | null;
}

/** What one file's previous lines leave behind for the next; saved in its checkpoint. */
export interface LineState {
  /** Timestamp (ms) of the last line that had one; lines without a timestamp take it. */
  lastTs: number;
  /** message id, request id and raw usage of the last `api.request` emitted. */
  reqSig: string;
  /** Main file: `session.started` was emitted. Subagent file: `subagent.started` was. */
  started: boolean;
}

/** A fresh state for a file read from its first byte. */
export function initialLineState(): LineState {
  return { lastTs: 0, reqSig: '', started: false };
}

/** Services and options the mapper needs from its caller. */
export interface MapEnv {
  /** `received_at` for the events. */
  receivedAt: number;
  /** Keep prompt text (off unless the user opts in: ARCHITECTURE §5). */
  includePromptText: boolean;
  count(name: string, n?: number): void;
  /**
   * Called with the uuid of each chain root (a line with `parentUuid: null`)
   * of a main file. Returns the session that owned this root before, when it
   * is another one: this session is then a fork of it.
   */
  claimRoot(uuid: string, sessionId: string): string | null;
  /** Creation time of the file being read (ms; 0 when the filesystem does not record it). */
  fileBornMs: number;
  /** The sidecar of a subagent file (`agent-<id>.meta.json`), or null while it does not exist. */
  subagentMeta(file: FileIdentity): SubagentMeta | null;
}

/** What a subagent's `.meta.json` sidecar says. */
export interface SubagentMeta {
  agentType?: string;
  description?: string;
  toolUseId?: string;
}

/** Line types this mapper knows (besides the ignored ones); anything else is counted as unknown. */
const MAPPED_TYPES: ReadonlySet<string> = new Set(['user', 'assistant', 'system', 'ai-title', 'custom-title', 'summary']);

/** Appends the events of one line to `out`. */
export function mapLine(line: TranscriptLine, file: FileIdentity, state: LineState, env: MapEnv, out: NormalizedEvent[]): void {
  const parsedTs = line.timestamp === undefined ? Number.NaN : Date.parse(line.timestamp);
  const hasTs = Number.isFinite(parsedTs) && parsedTs >= 0;
  if (hasTs) state.lastTs = parsedTs;
  const ts = hasTs ? parsedTs : state.lastTs > 0 ? state.lastTs : env.receivedAt;
  const sessionId = fitId(line.sessionId) ?? file.sessionId;
  const agentId = file.kind === 'subagent' ? (fitId(line.agentId) ?? file.agentId) : line.isSidechain === true ? (fitId(line.agentId) ?? 'sidechain') : null;
  const b: LineBase = { session_id: sessionId, agent_id: agentId, ts, received_at: env.receivedAt, ctx: contextOf(line) };

  if (hasTs) {
    if (file.kind === 'main') startSession(line, file, state, env, b, out);
    else if (!state.started && agentId !== null) startSubagent(file, agentId, state, env, b, out);
  }

  switch (line.type) {
    case 'user':
      return mapUser(line, env, b, out);
    case 'assistant':
      return mapAssistant(line, state, env, b, out);
    case 'system':
      if (line.subtype === 'compact_boundary' && line.uuid) {
        const c = line.compact ?? {};
        out.push(compaction(b, lineKey(line.uuid, 'k'), { trigger: fitShort(c.trigger, 64), pre_tokens: count(c.preTokens), post_tokens: count(c.postTokens) }));
      }
      return;
    case 'ai-title':
      return title(line.aiTitle, 'ai', 'ti', sessionId, b, out);
    case 'custom-title':
      return title(line.customTitle, 'custom', 'ct', sessionId, b, out);
    case 'summary':
      return title(line.summary, 'summary', 'su', line.leafUuid ?? sessionId, b, out);
    default:
      if (line.type === undefined) env.count('transcripts.lines_untyped');
      else if (!MAPPED_TYPES.has(line.type) && !IGNORED_TYPES.has(line.type)) env.count('transcripts.lines_unknown_type');
      return;
  }
}

/**
 * The session starts at the first message line (timestamp and uuid). If
 * that line is a chain root another session already owns, the file is a fork
 * (`--fork-session` copies history with its uuids): the start says so, and
 * is dated at the file's creation, not at the copied line. Later roots
 * (compaction boundaries) are claimed too, so forks of them are recognised.
 */
function startSession(line: TranscriptLine, file: FileIdentity, state: LineState, env: MapEnv, b: LineBase, out: NormalizedEvent[]): void {
  if (line.uuid === undefined) return;
  const isRoot = line.isRoot === true && line.isSidechain !== true;
  const owner = isRoot ? env.claimRoot(line.uuid, b.session_id) : null;
  if (!state.started) {
    state.started = true;
    const ts = owner === null ? b.ts : Math.max(b.ts, Math.floor(env.fileBornMs));
    out.push(sessionStarted(b, sessionKey('ss', b.session_id), ts, { transcript_path: fitText(file.path), start_source: owner === null ? 'unknown' : 'fork', forked_from: owner ?? undefined }));
  } else if (owner !== null) {
    out.push(sessionStarted(b, sessionKey('sf', b.session_id), b.ts, { transcript_path: fitText(file.path), start_source: 'fork', forked_from: owner }));
  }
}

function startSubagent(file: FileIdentity, agentId: string, state: LineState, env: MapEnv, b: LineBase, out: NormalizedEvent[]): void {
  const meta = env.subagentMeta(file);
  if (meta === null) return;
  state.started = true;
  out.push(subagentStarted(b, sessionKey('sa', b.session_id, agentId), { agent_type: fitShort(meta.agentType, LIMITS.maxNameLength), description: fitText(meta.description), tool_use_id: fitId(meta.toolUseId) }));
}

/**
 * The subagent start for a file whose lines were all read before its
 * sidecar appeared: dated at its last line, with the ids its path names.
 */
export function startSubagentLate(file: FileIdentity, state: LineState, env: MapEnv, out: NormalizedEvent[]): void {
  if (file.agentId === null) return;
  const b: LineBase = { session_id: file.sessionId, agent_id: file.agentId, ts: state.lastTs > 0 ? state.lastTs : env.receivedAt, received_at: env.receivedAt, ctx: {} };
  startSubagent(file, file.agentId, state, env, b, out);
}

function mapUser(line: TranscriptLine, env: MapEnv, b: LineBase, out: NormalizedEvent[]): void {
  const m = line.message;
  if (!m || line.uuid === undefined) return;
  let results = 0;
  for (const block of m.blocks) {
    if (block.type !== 'tool_result') continue;
    out.push(toolFinished(b, lineKey(line.uuid, `f${results}`), { tool_use_id: fitId(block.toolUseId), success: block.isError !== true }));
    results++;
  }
  if (results > 0 || b.agent_id !== null || !isRealPrompt(line)) return;
  const p = promptFields(m, env.includePromptText);
  out.push(promptSubmitted(b, lineKey(line.uuid, 'p'), { permission_mode: fitShort(line.permissionMode, 64), prompt_id: fitId(line.promptId), length: p.length, command: p.command, text: p.text }));
}

function mapAssistant(line: TranscriptLine, state: LineState, env: MapEnv, b: LineBase, out: NormalizedEvent[]): void {
  const m = line.message;
  if (!m || line.uuid === undefined) return;
  const uuid = line.uuid;
  if (line.isApiErrorMessage === true) {
    // Retries leave no trace in a transcript: an error line is the final failure of the turn.
    out.push(apiError(b, lineKey(uuid, 'e'), { status_code: intOrUndef(line.apiErrorStatus), error: fitText(line.error) }));
    return;
  }
  if (m.model === '<synthetic>') {
    env.count('transcripts.lines_synthetic');
    return;
  }
  const messageId = fitId(m.id);
  const requestId = fitId(line.requestId);
  const sig = `${messageId ?? ''}\u0000${requestId ?? ''}\u0000${m.usageText ?? ''}`;
  if (sig !== state.reqSig || (messageId === undefined && requestId === undefined)) {
    state.reqSig = sig;
    const usage = parseUsage(m.usageText);
    if (usage === null) env.count('transcripts.usage_invalid');
    out.push(apiRequest(b, lineKey(uuid, 'r'), { request_id: requestId, message_id: messageId, model: fitShort(m.model, 128), usage: usage ?? undefined, stop_reason: fitShort(m.stopReason, 64), is_sidechain: line.isSidechain === true }));
  }
  let calls = 0;
  for (const block of m.blocks) {
    if (block.type !== 'tool_use') continue;
    out.push(toolCalled(b, lineKey(uuid, `c${calls}`), { tool_use_id: fitId(block.toolUseId), tool_name: fitShort(block.name, LIMITS.maxNameLength) || 'unknown', file_path: fitText(block.filePath), command: fitText(block.command) }));
    // Issues and PRs the command names; the URLs a command printed reach dossier through the PostToolUse hook.
    if (block.command !== undefined) {
      for (const ref of extractGithubRefs(block.command, 'command')) out.push(githubRef(b, lineKey(uuid, `g${calls}:${githubRefKey(ref)}`), ref));
    }
    calls++;
  }
}

function title(text: string | undefined, source: 'ai' | 'custom' | 'summary', kind: string, scope: string, b: LineBase, out: NormalizedEvent[]): void {
  const t = text?.trim().slice(0, 1024);
  if (!t) return;
  out.push(titleSet(b, contentKey(kind, scope, t), { title: t, title_source: source }));
}

function count(n: number | undefined): number | undefined {
  return n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function intOrUndef(n: number | undefined): number | undefined {
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

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
import { contextOf, fitId, fitShort, fitText, parseUsage, type Context } from './map-values.js';
import { isRealPrompt, promptFields } from './prompts.js';

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
  const ctx = contextOf(line);
  const base = { source: 'transcript' as const, framework: 'claude_code' as const, session_id: sessionId, agent_id: agentId, ts, received_at: env.receivedAt };

  if (hasTs) {
    if (file.kind === 'main') startSession(line, file, sessionId, state, env, ctx, base, out);
    else if (!state.started && agentId !== null) startSubagent(file, sessionId, agentId, state, env, ctx, base, out);
  }

  switch (line.type) {
    case 'user':
      return mapUser(line, agentId, env, ctx, base, out);
    case 'assistant':
      return mapAssistant(line, state, env, ctx, base, out);
    case 'system':
      if (line.subtype === 'compact_boundary' && line.uuid) {
        const c = line.compact ?? {};
        out.push({ ...base, dedupe_key: lineKey(line.uuid, 'k'), kind: 'compaction', attrs: { ...ctx, trigger: fitShort(c.trigger, 64), pre_tokens: count(c.preTokens), post_tokens: count(c.postTokens) } });
      }
      return;
    case 'ai-title':
      return title(line.aiTitle, 'ai', 'ti', sessionId, base, out);
    case 'custom-title':
      return title(line.customTitle, 'custom', 'ct', sessionId, base, out);
    case 'summary':
      return title(line.summary, 'summary', 'su', line.leafUuid ?? sessionId, base, out);
    default:
      if (line.type === undefined) env.count('transcripts.lines_untyped');
      else if (!MAPPED_TYPES.has(line.type) && !IGNORED_TYPES.has(line.type)) env.count('transcripts.lines_unknown_type');
      return;
  }
}

type Base = Pick<NormalizedEvent, 'source' | 'framework' | 'session_id' | 'agent_id' | 'ts' | 'received_at'>;

/**
 * The session starts at the first message line (timestamp and uuid). If
 * that line is a chain root another session already owns, the file is a fork
 * (`--fork-session` copies history with its uuids): the start says so, and
 * is dated at the file's creation, not at the copied line. Later roots
 * (compaction boundaries) are claimed too, so forks of them are recognised.
 */
function startSession(line: TranscriptLine, file: FileIdentity, sessionId: string, state: LineState, env: MapEnv, ctx: Context, base: Base, out: NormalizedEvent[]): void {
  if (line.uuid === undefined) return;
  const isRoot = line.isRoot === true && line.isSidechain !== true;
  const owner = isRoot ? env.claimRoot(line.uuid, sessionId) : null;
  const transcript_path = fitText(file.path);
  if (!state.started) {
    state.started = true;
    const forked = owner === null ? {} : { forked_from: owner };
    const ts = owner === null ? base.ts : Math.max(base.ts, Math.floor(env.fileBornMs));
    out.push({ ...base, ts, agent_id: null, dedupe_key: sessionKey('ss', sessionId), kind: 'session.started', attrs: { ...ctx, transcript_path, start_source: owner === null ? 'unknown' : 'fork', ...forked } });
  } else if (owner !== null) {
    out.push({ ...base, agent_id: null, dedupe_key: sessionKey('sf', sessionId), kind: 'session.started', attrs: { ...ctx, transcript_path, start_source: 'fork', forked_from: owner } });
  }
}

function startSubagent(file: FileIdentity, sessionId: string, agentId: string, state: LineState, env: MapEnv, ctx: Context, base: Base, out: NormalizedEvent[]): void {
  const meta = env.subagentMeta(file);
  if (meta === null) return;
  state.started = true;
  out.push({
    ...base,
    dedupe_key: sessionKey('sa', sessionId, agentId),
    kind: 'subagent.started',
    attrs: { ...ctx, agent_type: fitShort(meta.agentType, 256), description: fitText(meta.description), tool_use_id: fitId(meta.toolUseId) },
  });
}

function mapUser(line: TranscriptLine, agentId: string | null, env: MapEnv, ctx: Context, base: Base, out: NormalizedEvent[]): void {
  const m = line.message;
  if (!m || line.uuid === undefined) return;
  let results = 0;
  for (const block of m.blocks) {
    if (block.type !== 'tool_result') continue;
    out.push({ ...base, dedupe_key: lineKey(line.uuid, `f${results}`), kind: 'tool.finished', attrs: { ...ctx, tool_use_id: fitId(block.toolUseId), success: block.isError !== true } });
    results++;
  }
  if (results > 0 || agentId !== null || !isRealPrompt(line)) return;
  const p = promptFields(m, env.includePromptText);
  out.push({
    ...base,
    dedupe_key: lineKey(line.uuid, 'p'),
    kind: 'prompt.submitted',
    attrs: { ...ctx, permission_mode: fitShort(line.permissionMode, 64), prompt_id: fitId(line.promptId), ...p },
  });
}

function mapAssistant(line: TranscriptLine, state: LineState, env: MapEnv, ctx: Context, base: Base, out: NormalizedEvent[]): void {
  const m = line.message;
  if (!m || line.uuid === undefined) return;
  const uuid = line.uuid;
  if (line.isApiErrorMessage === true) {
    // Retries leave no trace in a transcript: an error line is the final failure of the turn.
    out.push({ ...base, dedupe_key: lineKey(uuid, 'e'), kind: 'api.error', attrs: { ...ctx, status_code: intOrUndef(line.apiErrorStatus), error: fitText(line.error), retries_exhausted: true } });
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
    out.push({
      ...base,
      dedupe_key: lineKey(uuid, 'r'),
      kind: 'api.request',
      attrs: { ...ctx, request_id: requestId, message_id: messageId, model: fitShort(m.model, 128), usage: usage ?? undefined, stop_reason: fitShort(m.stopReason, 64), is_sidechain: line.isSidechain === true },
    });
  }
  let calls = 0;
  for (const block of m.blocks) {
    if (block.type !== 'tool_use') continue;
    out.push({
      ...base,
      dedupe_key: lineKey(uuid, `c${calls}`),
      kind: 'tool.called',
      attrs: { ...ctx, tool_use_id: fitId(block.toolUseId), tool_name: fitShort(block.name, 256) || 'unknown', file_path: fitText(block.filePath), command: fitText(block.command) },
    });
    calls++;
  }
}

function title(text: string | undefined, source: 'ai' | 'custom' | 'summary', kind: string, scope: string, base: Base, out: NormalizedEvent[]): void {
  const t = text?.trim().slice(0, 1024);
  if (!t) return;
  out.push({ ...base, agent_id: null, dedupe_key: contentKey(kind, scope, t), kind: 'title.set', attrs: { title: t, title_source: source } });
}

function count(n: number | undefined): number | undefined {
  return n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function intOrUndef(n: number | undefined): number | undefined {
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

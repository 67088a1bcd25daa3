/**
 * Reads the fields dossier needs from one Claude Code transcript line, and
 * nothing else: large values (tool output, file contents, attachments,
 * assistant text) are skipped byte-wise by the scanner. Field names follow
 * FORMATS.md Part 1 "Transcripts" and Part 2 §3. A value of the wrong JSON
 * type is treated as absent, never coerced.
 */
import { JsonScanError, skipWs } from './json-scan.js';
import { ArrayCursor, ObjectCursor, StickyString } from './json-cursor.js';

/** One content block of `message.content`, reduced to what the mapper uses. */
export interface ContentBlock {
  type: string;
  /** tool_use: its id; tool_result: the id it answers. */
  toolUseId?: string;
  name?: string;
  isError?: boolean;
  /** tool_use input: `file_path` / `notebook_path` / `path`, and Bash `command`. */
  filePath?: string;
  command?: string;
  /** text blocks of user messages only (assistant text is never decoded). */
  text?: string;
}

/** The parts of `message` the mapper reads. */
export interface MessageFields {
  role?: string;
  id?: string;
  model?: string;
  stopReason?: string;
  /** `usage` exactly as written; lines of one response usually repeat it byte for byte, so it is compared before it is parsed. */
  usageText?: string;
  /** `content` when it is a plain string (a typed prompt). */
  contentString?: string;
  blocks: ContentBlock[];
}

/** Compaction details of a `system/compact_boundary` line. */
export interface CompactFields {
  trigger?: string;
  preTokens?: number;
  postTokens?: number;
}

/** The fields of one transcript line that dossier maps to events. */
export interface TranscriptLine {
  type?: string;
  subtype?: string;
  uuid?: string;
  /** True when `parentUuid` is literally null: the start of a chain (first message, compact boundary). */
  isRoot?: boolean;
  sessionId?: string;
  agentId?: string;
  timestamp?: string;
  isSidechain?: boolean;
  cwd?: string;
  gitBranch?: string;
  version?: string;
  entrypoint?: string;
  promptId?: string;
  permissionMode?: string;
  isMeta?: boolean;
  isCompactSummary?: boolean;
  isVisibleInTranscriptOnly?: boolean;
  isApiErrorMessage?: boolean;
  apiErrorStatus?: number;
  error?: string;
  requestId?: string;
  message?: MessageFields;
  compact?: CompactFields;
  aiTitle?: string;
  customTitle?: string;
  summary?: string;
  leafUuid?: string;
}

/** Longest tool input string kept (a command, a path); longer ones are cut. */
export const MAX_INPUT_CHARS = 2048;

/**
 * Reads one line: bytes `[start, end)` of `b` (without the newline), with
 * `s` the latin1 view of `b` (same indices; see json-scan). Returns null when
 * the line is not a well-formed JSON object where it had to be read.
 */
export function readTranscriptLine(s: string, b: Buffer, start: number, end: number): TranscriptLine | null {
  const i = skipWs(s, start, end);
  if (s.charCodeAt(i) !== 0x7b) return null;
  try {
    const line: TranscriptLine = {};
    const c = new ObjectCursor(s, b, i, end);
    while (c.next()) {
      if (readTopField(c, line)) return line;
    }
    if (skipWs(s, c.endIndex, end) !== end) return null;
    return line;
  } catch (err) {
    if (err instanceof JsonScanError) return null;
    throw err;
  }
}

/** Line types that produce no event of their own (a queue operation still dates the session start). */
export const IGNORED_TYPES: ReadonlySet<string> = new Set([
  'attachment', 'progress', 'file-history-snapshot', 'queue-operation', 'last-prompt', 'mode',
  'permission-mode', 'agent-name', 'pr-link', 'turn_end', 'cost-state',
]);

/** Ignored types whose remaining fields are not even scanned (often a large attachment). */
export const SKIP_REST_TYPES: ReadonlySet<string> = new Set([...IGNORED_TYPES].filter((t) => t !== 'queue-operation'));

/**
 * One cache per field whose value usually repeats from line to line, so it
 * is decoded once per change; each scanner (this one, line-spans) keeps its own set.
 */
export function repeatedFieldCaches() {
  return {
    sessionId: new StickyString(),
    agentId: new StickyString(),
    cwd: new StickyString(),
    gitBranch: new StickyString(),
    version: new StickyString(),
    entrypoint: new StickyString(),
    promptId: new StickyString(),
    permissionMode: new StickyString(),
    requestId: new StickyString(),
    messageId: new StickyString(),
    model: new StickyString(),
    stopReason: new StickyString(),
    role: new StickyString(),
  };
}

const sticky = repeatedFieldCaches();

/** Reads one top-level member into `line`; true when the line turned out to be ignorable and reading can stop. */
function readTopField(c: ObjectCursor, line: TranscriptLine): boolean {
  switch (c.key) {
    case 'type': {
      line.type = c.readString();
      return line.type !== undefined && SKIP_REST_TYPES.has(line.type);
    }
    case 'attachment':
      line.type = 'attachment';
      return true;
    case 'subtype': line.subtype = c.readString(); break;
    case 'uuid': line.uuid = c.readString(); break;
    case 'parentUuid': line.isRoot = c.isNull(); break;
    case 'sessionId': line.sessionId = c.readSticky(sticky.sessionId); break;
    case 'agentId': line.agentId = c.readSticky(sticky.agentId); break;
    case 'timestamp': line.timestamp = c.readString(); break;
    case 'isSidechain': line.isSidechain = c.readBoolean(); break;
    case 'cwd': line.cwd = c.readSticky(sticky.cwd); break;
    case 'gitBranch': line.gitBranch = c.readSticky(sticky.gitBranch); break;
    case 'version': line.version = c.readSticky(sticky.version); break;
    case 'entrypoint': line.entrypoint = c.readSticky(sticky.entrypoint); break;
    case 'promptId': line.promptId = c.readSticky(sticky.promptId); break;
    case 'permissionMode': line.permissionMode = c.readSticky(sticky.permissionMode); break;
    case 'isMeta': line.isMeta = c.readBoolean(); break;
    case 'isCompactSummary': line.isCompactSummary = c.readBoolean(); break;
    case 'isVisibleInTranscriptOnly': line.isVisibleInTranscriptOnly = c.readBoolean(); break;
    case 'isApiErrorMessage': line.isApiErrorMessage = c.readBoolean(); break;
    case 'apiErrorStatus': line.apiErrorStatus = c.readNumber(); break;
    case 'error': line.error = c.readString(); break;
    case 'requestId': line.requestId = c.readSticky(sticky.requestId); break;
    case 'aiTitle': line.aiTitle = c.readString(); break;
    case 'customTitle': line.customTitle = c.readString(); break;
    case 'summary': line.summary = c.readString(); break;
    case 'leafUuid': line.leafUuid = c.readString(); break;
    case 'compactMetadata': line.compact = readCompact(c); break;
    case 'message': {
      const m = c.readObject();
      if (m) {
        line.message = readMessage(m);
        c.consumed(m.endIndex);
      }
      break;
    }
    default:
      break;
  }
  return false;
}

function readCompact(c: ObjectCursor): CompactFields | undefined {
  const o = c.readObject();
  if (!o) return undefined;
  const out: CompactFields = {};
  while (o.next()) {
    if (o.key === 'trigger') out.trigger = o.readString();
    else if (o.key === 'preTokens') out.preTokens = o.readNumber();
    else if (o.key === 'postTokens') out.postTokens = o.readNumber();
  }
  c.consumed(o.endIndex);
  return out;
}

function readMessage(m: ObjectCursor): MessageFields {
  const out: MessageFields = { blocks: [] };
  while (m.next()) {
    switch (m.key) {
      case 'role': out.role = m.readSticky(sticky.role); break;
      case 'id': out.id = m.readSticky(sticky.messageId); break;
      case 'model': out.model = m.readSticky(sticky.model); break;
      case 'stop_reason': out.stopReason = m.readSticky(sticky.stopReason); break;
      case 'usage': out.usageText = m.readRawObject(); break;
      case 'content': {
        if (m.isString()) {
          out.contentString = m.readString();
          break;
        }
        const arr = m.readArray();
        if (arr) m.consumed(readBlocks(arr, out));
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** Reads the content blocks; returns the index just past the array. */
function readBlocks(arr: ArrayCursor, out: MessageFields): number {
  const decodeText = out.role !== 'assistant';
  while (arr.next() >= 0) {
    const o = arr.readObject();
    if (!o) continue;
    const block = readBlock(o, decodeText);
    arr.consumed(o.endIndex);
    if (block) out.blocks.push(block);
  }
  return arr.endIndex;
}

function readBlock(o: ObjectCursor, decodeText: boolean): ContentBlock | null {
  let type: string | undefined;
  const block: Partial<ContentBlock> = {};
  while (o.next()) {
    switch (o.key) {
      case 'type': type = o.readString(); break;
      case 'id':
      case 'tool_use_id': block.toolUseId = o.readString(); break;
      case 'name': block.name = o.readString(); break;
      case 'is_error': block.isError = o.readBoolean(); break;
      case 'text': if (decodeText) block.text = o.readString(); break;
      case 'input': {
        const input = o.readObject();
        if (input) {
          readToolInput(input, block);
          o.consumed(input.endIndex);
        }
        break;
      }
      default:
        break;
    }
  }
  if (type === undefined) return null;
  return { ...block, type };
}

function readToolInput(o: ObjectCursor, block: Partial<ContentBlock>): void {
  while (o.next()) {
    const k = o.key;
    if (k === 'file_path' || k === 'notebook_path' || (k === 'path' && block.filePath === undefined)) {
      const v = o.readString();
      if (v !== undefined) block.filePath = v.slice(0, MAX_INPUT_CHARS);
    } else if (k === 'command') {
      const v = o.readString();
      if (v !== undefined) block.command = v.slice(0, MAX_INPUT_CHARS);
    }
  }
}

/**
 * Builds a {@link TranscriptLine} from the native scanner's output: the
 * (field, start, end) triples of native/transcript-scan.c, in document
 * order. Assignments follow line-fields.ts member by member (a later key
 * overwrites an earlier one, a value of the wrong type assigns undefined,
 * only the values the JS reader would decode are decoded), so both scanners
 * give deep-equal lines; the property test in
 * test/property/transcripts/native-scanner.test.ts holds them to it.
 */
import type { NativeScanner } from './native-scanner.js';
import type { StickyString } from './json-cursor.js';
import { decodeEscapedString, JsonScanError, latin1, utf8 } from './json-scan.js';
import { MAX_INPUT_CHARS, repeatedFieldCaches, type CompactFields, type ContentBlock, type MessageFields, type TranscriptLine } from './line-fields.js';

/** Field ids of the triples; keep in step with the enum in native/transcript-scan.c. */
const enum F {
  TYPE = 1, SUBTYPE, UUID, PARENT_UUID, SESSION_ID, AGENT_ID, TIMESTAMP,
  IS_SIDECHAIN, CWD, GIT_BRANCH, VERSION, ENTRYPOINT, PROMPT_ID,
  PERMISSION_MODE, IS_META, IS_COMPACT_SUMMARY, IS_VISIBLE_ONLY,
  IS_API_ERROR, API_ERROR_STATUS, ERROR, REQUEST_ID, AI_TITLE,
  CUSTOM_TITLE, SUMMARY, LEAF_UUID, ATTACHMENT,
  COMPACT, C_TRIGGER, C_PRE_TOKENS, C_POST_TOKENS,
  MESSAGE, M_ROLE, M_ID, M_MODEL, M_STOP_REASON, M_USAGE, M_CONTENT_STRING,
  CONTENT_ARRAY, BLOCK, BLOCK_END, B_TYPE, B_ID, B_TOOL_USE_ID, B_NAME,
  B_IS_ERROR, B_TEXT, I_FILE_PATH, I_NOTEBOOK_PATH, I_PATH, I_COMMAND,
}

/** Flag on a string field whose text holds a backslash. */
const ESCAPED = 0x100;

/** Returned when the JS scanner has to read the line (see NativeScanner.scanLine). */
export const USE_JS_SCANNER: unique symbol = Symbol('use the JS scanner');

/** Triples per line before the native scanner hands the line to the JS one (lines with thousands of content blocks). */
const OUT_INT32S = 3 * 8192;

/**
 * Reads lines through the native scanner. One instance per reader (it owns
 * the output array and the caches of repeated values).
 */
export class SpanLineReader {
  readonly #native: NativeScanner;
  readonly #out = new Int32Array(OUT_INT32S);
  readonly #repeat = repeatedFieldCaches();

  constructor(native: NativeScanner) {
    this.#native = native;
  }

  /**
   * Bytes `[start, end)` of `b` as one line: the fields, null when the line
   * is not a well-formed JSON object where it had to be read (exactly when
   * `readTranscriptLine` returns null), or {@link USE_JS_SCANNER}.
   */
  read(b: Buffer, start: number, end: number): TranscriptLine | null | typeof USE_JS_SCANNER {
    const n = this.#native.scanLine(b, start, end, this.#out);
    if (n === -2) return USE_JS_SCANNER;
    if (n < 0) return null;
    try {
      return this.#build(b, n);
    } catch (err) {
      if (err instanceof JsonScanError) return null;
      throw err;
    }
  }

  #build(b: Buffer, n: number): TranscriptLine {
    const out = this.#out;
    const r = this.#repeat;
    const line: TranscriptLine = {};
    let message: MessageFields | undefined;
    let compact: CompactFields | undefined;
    let decodeText = true;
    let block: Partial<ContentBlock> = {};
    let blockType: string | undefined;
    for (let k = 0; k < n; k += 3) {
      const tag = out[k]!;
      const s = out[k + 1]!;
      const e = out[k + 2]!;
      switch (tag & 0xff) {
        case F.TYPE: line.type = str(b, tag, s, e); break;
        case F.ATTACHMENT: line.type = 'attachment'; break;
        case F.SUBTYPE: line.subtype = str(b, tag, s, e); break;
        case F.UUID: line.uuid = str(b, tag, s, e); break;
        case F.PARENT_UUID: line.isRoot = s === 1; break;
        case F.SESSION_ID: line.sessionId = repeated(r.sessionId, b, tag, s, e); break;
        case F.AGENT_ID: line.agentId = repeated(r.agentId, b, tag, s, e); break;
        case F.TIMESTAMP: line.timestamp = str(b, tag, s, e); break;
        case F.IS_SIDECHAIN: line.isSidechain = bool(s, e); break;
        case F.CWD: line.cwd = repeated(r.cwd, b, tag, s, e); break;
        case F.GIT_BRANCH: line.gitBranch = repeated(r.gitBranch, b, tag, s, e); break;
        case F.VERSION: line.version = repeated(r.version, b, tag, s, e); break;
        case F.ENTRYPOINT: line.entrypoint = repeated(r.entrypoint, b, tag, s, e); break;
        case F.PROMPT_ID: line.promptId = repeated(r.promptId, b, tag, s, e); break;
        case F.PERMISSION_MODE: line.permissionMode = repeated(r.permissionMode, b, tag, s, e); break;
        case F.IS_META: line.isMeta = bool(s, e); break;
        case F.IS_COMPACT_SUMMARY: line.isCompactSummary = bool(s, e); break;
        case F.IS_VISIBLE_ONLY: line.isVisibleInTranscriptOnly = bool(s, e); break;
        case F.IS_API_ERROR: line.isApiErrorMessage = bool(s, e); break;
        case F.API_ERROR_STATUS: line.apiErrorStatus = num(b, s, e); break;
        case F.ERROR: line.error = str(b, tag, s, e); break;
        case F.REQUEST_ID: line.requestId = repeated(r.requestId, b, tag, s, e); break;
        case F.AI_TITLE: line.aiTitle = str(b, tag, s, e); break;
        case F.CUSTOM_TITLE: line.customTitle = str(b, tag, s, e); break;
        case F.SUMMARY: line.summary = str(b, tag, s, e); break;
        case F.LEAF_UUID: line.leafUuid = str(b, tag, s, e); break;
        case F.COMPACT:
          compact = e === 1 ? {} : undefined;
          line.compact = compact;
          break;
        case F.C_TRIGGER: compact!.trigger = str(b, tag, s, e); break;
        case F.C_PRE_TOKENS: compact!.preTokens = num(b, s, e); break;
        case F.C_POST_TOKENS: compact!.postTokens = num(b, s, e); break;
        case F.MESSAGE:
          message = { blocks: [] };
          line.message = message;
          break;
        case F.M_ROLE: message!.role = repeated(r.role, b, tag, s, e); break;
        case F.M_ID: message!.id = repeated(r.messageId, b, tag, s, e); break;
        case F.M_MODEL: message!.model = repeated(r.model, b, tag, s, e); break;
        case F.M_STOP_REASON: message!.stopReason = repeated(r.stopReason, b, tag, s, e); break;
        case F.M_USAGE: message!.usageText = e === s ? undefined : utf8(b, s, e); break;
        case F.M_CONTENT_STRING: message!.contentString = str(b, tag, s, e); break;
        case F.CONTENT_ARRAY: decodeText = message!.role !== 'assistant'; break;
        case F.BLOCK:
          block = {};
          blockType = undefined;
          break;
        case F.BLOCK_END:
          if (blockType !== undefined) message!.blocks.push({ ...block, type: blockType });
          break;
        case F.B_TYPE: blockType = str(b, tag, s, e); break;
        case F.B_ID:
        case F.B_TOOL_USE_ID: block.toolUseId = str(b, tag, s, e); break;
        case F.B_NAME: block.name = str(b, tag, s, e); break;
        case F.B_IS_ERROR: block.isError = bool(s, e); break;
        case F.B_TEXT: if (decodeText) block.text = str(b, tag, s, e); break;
        case F.I_FILE_PATH:
        case F.I_NOTEBOOK_PATH: {
          const v = str(b, tag, s, e);
          if (v !== undefined) block.filePath = v.slice(0, MAX_INPUT_CHARS);
          break;
        }
        case F.I_PATH: {
          if (block.filePath !== undefined) break;
          const v = str(b, tag, s, e);
          if (v !== undefined) block.filePath = v.slice(0, MAX_INPUT_CHARS);
          break;
        }
        case F.I_COMMAND: {
          const v = str(b, tag, s, e);
          if (v !== undefined) block.command = v.slice(0, MAX_INPUT_CHARS);
          break;
        }
        default:
          throw new Error(`native transcript scanner: unknown field ${tag}`);
      }
    }
    return line;
  }
}

/** A string span (quotes included) decoded; undefined for a value reported empty (not a string). */
function str(b: Buffer, tag: number, s: number, e: number): string | undefined {
  if (e === s) return undefined;
  return (tag & ESCAPED) === 0 ? utf8(b, s + 1, e - 1) : decodeEscapedString(b, s, e);
}

/** Like {@link str}, returning the cached value when the bytes between the quotes repeat the last ones (`raw`, as the JS reader keeps it). */
function repeated(cache: StickyString, b: Buffer, tag: number, s: number, e: number): string | undefined {
  if (e === s) return undefined;
  const raw = cache.raw;
  const from = s + 1;
  const len = e - 1 - from;
  if (raw.length === len && len > 0) {
    let i = 0;
    while (i < len && raw.charCodeAt(i) === b[from + i]) i++;
    if (i === len) return cache.value;
  }
  return cache.remember(b, from, e - 1, str(b, tag, s, e)!);
}

/** `true`/`false` by the span the scanner consumed (4 or 5 bytes); undefined otherwise. */
function bool(s: number, e: number): boolean | undefined {
  const len = e - s;
  return len === 4 ? true : len === 5 ? false : undefined;
}

/** A number span as a finite number, else undefined. */
function num(b: Buffer, s: number, e: number): number | undefined {
  if (e === s) return undefined;
  const n = Number(latin1(b, s, e));
  return Number.isFinite(n) ? n : undefined;
}

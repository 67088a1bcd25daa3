/**
 * Reads the unread complete lines of one transcript file from its
 * checkpoint and maps them to events. Only appended bytes are read; a file
 * whose identity changed (new inode, different first bytes) or that shrank
 * below its offset is read again from the start (dedupe keys make that
 * harmless); a partial last line waits for its newline; a line longer than
 * the bound is skipped (across reads, if need be) and counted.
 *
 * Synchronous on purpose: it runs inside the reader worker, where blocking
 * is free and small sync reads beat the promise machinery by a wide margin.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { NormalizedEvent } from '../../schema/index.js';
import { FINGERPRINT_BYTES, MAX_ROOTS, fingerprint, freshCheckpoint, type FileCheckpoint } from './checkpoint.js';
import { latin1 } from './json-scan.js';
import { readTranscriptLine, type TranscriptLine } from './line-fields.js';
import { SpanLineReader, USE_JS_SCANNER } from './line-spans.js';
import { requireNativeScanner, type LineScanner } from './native-scanner.js';
import { mapLine, startSubagentLate, type FileIdentity, type MapEnv } from './map-line.js';

/** Bounds of one read. */
export interface ReadBudget {
  /** Stop after the line that brings the output to this many events. */
  maxEvents: number;
  /** Stop after the line that brings the bytes consumed in this read to this many. */
  maxBytes: number;
  /** Lines longer than this many bytes are skipped and counted. */
  maxLineBytes: number;
}

/** What one read did. */
export interface ReadOutcome {
  /** The checkpoint after the last line consumed (to commit with the events). */
  checkpoint: FileCheckpoint;
  /** True when everything complete was read (only a partial line, if any, remains). */
  atEnd: boolean;
  /** The file does not exist (any more). */
  gone: boolean;
  bytes: number;
  lines: number;
  /** File size seen at open. */
  size: number;
}

const CHUNK = 1 << 20;

/** Reads transcript files; keeps one reusable buffer. */
export class FileReader {
  #buf = Buffer.allocUnsafe(CHUNK);
  readonly #spans: SpanLineReader | null;

  /** `scanner`: which line scanner to use; `native` throws when the addon cannot load (see native-scanner.ts). */
  constructor(scanner: LineScanner = 'js') {
    this.#spans = scanner === 'native' ? new SpanLineReader(requireNativeScanner()) : null;
  }

  /**
   * Reads `file` from `previous` (null: never read) and appends the events to
   * `out`, within `budget`. Never throws for file content; I/O errors other
   * than a missing file propagate.
   */
  read(file: FileIdentity, previous: FileCheckpoint | null, env: MapEnv, budget: ReadBudget, out: NormalizedEvent[]): ReadOutcome {
    let fd: number;
    try {
      fd = openSync(file.path, 'r');
    } catch (err) {
      if (isMissing(err)) return { checkpoint: previous ?? freshCheckpoint(0, 0), atEnd: true, gone: true, bytes: 0, lines: 0, size: 0 };
      throw err;
    }
    try {
      const st = fstatSync(fd);
      const cp = this.#validate(fd, st.dev, st.ino, st.size, previous, env);
      if (cp.off >= st.size) {
        // Nothing new, but a subagent's sidecar may have landed after its last line.
        if (file.kind === 'subagent' && !cp.state.started && cp.off > 0) startSubagentLate(file, cp.state, env, out);
        return { checkpoint: cp, atEnd: true, gone: false, bytes: 0, lines: 0, size: st.size };
      }
      return this.#readLines(fd, file, cp, { ...env, fileBornMs: st.birthtimeMs > 0 ? st.birthtimeMs : 0 }, budget, out, st.size);
    } finally {
      closeSync(fd);
    }
  }

  /** The checkpoint to continue from: the previous one if this is still the same file, else a fresh one. */
  #validate(fd: number, dev: number, ino: number, size: number, previous: FileCheckpoint | null, env: MapEnv): FileCheckpoint {
    let cp = previous;
    if (cp !== null && (cp.dev !== dev || cp.ino !== ino)) {
      env.count('transcripts.files_replaced');
      cp = null;
    } else if (cp !== null && size < cp.off) {
      env.count('transcripts.files_truncated');
      cp = null;
    }
    const head = Math.min(size, FINGERPRINT_BYTES);
    if (cp !== null && cp.fpLen > 0 && fingerprint(this.#head(fd, cp.fpLen), cp.fpLen) !== cp.fp) {
      env.count('transcripts.files_replaced');
      cp = null;
    }
    const next = cp === null ? freshCheckpoint(dev, ino) : { ...cp, state: { ...cp.state }, roots: [...cp.roots] };
    if (next.fpLen < head) {
      next.fp = fingerprint(this.#head(fd, head), head);
      next.fpLen = head;
    }
    return next;
  }

  #head(fd: number, len: number): Buffer {
    const n = readSync(fd, this.#buf, 0, len, 0);
    return n === len ? this.#buf : this.#buf.subarray(0, 0);
  }

  #readLines(fd: number, file: FileIdentity, cp: FileCheckpoint, sharedEnv: MapEnv, budget: ReadBudget, out: NormalizedEvent[], size: number): ReadOutcome {
    // Roots this file owns go into its checkpoint, so the fork index survives restarts.
    const env: MapEnv = {
      ...sharedEnv,
      claimRoot: (uuid, sessionId) => {
        const owner = sharedEnv.claimRoot(uuid, sessionId);
        if (owner === null && cp.roots.length < MAX_ROOTS && !cp.roots.includes(uuid)) cp.roots.push(uuid);
        return owner;
      },
    };
    const eventsAtStart = out.length;
    let pos = cp.off; // file offset of buf[0]
    let have = 0;
    let lines = 0;
    let stop = false;
    let atEnd = false;
    for (;;) {
      if (have === this.#buf.length) this.#grow(budget.maxLineBytes);
      const n = readSync(fd, this.#buf, have, this.#buf.length - have, pos + have);
      if (n === 0) {
        atEnd = true;
        break;
      }
      have += n;
      const view = this.#buf.subarray(0, have);
      let start = 0;
      while (!stop) {
        const nl = view.indexOf(10, start);
        if (nl < 0) break;
        if (cp.skip) {
          cp.skip = false;
        } else if (nl - start > budget.maxLineBytes) {
          env.count('transcripts.lines_oversized');
        } else {
          this.#line(start, nl, file, cp, env, out);
        }
        start = nl + 1;
        lines++;
        stop = out.length - eventsAtStart >= budget.maxEvents || pos + start - cp.off >= budget.maxBytes;
      }
      pos += start;
      have -= start;
      if (have > 0 && start > 0) this.#buf.copy(this.#buf, 0, start, start + have);
      if (!stop && (cp.skip || have > budget.maxLineBytes)) {
        // Inside a line over the bound: drop its bytes now, keep dropping until its newline.
        if (!cp.skip) env.count('transcripts.lines_oversized');
        cp.skip = true;
        pos += have;
        have = 0;
      }
      if (stop) break;
    }
    const bytes = pos - cp.off;
    cp.off = pos;
    this.#shrink();
    env.count('transcripts.lines_read', lines);
    return { checkpoint: cp, atEnd: atEnd || (!stop && pos >= size), gone: false, bytes, lines, size };
  }

  #line(start: number, end: number, file: FileIdentity, cp: FileCheckpoint, env: MapEnv, out: NormalizedEvent[]): void {
    if (end === start) return;
    const scanned = this.#spans === null ? USE_JS_SCANNER : this.#spans.read(this.#buf, start, end);
    const line = scanned === USE_JS_SCANNER ? this.#jsLine(start, end) : scanned;
    if (line === null) {
      if (latin1(this.#buf, start, end).trim().length > 0) env.count('transcripts.lines_malformed');
      return;
    }
    mapLine(line, file, cp.state, env, out);
  }

  #jsLine(start: number, end: number): TranscriptLine | null {
    // The latin1 view of the line: character i is byte start + i (see json-scan).
    const text = latin1(this.#buf, start, end);
    return readTranscriptLine(text, this.#buf.subarray(start, end), 0, end - start);
  }

  /** Makes room for a line longer than the buffer, up to the line bound. */
  #grow(maxLineBytes: number): void {
    const size = Math.min(Math.max(this.#buf.length * 2, CHUNK), maxLineBytes + CHUNK);
    const next = Buffer.allocUnsafe(size);
    this.#buf.copy(next, 0, 0, this.#buf.length);
    this.#buf = next;
  }

  /** Gives back memory after a large line so the resident size does not keep the peak. */
  #shrink(): void {
    if (this.#buf.length > 4 * CHUNK) this.#buf = Buffer.allocUnsafe(CHUNK);
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

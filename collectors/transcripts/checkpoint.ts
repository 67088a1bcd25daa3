/**
 * The per-file checkpoint: which file (device, inode, fingerprint of its
 * first bytes), how far it was read (byte offset of the first unread line),
 * and the line state the next line needs. Stored as JSON text under the
 * file's absolute path, committed in the same transaction as the events
 * read before that offset.
 */
import { initialLineState, type LineState } from './map-line.js';

/** Bytes of the file start that identify it. */
export const FINGERPRINT_BYTES = 1024;

/** A file's read position and identity. */
export interface FileCheckpoint {
  dev: number;
  ino: number;
  /** Hash of the first `fpLen` bytes; `fpLen` grows until {@link FINGERPRINT_BYTES}. */
  fp: string;
  fpLen: number;
  /** Byte offset where the next unread line starts (or where skipping of an oversized line resumes). */
  off: number;
  /** True while inside a line longer than the bound: bytes up to the next newline are discarded. */
  skip: boolean;
  state: LineState;
  /** Chain roots (uuids with `parentUuid: null`) of this main file, for fork detection. */
  roots: string[];
}

/** Most roots kept per file (each compaction adds one). */
export const MAX_ROOTS = 16;

/** A checkpoint for a file never read. */
export function freshCheckpoint(dev: number, ino: number): FileCheckpoint {
  return { dev, ino, fp: '', fpLen: 0, off: 0, skip: false, state: initialLineState(), roots: [] };
}

/** Serializes a checkpoint (compact keys: one row per file in the store). */
export function encodeCheckpoint(c: FileCheckpoint): string {
  return JSON.stringify({ v: 1, d: c.dev, i: c.ino, f: c.fp, fl: c.fpLen, o: c.off, k: c.skip ? 1 : 0, s: [c.state.lastTs, c.state.reqSig, c.state.started ? 1 : 0], r: c.roots });
}

/** Parses a stored checkpoint; null when it is not one this version wrote (the file is then read again from the start). */
export function decodeCheckpoint(text: string): FileCheckpoint | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (raw === null || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  const s = o.s;
  if (o.v !== 1 || !isStatNumber(o.d) || !isStatNumber(o.i) || typeof o.f !== 'string' || !isNat(o.fl) || !isNat(o.o) || !Array.isArray(s) || s.length !== 3) return null;
  const [lastTs, reqSig, started] = s as unknown[];
  if (!isNat(lastTs) || typeof reqSig !== 'string') return null;
  const roots = Array.isArray(o.r) ? o.r.filter((x): x is string => typeof x === 'string').slice(0, MAX_ROOTS) : [];
  return { dev: o.d, ino: o.i, fp: o.f, fpLen: o.fl, off: o.o, skip: o.k === 1, state: { lastTs, reqSig, started: started === 1 }, roots };
}

/** Device and inode numbers can exceed 2^53 on some filesystems; Node rounds them the same way every time, so equality still holds. */
function isStatNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

function isNat(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Hash of a byte range, for the fingerprint (FNV-1a, 32 bits, two lanes). */
export function fingerprint(b: Buffer, len: number): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x9e3779b9;
  for (let i = 0; i < len; i++) {
    const c = b[i]!;
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `${(h1 >>> 0).toString(36)}.${(h2 >>> 0).toString(36)}`;
}

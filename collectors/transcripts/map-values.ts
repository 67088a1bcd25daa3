/**
 * Value shaping for the mapper: every string is checked against the bounds
 * of `schema/` before it goes into an event (an id that is too long is
 * dropped, free text is cut), usage objects are validated field by field,
 * and the per-line context (cwd, branch, version, entrypoint) is built once
 * per distinct combination.
 */
import { LIMITS } from '../../schema/limits.js';
import type { Usage } from '../../schema/index.js';
import type { TranscriptLine } from './line-fields.js';

/** The context attrs every transcript event carries. */
export interface Context {
  cwd?: string;
  git_branch?: string;
  app_version?: string;
  entrypoint?: string;
}

/** The id when it is a non-empty string within the id bound, else undefined. */
export function fitId(v: string | undefined): string | undefined {
  return v !== undefined && v.length > 0 && v.length <= LIMITS.maxIdLength ? v : undefined;
}

/** The string when it is non-empty and at most `max` long, else undefined (short enumerations: model, reason). */
export function fitShort(v: string | undefined, max: number): string | undefined {
  return v !== undefined && v.length > 0 && v.length <= max ? v : undefined;
}

/** Free text cut to the text bound; undefined stays undefined. */
export function fitText(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  return v.length <= LIMITS.maxTextLength ? v : v.slice(0, LIMITS.maxTextLength);
}

let lastLine: { cwd?: string; gitBranch?: string; version?: string; entrypoint?: string } = {};
let lastContext: Context = {};

/**
 * Context attrs of one line. `HEAD` means "not a git repository" and is
 * never sent as a branch; a cwd longer than the text bound is dropped rather
 * than cut (a cut path would name the wrong place).
 */
export function contextOf(line: TranscriptLine): Context {
  if (line.cwd === lastLine.cwd && line.gitBranch === lastLine.gitBranch && line.version === lastLine.version && line.entrypoint === lastLine.entrypoint) {
    return lastContext;
  }
  const ctx: Context = {};
  if (line.cwd !== undefined && line.cwd.length > 0 && line.cwd.length <= LIMITS.maxTextLength) ctx.cwd = line.cwd;
  if (line.gitBranch !== undefined && line.gitBranch !== 'HEAD' && line.gitBranch.length > 0 && line.gitBranch.length <= LIMITS.maxTextLength) ctx.git_branch = line.gitBranch;
  const version = fitShort(line.version, 64);
  if (version !== undefined) ctx.app_version = version;
  const entrypoint = fitShort(line.entrypoint, 64);
  if (entrypoint !== undefined) ctx.entrypoint = entrypoint;
  lastLine = { cwd: line.cwd, gitBranch: line.gitBranch, version: line.version, entrypoint: line.entrypoint };
  lastContext = ctx;
  return ctx;
}

function tokenCount(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
}

/**
 * The usage of one response line, or null when it is missing or any count is
 * not a non-negative integer. `cache_write` is the total cache creation;
 * `cache_write_1h` its 1-hour part (0 when the line has no breakdown).
 */
export function parseUsage(text: string | undefined): Usage | null {
  if (text === undefined) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (raw === null || typeof raw !== 'object') return null;
  const u = raw as Record<string, unknown>;
  const input = tokenCount(u.input_tokens ?? 0);
  const output = tokenCount(u.output_tokens ?? 0);
  const cacheRead = tokenCount(u.cache_read_input_tokens ?? 0);
  const split = u.cache_creation !== null && typeof u.cache_creation === 'object' ? (u.cache_creation as Record<string, unknown>) : undefined;
  const write1h = split ? tokenCount(split.ephemeral_1h_input_tokens ?? 0) : 0;
  const write5m = split ? tokenCount(split.ephemeral_5m_input_tokens ?? 0) : 0;
  const writeTotal = u.cache_creation_input_tokens === undefined ? (write1h ?? 0) + (write5m ?? 0) : tokenCount(u.cache_creation_input_tokens);
  if (input === null || output === null || cacheRead === null || writeTotal === null || write1h === null || write5m === null) return null;
  return { input, output, cache_read: cacheRead, cache_write: writeTotal, cache_write_1h: Math.min(write1h, writeTotal) };
}

/**
 * Lenient readers for Claude Code attribute values. Claude Code sent numbers
 * as strings before 2.1.122 and still sends some booleans as "true"/"false";
 * protobuf int64 values may arrive as numbers or decimal strings. Each reader
 * returns `undefined` for a value it cannot use, so the caller omits the
 * field instead of storing something wrong.
 */
import { LIMITS } from '../../../schema/index.js';
import type { AttrValue } from '../model.js';

/** A non-empty string; numbers are written in decimal. */
export function str(v: AttrValue | undefined): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A string cut to `max` characters (free text, names). */
export function short(v: AttrValue | undefined, max: number): string | undefined {
  const s = str(v);
  return s === undefined ? undefined : s.length > max ? s.slice(0, max) : s;
}

/** Free text bounded by LIMITS.maxTextLength. */
export function text(v: AttrValue | undefined): string | undefined {
  return short(v, LIMITS.maxTextLength);
}

/** An identifier; one longer than LIMITS.maxIdLength is unusable (a cut id would join wrongly). */
export function id(v: AttrValue | undefined): string | undefined {
  const s = str(v);
  return s !== undefined && s.length <= LIMITS.maxIdLength ? s : undefined;
}

/** A finite number from a number or a decimal string. */
export function num(v: AttrValue | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A non-negative integer count (rounded), from a number or a decimal string. */
export function count(v: AttrValue | undefined): number | undefined {
  const n = num(v);
  if (n === undefined || n < 0) return undefined;
  return Math.min(Math.round(n), Number.MAX_SAFE_INTEGER);
}

/** A boolean from true/false, "true"/"false" or 1/0. */
export function bool(v: AttrValue | undefined): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 1 || v === '1') return true;
  if (v === 'false' || v === 0 || v === '0') return false;
  return undefined;
}

/** The fields of a JSON-object string attribute (tool_parameters, tool_input); `undefined` if it is not one. */
export function jsonObject(v: AttrValue | undefined): Record<string, unknown> | undefined {
  if (typeof v !== 'string' || v.length < 2 || v[0] !== '{') return undefined;
  try {
    const parsed: unknown = JSON.parse(v);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Nanoseconds to whole milliseconds; 0 when unset or out of the schema's range. */
export function nsToMs(ns: number): number {
  if (!(ns > 0)) return 0;
  const ms = Math.floor(ns / 1e6);
  return ms <= 8_640_000_000_000_000 ? ms : 0;
}

/**
 * `ns` when {@link nsToMs} can read it as a time, else 0 (unset): a time that
 * is no time (NaN, negative, past the epoch bound) must not name a record or
 * become a series' mark, where it would make every later point look older.
 */
export function readableNs(ns: number): number {
  return nsToMs(ns) === 0 ? 0 : ns;
}

/** Copies `value` into `attrs[key]` only when defined, keeping attrs free of explicit undefineds. */
export function put<T extends object, K extends keyof T>(attrs: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) attrs[key] = value;
}

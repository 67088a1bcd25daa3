/**
 * Tolerant reading of the OTLP JSON encoding's common parts: field names in
 * lowerCamelCase or snake_case, 64-bit integers as strings or numbers,
 * `intValue` and `doubleValue` interchangeably, trace ids in hex (the OTLP
 * JSON rule) or base64 (the proto3 default), enums as numbers or names.
 */
import type { AttrValue, Attrs } from '../model.js';
import { DecodeError } from '../proto/wire.js';

/** A JSON object as parsed. */
export type Json = Record<string, unknown>;

/** Bounds and state for one JSON decode. */
export interface JsonContext {
  maxStringLength: number;
  maxDepth: number;
  /** Set when a string over the bound was met; read and reset per record. */
  oversized: boolean;
  /** Log record bodies whose attributes are not read. */
  ignoredBodies: ReadonlySet<string> | undefined;
}

/** The value of a field by its camelCase or snake_case name; proto3 JSON reads `null` as absent, so a null camelCase member yields to its snake_case twin. */
export function field(obj: Json, camel: string, snake: string): unknown {
  const v = obj[camel];
  return v === undefined || v === null ? obj[snake] : v;
}

/** A field that must be an object (or absent → undefined). */
export function objectField(obj: Json, camel: string, snake: string): Json | undefined {
  const v = field(obj, camel, snake);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new DecodeError(`${camel} must be an object`);
  return v as Json;
}

/** A field that must be an array of objects (absent → empty). */
export function arrayField(obj: Json, camel: string, snake: string): Json[] {
  const v = field(obj, camel, snake);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new DecodeError(`${camel} must be an array`);
  for (const item of v) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new DecodeError(`${camel} must hold objects`);
  }
  return v as Json[];
}

/** A string field (absent → ''). */
export function stringField(obj: Json, camel: string, snake: string, ctx: JsonContext): string {
  const v = field(obj, camel, snake);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new DecodeError(`${camel} must be a string`);
  return bounded(v, ctx);
}

/** An integer or float given as a number or a decimal string (absent → 0). */
export function numberField(obj: Json, camel: string, snake: string): number {
  return toNumber(field(obj, camel, snake), camel);
}

/** An enum given as its number or its name (names resolve through `names`, absent → 0). */
export function enumField(obj: Json, camel: string, snake: string, names: Record<string, number>): number {
  const v = field(obj, camel, snake);
  if (typeof v === 'string' && v in names) return names[v]!;
  return toNumber(v, camel);
}

/** Reads an `attributes` array of KeyValue objects. */
export function readAttributes(list: unknown, ctx: JsonContext, depth = 0): Attrs {
  const attrs: Attrs = new Map();
  if (list === undefined || list === null) return attrs;
  if (!Array.isArray(list)) throw new DecodeError('attributes must be an array');
  for (const kv of list as unknown[]) {
    if (kv === null || typeof kv !== 'object') throw new DecodeError('attribute must be an object');
    const key = (kv as Json).key;
    if (typeof key !== 'string') throw new DecodeError('attribute key must be a string');
    const value = (kv as Json).value;
    attrs.set(bounded(key, ctx), value === undefined || value === null ? null : readAnyValue(value, ctx, depth));
  }
  return attrs;
}

/** Reads one AnyValue object. */
export function readAnyValue(value: unknown, ctx: JsonContext, depth: number): AttrValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DecodeError('AnyValue must be an object');
  const v = value as Json;
  // A null member is an absent one (proto3 JSON): the member actually set wins.
  const s = field(v, 'stringValue', 'string_value');
  if (s != null) return typeof s === 'string' ? bounded(s, ctx) : String(s);
  const b = field(v, 'boolValue', 'bool_value');
  if (b != null) return b === true || b === 'true';
  const i = field(v, 'intValue', 'int_value');
  if (i != null) return toNumber(i, 'intValue');
  const d = field(v, 'doubleValue', 'double_value');
  if (d != null) return toNumber(d, 'doubleValue');
  const arr = objectField(v, 'arrayValue', 'array_value');
  if (arr !== undefined) return readArray(arr, ctx, depth + 1);
  const kv = objectField(v, 'kvlistValue', 'kvlist_value');
  if (kv !== undefined) return readKvList(kv, ctx, depth + 1);
  const bytes = field(v, 'bytesValue', 'bytes_value');
  if (typeof bytes === 'string') return bytesFromBase64(bytes, ctx);
  return null;
}

/**
 * A trace id (`bytes` 16) or span id (8): hex per the OTLP JSON rule, base64
 * tolerated; returned as lowercase hex. Anything else is no id (''), as in
 * the protobuf decoder, so the span alone is refused, not the request.
 */
export function idField(obj: Json, camel: string, snake: string, bytes: number): string {
  const v = field(obj, camel, snake);
  if (typeof v !== 'string' || v.length > 64) return '';
  if (v.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(v)) return v.toLowerCase();
  const decoded = Buffer.from(v, 'base64');
  return decoded.length === bytes ? decoded.toString('hex') : '';
}

function readArray(arr: Json, ctx: JsonContext, depth: number): AttrValue[] {
  if (depth > ctx.maxDepth) throw new DecodeError(`attribute value nested deeper than ${ctx.maxDepth}`);
  const values = arr.values ?? [];
  if (!Array.isArray(values)) throw new DecodeError('arrayValue.values must be an array');
  return (values as unknown[]).map((item) => readAnyValue(item, ctx, depth));
}

function readKvList(kv: Json, ctx: JsonContext, depth: number): { [key: string]: AttrValue } {
  if (depth > ctx.maxDepth) throw new DecodeError(`attribute value nested deeper than ${ctx.maxDepth}`);
  const out = Object.create(null) as { [key: string]: AttrValue };
  for (const [k, val] of readAttributes(kv.values, ctx, depth)) out[k] = val;
  return out;
}

function toNumber(v: unknown, name: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Number(v);
    if (v.trim() === '' || (Number.isNaN(n) && v !== 'NaN')) throw new DecodeError(`${name} is not a number`);
    return n;
  }
  throw new DecodeError(`${name} must be a number or a decimal string`);
}

function bounded(s: string, ctx: JsonContext): string {
  if (s.length > ctx.maxStringLength) {
    ctx.oversized = true;
    return '';
  }
  return s;
}

function bytesFromBase64(s: string, ctx: JsonContext): Uint8Array {
  if (s.length > ctx.maxStringLength) {
    ctx.oversized = true;
    return new Uint8Array(0);
  }
  return new Uint8Array(Buffer.from(s, 'base64'));
}

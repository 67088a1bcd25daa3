/**
 * Protobuf decoding of the OTLP common messages: AnyValue, KeyValue,
 * Resource and InstrumentationScope (opentelemetry.proto.common.v1 and
 * resource.v1). Field numbers are those of the OTLP specification.
 */
import type { AttrValue, Attrs, Origin } from '../model.js';
import { DecodeError, WIRE, type WireReader } from './wire.js';

/** AnyValue field numbers, shifted into tags. */
const ANY = {
  STRING: (1 << 3) | WIRE.LEN,
  BOOL: (2 << 3) | WIRE.VARINT,
  INT: (3 << 3) | WIRE.VARINT,
  DOUBLE: (4 << 3) | WIRE.I64,
  ARRAY: (5 << 3) | WIRE.LEN,
  KVLIST: (6 << 3) | WIRE.LEN,
  BYTES: (7 << 3) | WIRE.LEN,
} as const;

/** Reads one AnyValue message ending at `end`. An empty AnyValue is `null`. */
export function readAnyValue(r: WireReader, end: number, depth: number): AttrValue {
  let value: AttrValue = null;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case ANY.STRING:
        value = r.string(end);
        break;
      case ANY.BOOL:
        value = r.int64(end) !== 0;
        break;
      case ANY.INT:
        value = r.int64(end);
        break;
      case ANY.DOUBLE:
        value = r.double(end);
        break;
      case ANY.ARRAY:
        value = readArray(r, r.lengthEnd(end), depth + 1);
        break;
      case ANY.KVLIST:
        value = readKvList(r, r.lengthEnd(end), depth + 1);
        break;
      case ANY.BYTES:
        value = r.bytes(end);
        break;
      default:
        r.skip(tag & 7, end);
    }
  }
  return value;
}

/** Reads a KeyValue message and stores it in `into`. */
export function readKeyValueInto(r: WireReader, end: number, into: Attrs, depth: number): void {
  let key = '';
  let value: AttrValue = null;
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE.LEN);
      key = r.string(end);
    } else if (field === 2) {
      r.expect(tag, WIRE.LEN);
      value = readAnyValue(r, r.lengthEnd(end), depth);
    } else r.skip(tag & 7, end);
  }
  into.set(key, value);
}

/** Reads a Resource message into its attributes. */
export function readResource(r: WireReader, end: number): Attrs {
  const attrs: Attrs = new Map();
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 === 1) {
      r.expect(tag, WIRE.LEN);
      readKeyValueInto(r, r.lengthEnd(end), attrs, 0);
    } else r.skip(tag & 7, end);
  }
  return attrs;
}

/** Reads an InstrumentationScope message's name and version into `origin`. */
export function readScopeInto(r: WireReader, end: number, origin: Origin): void {
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE.LEN);
      origin.scopeName = r.string(end);
    } else if (field === 2) {
      r.expect(tag, WIRE.LEN);
      origin.scopeVersion = r.string(end);
    } else r.skip(tag & 7, end);
  }
}

function checkDepth(r: WireReader, depth: number): void {
  if (depth > r.maxDepth) throw new DecodeError(`attribute value nested deeper than ${r.maxDepth}`);
}

function readArray(r: WireReader, end: number, depth: number): AttrValue[] {
  checkDepth(r, depth);
  const values: AttrValue[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 === 1) {
      r.expect(tag, WIRE.LEN);
      values.push(readAnyValue(r, r.lengthEnd(end), depth));
    } else r.skip(tag & 7, end);
  }
  return values;
}

function readKvList(r: WireReader, end: number, depth: number): { [key: string]: AttrValue } {
  checkDepth(r, depth);
  const map: Attrs = new Map();
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 === 1) {
      r.expect(tag, WIRE.LEN);
      readKeyValueInto(r, r.lengthEnd(end), map, depth);
    } else r.skip(tag & 7, end);
  }
  const out: { [key: string]: AttrValue } = Object.create(null) as { [key: string]: AttrValue };
  for (const [k, v] of map) out[k] = v;
  return out;
}

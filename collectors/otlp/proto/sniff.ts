/**
 * Tells which signal a protobuf export request carries, for `POST /` where
 * the path does not say. The three requests share their envelope, so their
 * items are inspected: the signal whose schema admits every field and wire
 * type (and a span's id lengths) of each item is the answer. Items are read
 * until one signal is left: a metric holding only a gauge, histogram or
 * summary uses no field a span could not have, but a span carries a 16-byte
 * trace id and an 8-byte span id.
 */
import { SPAN_ID_BYTES, TRACE_ID_BYTES, type Signal } from '../model.js';
import { DecodeError, WIRE, WireReader } from './wire.js';

const { VARINT, I64, LEN, I32 } = WIRE;

/** Field number → wire type, per item message of each signal. */
const ITEM_SCHEMAS: Record<Signal, Record<number, number>> = {
  logs: { 1: I64, 2: VARINT, 3: LEN, 5: LEN, 6: LEN, 7: VARINT, 8: I32, 9: LEN, 10: LEN, 11: I64, 12: LEN },
  metrics: { 1: LEN, 2: LEN, 3: LEN, 5: LEN, 7: LEN, 9: LEN, 10: LEN, 11: LEN, 12: LEN },
  traces: {
    1: LEN, 2: LEN, 3: LEN, 4: LEN, 5: LEN, 6: VARINT, 7: I64, 8: I64, 9: LEN,
    10: VARINT, 11: LEN, 12: VARINT, 13: LEN, 14: VARINT, 15: LEN, 16: I32,
  },
};
const SIGNALS = Object.keys(ITEM_SCHEMAS) as Signal[];

/** Fields whose byte length a signal's items fix: a span's trace id and span id, both required by OTLP. */
const FIXED_LENGTHS: Record<Signal, Record<number, number>> = { logs: {}, metrics: {}, traces: { 1: TRACE_ID_BYTES, 2: SPAN_ID_BYTES } };

/** The signal of a protobuf body, or `empty` when it holds no item at all. Throws {@link DecodeError} when it cannot tell. */
export function sniffProtobufSignal(body: Buffer): Signal | 'empty' {
  const r = new WireReader(body, { maxStringBytes: Number.MAX_SAFE_INTEGER, maxDepth: 0 });
  let candidates: Signal[] | null = null;
  for (const item of itemsOf(r, 0, body.length, 3)) {
    candidates = (candidates ?? SIGNALS).filter((signal) => admits(r, item, signal));
    if (candidates.length <= 1) break;
  }
  if (candidates === null) return 'empty';
  if (candidates.length === 1) return candidates[0]!;
  throw new DecodeError(
    candidates.length === 0
      ? 'body is not an OTLP logs, metrics or traces export request'
      : 'cannot tell the signal of this request; POST it to /v1/logs, /v1/metrics or /v1/traces',
  );
}

/** The byte range of each item (field 1 → field 2 → field 2 within `[start, end)`), in order. */
function* itemsOf(r: WireReader, start: number, end: number, levels: number): Generator<[number, number]> {
  let pos = start;
  const wanted = levels === 3 ? 1 : 2;
  while (pos < end) {
    // `admits` moves the reader between items; each step starts from where this level stopped.
    r.pos = pos;
    const tag = r.tag(end);
    if (tag >>> 3 === wanted && (tag & 7) === LEN) {
      const stop = r.lengthEnd(end);
      if (levels === 1) yield [r.pos, stop];
      else yield* itemsOf(r, r.pos, stop, levels - 1);
      pos = stop;
    } else {
      r.skip(tag & 7, end);
      pos = r.pos;
    }
  }
}

function admits(r: WireReader, [start, end]: [number, number], signal: Signal): boolean {
  const schema = ITEM_SCHEMAS[signal];
  const lengths = FIXED_LENGTHS[signal];
  const fixed = new Set<number>();
  r.pos = start;
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    // Strict on purpose: an unknown field number counts against a signal, so items are told apart.
    if (schema[field] !== (tag & 7)) return false;
    const length = lengths[field];
    if (length === undefined) {
      r.skip(tag & 7, end);
      continue;
    }
    const stop = r.lengthEnd(end);
    if (stop - r.pos !== length) return false;
    fixed.add(field);
    r.pos = stop;
  }
  return fixed.size === Object.keys(lengths).length;
}

/**
 * Tells which signal a protobuf export request carries, for `POST /` where
 * the path does not say. The three requests share their envelope, so the
 * first item is inspected: the signal whose schema admits every field and
 * wire type of that item is the answer.
 */
import type { Signal } from '../model.js';
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

/** The signal of a protobuf body, or `empty` when it holds no item at all. Throws {@link DecodeError} when it cannot tell. */
export function sniffProtobufSignal(body: Buffer): Signal | 'empty' {
  const r = new WireReader(body, { maxStringBytes: Number.MAX_SAFE_INTEGER, maxDepth: 0 });
  const item = findFirstItem(r, body.length, 3);
  if (item === null) return 'empty';
  const candidates = SIGNALS.filter((signal) => admits(r, item, ITEM_SCHEMAS[signal]));
  if (candidates.length === 1) return candidates[0]!;
  throw new DecodeError(
    candidates.length === 0
      ? 'body is not an OTLP logs, metrics or traces export request'
      : 'cannot tell the signal of this request; POST it to /v1/logs, /v1/metrics or /v1/traces',
  );
}

/** Descends field 1 → field 2 → field 2 to the first item; returns its byte range. */
function findFirstItem(r: WireReader, end: number, levels: number): [number, number] | null {
  while (r.pos < end) {
    const tag = r.tag(end);
    const wanted = levels === 3 ? 1 : 2;
    if (tag >>> 3 === wanted && (tag & 7) === LEN) {
      const stop = r.lengthEnd(end);
      if (levels === 1) return [r.pos, stop];
      const found = findFirstItem(r, stop, levels - 1);
      if (found) return found;
      r.pos = stop;
    } else r.skip(tag & 7, end);
  }
  return null;
}

function admits(r: WireReader, [start, end]: [number, number], schema: Record<number, number>): boolean {
  r.pos = start;
  while (r.pos < end) {
    const tag = r.tag(end);
    // Strict on purpose: an unknown field number counts against a signal, so items are told apart.
    if (schema[tag >>> 3] !== (tag & 7)) return false;
    r.skip(tag & 7, end);
  }
  return true;
}

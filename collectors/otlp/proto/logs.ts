/**
 * Protobuf decoding of `ExportLogsServiceRequest`
 * (opentelemetry.proto.collector.logs.v1 / logs.v1.LogRecord).
 */
import type { Attrs, AttrValue, LogRecordIn } from '../model.js';
import { readAnyValue, readKeyValueInto } from './values.js';
import { WIRE, type WireReader } from './wire.js';

/** LogRecord fields dossier reads; others (severity, flags, trace context) are skipped. */
const F = {
  TIME: (1 << 3) | WIRE.I64,
  BODY: (5 << 3) | WIRE.LEN,
  ATTRIBUTES: (6 << 3) | WIRE.LEN,
  OBSERVED_TIME: (11 << 3) | WIRE.I64,
  EVENT_NAME: (12 << 3) | WIRE.LEN,
} as const;

/** Reads one LogRecord message occupying `[r.pos, end)`. */
export function readLogRecord(r: WireReader, end: number): LogRecordIn {
  r.oversized = false;
  let timeNs = 0;
  let observedNs = 0;
  let body: AttrValue = null;
  let eventName = '';
  const attrs: Attrs = new Map();
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case F.TIME:
        timeNs = r.fixed64(end);
        break;
      case F.OBSERVED_TIME:
        observedNs = r.fixed64(end);
        break;
      case F.BODY:
        body = readAnyValue(r, r.lengthEnd(end), 0);
        break;
      case F.ATTRIBUTES:
        // The body precedes the attributes in what the SDKs write; an ignored record's attributes are not decoded.
        if (typeof body === 'string' && r.ignoredBodies?.has(body)) r.pos = r.lengthEnd(end);
        else readKeyValueInto(r, r.lengthEnd(end), attrs, 0);
        break;
      case F.EVENT_NAME:
        eventName = r.string(end);
        break;
      default:
        r.skip(tag & 7, end);
    }
  }
  return { timeNs, observedNs, body, attrs, eventName, oversized: r.oversized };
}

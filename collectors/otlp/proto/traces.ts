/**
 * Protobuf decoding of `ExportTraceServiceRequest`
 * (opentelemetry.proto.collector.trace.v1 / trace.v1.Span). Span events and
 * links are skipped: dossier uses spans for activity and timing only.
 */
import { SPAN_ID_BYTES, TRACE_ID_BYTES, type Attrs, type SpanIn } from '../model.js';
import { readKeyValueInto } from './values.js';
import { WIRE, type WireReader } from './wire.js';

const F = {
  TRACE_ID: (1 << 3) | WIRE.LEN,
  SPAN_ID: (2 << 3) | WIRE.LEN,
  PARENT_SPAN_ID: (4 << 3) | WIRE.LEN,
  NAME: (5 << 3) | WIRE.LEN,
  START: (7 << 3) | WIRE.I64,
  END: (8 << 3) | WIRE.I64,
  ATTRIBUTES: (9 << 3) | WIRE.LEN,
  STATUS: (15 << 3) | WIRE.LEN,
} as const;

/** Reads one Span message occupying `[r.pos, end)`. */
export function readSpan(r: WireReader, end: number): SpanIn {
  r.oversized = false;
  const span: SpanIn = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    startNs: 0,
    endNs: 0,
    attrs: new Map() as Attrs,
    statusCode: 0,
    statusMessage: '',
    oversized: false,
  };
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case F.TRACE_ID:
        span.traceId = r.hex(end, TRACE_ID_BYTES);
        break;
      case F.SPAN_ID:
        span.spanId = r.hex(end, SPAN_ID_BYTES);
        break;
      case F.PARENT_SPAN_ID:
        span.parentSpanId = r.hex(end, SPAN_ID_BYTES);
        break;
      case F.NAME:
        span.name = r.string(end);
        break;
      case F.START:
        span.startNs = r.fixed64(end);
        break;
      case F.END:
        span.endNs = r.fixed64(end);
        break;
      case F.ATTRIBUTES:
        readKeyValueInto(r, r.lengthEnd(end), span.attrs, 0);
        break;
      case F.STATUS:
        readStatus(r, r.lengthEnd(end), span);
        break;
      default:
        r.skip(tag & 7, end);
    }
  }
  span.oversized = r.oversized;
  return span;
}

/** Status: message (2), code (3). */
function readStatus(r: WireReader, end: number, span: SpanIn): void {
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === ((2 << 3) | WIRE.LEN)) span.statusMessage = r.string(end);
    else if (tag === ((3 << 3) | WIRE.VARINT)) span.statusCode = r.uint32(end);
    else r.skip(tag & 7, end);
  }
}

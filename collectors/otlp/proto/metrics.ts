/**
 * Protobuf decoding of `ExportMetricsServiceRequest`
 * (opentelemetry.proto.collector.metrics.v1 / metrics.v1.Metric). Sums and
 * gauges keep their number points; histogram-like data is only counted.
 */
import type { Attrs, MetricIn, MetricKind, NumberPointIn } from '../model.js';
import { readKeyValueInto } from './values.js';
import { WIRE, type WireReader } from './wire.js';

/** Metric fields, by number: which data message each field holds. */
const DATA_FIELDS: Record<number, MetricKind> = {
  5: 'gauge',
  7: 'sum',
  9: 'histogram',
  10: 'exponential_histogram',
  11: 'summary',
};

const POINT = {
  START: (2 << 3) | WIRE.I64,
  TIME: (3 << 3) | WIRE.I64,
  AS_DOUBLE: (4 << 3) | WIRE.I64,
  AS_INT: (6 << 3) | WIRE.I64,
  ATTRIBUTES: (7 << 3) | WIRE.LEN,
} as const;

/** Reads one Metric message occupying `[r.pos, end)`. */
export function readMetric(r: WireReader, end: number): MetricIn {
  const metric: MetricIn = { name: '', unit: '', kind: 'none', temporality: 0, monotonic: false, points: [], otherPoints: 0 };
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    const kind = DATA_FIELDS[field];
    if (field === 1 && (tag & 7) === WIRE.LEN) metric.name = r.string(end);
    else if (field === 3 && (tag & 7) === WIRE.LEN) metric.unit = r.string(end);
    else if (kind !== undefined && (tag & 7) === WIRE.LEN) {
      // The data fields are a oneof: a later member replaces an earlier one (a repeated one merges).
      if (metric.kind !== kind) Object.assign(metric, { kind, temporality: 0, monotonic: false, points: [], otherPoints: 0 });
      readData(r, r.lengthEnd(end), metric);
    } else r.skip(tag & 7, end);
  }
  return metric;
}

/** Reads a Gauge / Sum / Histogram / … message: points (field 1), temporality (2), monotonic (3). */
function readData(r: WireReader, end: number, metric: MetricIn): void {
  const numeric = metric.kind === 'sum' || metric.kind === 'gauge';
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === WIRE.LEN) {
      if (numeric) metric.points.push(readNumberPoint(r, r.lengthEnd(end)));
      else {
        r.pos = r.lengthEnd(end);
        metric.otherPoints++;
      }
    } else if (field === 2 && (tag & 7) === WIRE.VARINT && metric.kind !== 'gauge' && metric.kind !== 'summary') {
      metric.temporality = r.uint32(end);
    } else if (field === 3 && (tag & 7) === WIRE.VARINT && metric.kind === 'sum') {
      metric.monotonic = r.int64(end) !== 0;
    } else r.skip(tag & 7, end);
  }
}

function readNumberPoint(r: WireReader, end: number): NumberPointIn {
  r.oversized = false;
  let startNs = 0;
  let timeNs = 0;
  let value = 0;
  const attrs: Attrs = new Map();
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case POINT.START:
        startNs = r.fixed64(end);
        break;
      case POINT.TIME:
        timeNs = r.fixed64(end);
        break;
      case POINT.AS_DOUBLE:
        value = r.double(end);
        break;
      case POINT.AS_INT:
        value = r.sfixed64(end);
        break;
      case POINT.ATTRIBUTES:
        readKeyValueInto(r, r.lengthEnd(end), attrs, 0);
        break;
      default:
        r.skip(tag & 7, end);
    }
  }
  return { startNs, timeNs, value, attrs, oversized: r.oversized };
}

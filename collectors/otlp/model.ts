/**
 * The decoded form of an OTLP export request, shared by the protobuf and the
 * JSON decoders so that the Claude Code mapping never sees the wire encoding.
 * Only the fields dossier uses are kept; everything else is skipped while
 * decoding.
 */

/** The three OTLP signals. */
export type Signal = 'logs' | 'metrics' | 'traces';

/** The two OTLP/HTTP body encodings (gRPC uses protobuf). */
export type Encoding = 'protobuf' | 'json';

/** An attribute value after decoding: int and double both become numbers, bytes stay bytes. */
export type AttrValue = string | number | boolean | null | Uint8Array | AttrValue[] | { [key: string]: AttrValue };

/** Attributes by key; a later duplicate key wins, as in the OTel SDKs. */
export type Attrs = Map<string, AttrValue>;

/** The resource and scope a group of items shares. */
export interface Origin {
  resource: Attrs;
  scopeName: string;
  scopeVersion: string;
}

/** One group of items (records, metrics or spans) under one resource and scope. */
export interface ItemGroup<T> {
  origin: Origin;
  items: T[];
}

/** One OTLP log record. Times are ns since epoch as numbers (0 = unset). */
export interface LogRecordIn {
  timeNs: number;
  observedNs: number;
  body: AttrValue;
  attrs: Attrs;
  eventName: string;
  /** An attribute value was over the size bound; the record is rejected. */
  oversized: boolean;
}

/** Kinds of metric data the decoders tell apart; only sums and gauges keep their points. */
export type MetricKind = 'sum' | 'gauge' | 'histogram' | 'exponential_histogram' | 'summary' | 'none';

/** One number data point. */
export interface NumberPointIn {
  startNs: number;
  timeNs: number;
  value: number;
  attrs: Attrs;
  oversized: boolean;
}

/** One metric with its number points (empty for histogram-like kinds, which are counted, not mapped). */
export interface MetricIn {
  name: string;
  unit: string;
  kind: MetricKind;
  /** 0 unspecified, 1 delta, 2 cumulative. */
  temporality: number;
  monotonic: boolean;
  points: NumberPointIn[];
  /** Data points of kinds that are not decoded (histograms, summaries), for the received count. */
  otherPoints: number;
}

/** Bytes of a trace id and of a span id; an id of any other length is no id. */
export const TRACE_ID_BYTES = 16;
export const SPAN_ID_BYTES = 8;

/** One span. Ids are lowercase hex. */
export interface SpanIn {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  startNs: number;
  endNs: number;
  attrs: Attrs;
  /** 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string;
  oversized: boolean;
}

/** A decoded request of one signal. */
export type DecodedRequest =
  | { signal: 'logs'; groups: ItemGroup<LogRecordIn>[] }
  | { signal: 'metrics'; groups: ItemGroup<MetricIn>[] }
  | { signal: 'traces'; groups: ItemGroup<SpanIn>[] };

/** Bounds applied while decoding. */
export interface DecodeLimits {
  /** Largest string or bytes attribute value; a record holding a larger one is rejected. */
  maxAttributeBytes: number;
  /** Deepest nesting of array / key-value-list attribute values. */
  maxValueDepth: number;
  /**
   * Log record bodies whose attributes are never read (records the mapping
   * ignores by name, such as Claude Code's hook inventory): their attributes
   * are skipped, not decoded.
   */
  ignoredBodies?: ReadonlySet<string>;
}

/** Items of a decoded request (records, data points or spans), as counted for responses. */
export function countItems(request: DecodedRequest): number {
  let n = 0;
  if (request.signal === 'metrics') {
    for (const g of request.groups) for (const m of g.items) n += m.points.length + m.otherPoints;
    return n;
  }
  for (const g of request.groups) n += g.items.length;
  return n;
}

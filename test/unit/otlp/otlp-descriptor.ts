/**
 * The OTLP export requests as a protobufjs reflection descriptor (field
 * names, numbers and types of the opentelemetry.proto messages), written
 * apart from dossier's hand-written reader so that tests can encode a
 * request independently of the decoder under test, and the benchmark can
 * compare that reader with protobufjs reflection.
 */
import protobuf from 'protobufjs';
import type { Signal } from '../../../collectors/otlp/model.js';

const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });
const field = (type: string, id: number) => ({ type, id });

/**
 * The envelope every signal shares: `Export<Request>` holds `Resource<X>`s
 * (field 1), which hold `Scope<X>`s (field 2), which hold the items (field 2).
 */
function envelope(request: string, x: string, items: string, itemType: string) {
  return {
    [request]: { fields: { [`resource${x}`]: repeated(`Resource${x}`, 1) } },
    [`Resource${x}`]: { fields: { resource: field('Resource', 1), [`scope${x}`]: repeated(`Scope${x}`, 2), schemaUrl: field('string', 3) } },
    [`Scope${x}`]: { fields: { scope: field('InstrumentationScope', 1), [items]: repeated(itemType, 2), schemaUrl: field('string', 3) } },
  };
}

const common = {
  AnyValue: {
    oneofs: { value: { oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] } },
    fields: {
      stringValue: field('string', 1),
      boolValue: field('bool', 2),
      intValue: field('int64', 3),
      doubleValue: field('double', 4),
      arrayValue: field('ArrayValue', 5),
      kvlistValue: field('KeyValueList', 6),
      bytesValue: field('bytes', 7),
    },
  },
  ArrayValue: { fields: { values: repeated('AnyValue', 1) } },
  KeyValueList: { fields: { values: repeated('KeyValue', 1) } },
  KeyValue: { fields: { key: field('string', 1), value: field('AnyValue', 2) } },
  InstrumentationScope: {
    fields: { name: field('string', 1), version: field('string', 2), attributes: repeated('KeyValue', 3), droppedAttributesCount: field('uint32', 4) },
  },
  Resource: { fields: { attributes: repeated('KeyValue', 1), droppedAttributesCount: field('uint32', 2) } },
};

const logs = {
  ...envelope('ExportLogsServiceRequest', 'Logs', 'logRecords', 'LogRecord'),
  LogRecord: {
    fields: {
      timeUnixNano: field('fixed64', 1),
      observedTimeUnixNano: field('fixed64', 11),
      severityNumber: field('int32', 2),
      severityText: field('string', 3),
      body: field('AnyValue', 5),
      attributes: repeated('KeyValue', 6),
      droppedAttributesCount: field('uint32', 7),
      flags: field('fixed32', 8),
      traceId: field('bytes', 9),
      spanId: field('bytes', 10),
      eventName: field('string', 12),
    },
  },
};

const metrics = {
  ...envelope('ExportMetricsServiceRequest', 'Metrics', 'metrics', 'Metric'),
  Metric: {
    oneofs: { data: { oneof: ['gauge', 'sum', 'histogram'] } },
    fields: {
      name: field('string', 1),
      description: field('string', 2),
      unit: field('string', 3),
      gauge: field('Gauge', 5),
      sum: field('Sum', 7),
      histogram: field('Histogram', 9),
    },
  },
  Gauge: { fields: { dataPoints: repeated('NumberDataPoint', 1) } },
  Sum: { fields: { dataPoints: repeated('NumberDataPoint', 1), aggregationTemporality: field('int32', 2), isMonotonic: field('bool', 3) } },
  Histogram: { fields: { dataPoints: repeated('HistogramDataPoint', 1), aggregationTemporality: field('int32', 2) } },
  NumberDataPoint: {
    oneofs: { value: { oneof: ['asDouble', 'asInt'] } },
    fields: {
      attributes: repeated('KeyValue', 7),
      startTimeUnixNano: field('fixed64', 2),
      timeUnixNano: field('fixed64', 3),
      asDouble: field('double', 4),
      asInt: field('sfixed64', 6),
      exemplars: repeated('Exemplar', 5),
      flags: field('uint32', 8),
    },
  },
  Exemplar: {
    oneofs: { value: { oneof: ['asDouble', 'asInt'] } },
    fields: {
      filteredAttributes: repeated('KeyValue', 7),
      timeUnixNano: field('fixed64', 2),
      asDouble: field('double', 3),
      asInt: field('sfixed64', 6),
      spanId: field('bytes', 4),
      traceId: field('bytes', 5),
    },
  },
  HistogramDataPoint: {
    fields: {
      attributes: repeated('KeyValue', 9),
      startTimeUnixNano: field('fixed64', 2),
      timeUnixNano: field('fixed64', 3),
      count: field('fixed64', 4),
      sum: field('double', 5),
      bucketCounts: repeated('fixed64', 6),
      explicitBounds: repeated('double', 7),
      flags: field('uint32', 10),
      min: field('double', 11),
      max: field('double', 12),
    },
  },
};

const traces = {
  ...envelope('ExportTraceServiceRequest', 'Spans', 'spans', 'Span'),
  Span: {
    fields: {
      traceId: field('bytes', 1),
      spanId: field('bytes', 2),
      traceState: field('string', 3),
      parentSpanId: field('bytes', 4),
      flags: field('fixed32', 16),
      name: field('string', 5),
      kind: field('int32', 6),
      startTimeUnixNano: field('fixed64', 7),
      endTimeUnixNano: field('fixed64', 8),
      attributes: repeated('KeyValue', 9),
      droppedAttributesCount: field('uint32', 10),
      events: repeated('SpanEvent', 11),
      droppedEventsCount: field('uint32', 12),
      links: repeated('SpanLink', 13),
      droppedLinksCount: field('uint32', 14),
      status: field('Status', 15),
    },
  },
  SpanEvent: { fields: { timeUnixNano: field('fixed64', 1), name: field('string', 2), attributes: repeated('KeyValue', 3), droppedAttributesCount: field('uint32', 4) } },
  SpanLink: {
    fields: {
      traceId: field('bytes', 1),
      spanId: field('bytes', 2),
      traceState: field('string', 3),
      attributes: repeated('KeyValue', 4),
      droppedAttributesCount: field('uint32', 5),
      flags: field('fixed32', 6),
    },
  },
  Status: { fields: { message: field('string', 2), code: field('int32', 3) } },
};

/** The descriptor of every message above, in one package `otlp`. */
export const OTLP_DESCRIPTOR = { nested: { otlp: { nested: { ...common, ...logs, ...metrics, ...traces } } } };

const REQUEST_TYPES: Record<Signal, string> = {
  logs: 'otlp.ExportLogsServiceRequest',
  metrics: 'otlp.ExportMetricsServiceRequest',
  traces: 'otlp.ExportTraceServiceRequest',
};

/** The protobufjs type of one signal's export request. */
export function requestType(signal: Signal): protobuf.Type {
  return protobuf.Root.fromJSON(OTLP_DESCRIPTOR).lookupType(REQUEST_TYPES[signal]);
}

/** OTLP/JSON writes ids as hex; protobufjs reads bytes as base64. */
const HEX_ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

/**
 * An OTLP/JSON export request encoded as protobuf by protobufjs. Top-level
 * members starting with `_` (the fixtures' capture notes) are not OTLP and
 * are left out. Throws when the JSON has any other field the descriptor
 * lacks, so that nothing is dropped silently (a test would then compare less
 * than the whole request).
 */
export function protobufOfJson(signal: Signal, json: Buffer): Buffer {
  const type = requestType(signal);
  const parsed = JSON.parse(json.toString('utf8'), (key, value: unknown) =>
    HEX_ID_FIELDS.has(key) && typeof value === 'string' ? Buffer.from(value, 'hex').toString('base64') : value,
  ) as Record<string, unknown>;
  const object = Object.fromEntries(Object.entries(parsed).filter(([key]) => !key.startsWith('_')));
  const message = type.fromObject(object);
  const missing = unknownFields(type, object);
  if (missing.length > 0) throw new Error(`the OTLP descriptor lacks ${missing.join(', ')}`);
  return Buffer.from(type.encode(message).finish());
}

/** Paths of members of `object` that `type` has no field for. */
function unknownFields(type: protobuf.Type, object: unknown, path = ''): string[] {
  if (object === null || typeof object !== 'object') return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    const f = type.fields[key];
    if (f === undefined) {
      out.push(`${path}${type.name}.${key}`);
      continue;
    }
    const resolved = f.resolve().resolvedType;
    if (!(resolved instanceof protobuf.Type)) continue;
    for (const item of Array.isArray(value) ? value : [value]) out.push(...unknownFields(resolved, item, `${path}${key}/`));
  }
  return out;
}

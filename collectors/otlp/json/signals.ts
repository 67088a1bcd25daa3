/**
 * Decoding of OTLP/HTTP JSON export requests (logs, metrics, traces) into the
 * shared model. The signal comes from the route, or for `POST /` from the
 * top-level key.
 */
import { SPAN_ID_BYTES, TRACE_ID_BYTES, type DecodeLimits, type DecodedRequest, type ItemGroup, type LogRecordIn, type MetricIn, type MetricKind, type NumberPointIn, type Signal, type SpanIn } from '../model.js';
import { DecodeError } from '../proto/wire.js';
import {
  arrayField, enumField, field, idField, numberField, objectField, readAnyValue, readAttributes, stringField,
  type Json, type JsonContext,
} from './values.js';

const TOP_KEYS: Record<Signal, [string, string]> = {
  logs: ['resourceLogs', 'resource_logs'],
  metrics: ['resourceMetrics', 'resource_metrics'],
  traces: ['resourceSpans', 'resource_spans'],
};
const SCOPE_KEYS: Record<Signal, [string, string]> = {
  logs: ['scopeLogs', 'scope_logs'],
  metrics: ['scopeMetrics', 'scope_metrics'],
  traces: ['scopeSpans', 'scope_spans'],
};
const ITEM_KEYS: Record<Signal, [string, string]> = {
  logs: ['logRecords', 'log_records'],
  metrics: ['metrics', 'metrics'],
  traces: ['spans', 'spans'],
};
const TEMPORALITY = { AGGREGATION_TEMPORALITY_UNSPECIFIED: 0, AGGREGATION_TEMPORALITY_DELTA: 1, AGGREGATION_TEMPORALITY_CUMULATIVE: 2 };
const STATUS = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };
const METRIC_KINDS: [string, string, MetricKind][] = [
  ['sum', 'sum', 'sum'],
  ['gauge', 'gauge', 'gauge'],
  ['histogram', 'histogram', 'histogram'],
  ['exponentialHistogram', 'exponential_histogram', 'exponential_histogram'],
  ['summary', 'summary', 'summary'],
];

/** Parses and decodes a JSON body. `signal` null means "tell from the body" (POST /); `empty` when it names none. */
export function decodeJsonRequest(body: Buffer, signal: Signal | null, limits: DecodeLimits): DecodedRequest | 'empty' {
  let root: unknown;
  try {
    root = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new DecodeError(`body is not valid JSON: ${(err as Error).message}`);
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) throw new DecodeError('body must be a JSON object');
  const json = root as Json;
  const chosen = signal ?? (Object.keys(TOP_KEYS) as Signal[]).find((s) => field(json, ...TOP_KEYS[s]) !== undefined);
  if (chosen === undefined) return 'empty';
  const ctx: JsonContext = {
    maxStringLength: limits.maxAttributeBytes,
    maxDepth: limits.maxValueDepth,
    oversized: false,
    ignoredBodies: limits.ignoredBodies,
  };
  const read = { logs: readLogRecord, metrics: readMetric, traces: readSpan }[chosen] as (item: Json, c: JsonContext) => unknown;
  const groups: ItemGroup<unknown>[] = [];
  for (const rg of arrayField(json, ...TOP_KEYS[chosen])) {
    const resourceObj = objectField(rg, 'resource', 'resource');
    const resource = readAttributes(resourceObj?.attributes, ctx);
    for (const sg of arrayField(rg, ...SCOPE_KEYS[chosen])) {
      const scope = objectField(sg, 'scope', 'scope');
      const origin = {
        resource,
        scopeName: scope ? stringField(scope, 'name', 'name', ctx) : '',
        scopeVersion: scope ? stringField(scope, 'version', 'version', ctx) : '',
      };
      groups.push({ origin, items: arrayField(sg, ...ITEM_KEYS[chosen]).map((item) => read(item, ctx)) });
    }
  }
  return { signal: chosen, groups } as DecodedRequest;
}

function readLogRecord(o: Json, ctx: JsonContext): LogRecordIn {
  ctx.oversized = false;
  const rawBody = field(o, 'body', 'body');
  const body = rawBody === undefined || rawBody === null ? null : readAnyValue(rawBody, ctx, 0);
  const ignored = typeof body === 'string' && ctx.ignoredBodies?.has(body) === true;
  return {
    timeNs: numberField(o, 'timeUnixNano', 'time_unix_nano'),
    observedNs: numberField(o, 'observedTimeUnixNano', 'observed_time_unix_nano'),
    body,
    attrs: ignored ? new Map() : readAttributes(field(o, 'attributes', 'attributes'), ctx),
    eventName: stringField(o, 'eventName', 'event_name', ctx),
    oversized: ctx.oversized,
  };
}

function readMetric(o: Json, ctx: JsonContext): MetricIn {
  const metric: MetricIn = {
    name: stringField(o, 'name', 'name', ctx),
    unit: stringField(o, 'unit', 'unit', ctx),
    kind: 'none',
    temporality: 0,
    monotonic: false,
    points: [],
    otherPoints: 0,
  };
  for (const [camel, snake, kind] of METRIC_KINDS) {
    const data = objectField(o, camel, snake);
    if (data === undefined) continue;
    metric.kind = kind;
    const points = arrayField(data, 'dataPoints', 'data_points');
    if (kind === 'sum' || kind === 'gauge') metric.points = points.map((p) => readNumberPoint(p, ctx));
    else metric.otherPoints = points.length;
    if (kind !== 'gauge' && kind !== 'summary') {
      metric.temporality = enumField(data, 'aggregationTemporality', 'aggregation_temporality', TEMPORALITY);
    }
    const monotonic = field(data, 'isMonotonic', 'is_monotonic');
    metric.monotonic = monotonic === true || monotonic === 'true';
    break;
  }
  return metric;
}

function readNumberPoint(o: Json, ctx: JsonContext): NumberPointIn {
  ctx.oversized = false;
  const asDouble = field(o, 'asDouble', 'as_double');
  const value = asDouble !== undefined ? numberField(o, 'asDouble', 'as_double') : numberField(o, 'asInt', 'as_int');
  return {
    startNs: numberField(o, 'startTimeUnixNano', 'start_time_unix_nano'),
    timeNs: numberField(o, 'timeUnixNano', 'time_unix_nano'),
    value,
    attrs: readAttributes(field(o, 'attributes', 'attributes'), ctx),
    oversized: ctx.oversized,
  };
}

function readSpan(o: Json, ctx: JsonContext): SpanIn {
  ctx.oversized = false;
  const status = objectField(o, 'status', 'status');
  const span: SpanIn = {
    traceId: idField(o, 'traceId', 'trace_id', TRACE_ID_BYTES),
    spanId: idField(o, 'spanId', 'span_id', SPAN_ID_BYTES),
    parentSpanId: idField(o, 'parentSpanId', 'parent_span_id', SPAN_ID_BYTES),
    name: stringField(o, 'name', 'name', ctx),
    startNs: numberField(o, 'startTimeUnixNano', 'start_time_unix_nano'),
    endNs: numberField(o, 'endTimeUnixNano', 'end_time_unix_nano'),
    attrs: readAttributes(field(o, 'attributes', 'attributes'), ctx),
    statusCode: status ? enumField(status, 'code', 'code', STATUS) : 0,
    statusMessage: status ? stringField(status, 'message', 'message', ctx) : '',
    oversized: false,
  };
  span.oversized = ctx.oversized;
  return span;
}

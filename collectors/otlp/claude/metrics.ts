/**
 * Claude Code metric data points to `metric.point` events (always deltas)
 * and, for `claude_code.session.count`, a `session.started`. Cumulative
 * series are turned into deltas per series; zero deltas carry nothing and
 * are skipped.
 */
import type { AttrsOf } from '../../../schema/index.js';
import { START_SOURCES } from '../../../schema/index.js';
import type { MetricIn, NumberPointIn, Origin } from '../model.js';
import { type CumulativeSeries, type PendingSeries, seriesKey } from './cumulative.js';
import { makeEvent, scopeOf, type MapResult } from './emit.js';
import { nsToMs, put, readableNs, short } from './values.js';
import { LIMITS } from '../../../schema/limits.js';

const SESSION_COUNT = 'claude_code.session.count';
const CUMULATIVE = 2;

/** Point attributes worth keeping on the event, by their name on the event. */
const KEPT_ATTRS: [string, string][] = [
  ['agent.name', 'agent_name'],
  ['effort', 'effort'],
  ['speed', 'speed'],
  ['decision', 'decision'],
  ['source', 'decision_source'],
  ['tool_name', 'tool_name'],
  ['language', 'language'],
  ['start_type', 'start_type'],
];

/** `start_type` of session.count to the schema's start sources. */
const START_TYPES: Record<string, (typeof START_SOURCES)[number]> = { fresh: 'startup', resume: 'resume', continue: 'continue' };

/** What the metric mapper needs beyond the metric itself. */
export interface MetricContext {
  result: MapResult;
  receivedAt: number;
  cumulative: CumulativeSeries;
  pending: PendingSeries;
}

/** Maps one Claude Code metric's points into `ctx.result`. */
export function mapMetric(metric: MetricIn, origin: Origin, ctx: MetricContext): void {
  const { result } = ctx;
  result.ignored += metric.otherPoints;
  if (metric.kind !== 'sum') {
    // Claude Code's instruments are all sums; anything else has no meaning here.
    result.ignored += metric.points.length;
    return;
  }
  for (const point of metric.points) mapPoint(metric, point, origin, ctx);
}

function mapPoint(metric: MetricIn, point: NumberPointIn, origin: Origin, ctx: MetricContext): void {
  const { result } = ctx;
  if (point.oversized) return result.reject('data point has an attribute value over the size bound');
  // Bounded like every number the ledger keeps (±2^53−1): sums of them must stay storable.
  if (!isBounded(point.value)) return result.reject(`data point of ${metric.name} is not a finite number within ±2^53`);
  const scope = scopeOf(origin.resource, point.attrs, ctx.receivedAt);
  if (scope === 'missing') {
    result.withoutSession++;
    return;
  }
  if (scope === 'invalid') return result.reject('data point has an invalid session.id');
  const series = seriesKey(metric.name, point.attrs);
  const startNs = readableNs(point.startNs);
  const timeNs = readableNs(point.timeNs);
  const delta =
    metric.temporality === CUMULATIVE ? ctx.cumulative.delta(series, startNs, timeNs, point.value, metric.monotonic, ctx.pending) : point.value;
  if (delta !== undefined && !isBounded(delta)) return result.reject(`data point of ${metric.name} changes its series by more than 2^53`);
  // A monotonic sum never goes down (OTLP data model); a negative delta of one is a faulty point.
  if (delta === undefined || delta === 0 || (metric.monotonic && delta < 0)) {
    result.ignored++;
    return;
  }
  // The series hash covers session.id and every attribute; with the point's time it names the point. Two
  // exports within one clock tick share a time: a delta point then differs by its start, a cumulative one by its value.
  const tell = metric.temporality === CUMULATIVE ? String(point.value) : startNs.toString(36);
  const key = `o:m:${series}:${timeNs.toString(36)}:${tell}`;
  const ts = nsToMs(timeNs) || ctx.receivedAt;
  const a = point.attrs;
  const attrs: AttrsOf<'metric.point'> = { name: short(metric.name, LIMITS.maxNameLength) ?? 'unknown', value: delta };
  put(attrs, 'unit', short(metric.unit, 64));
  put(attrs, 'model', short(a.get('model'), 128));
  put(attrs, 'type', short(a.get('type'), 128));
  put(attrs, 'query_source', short(a.get('query_source'), 128));
  for (const [from, to] of KEPT_ATTRS) put(attrs, to, short(a.get(from), 128));
  result.events.push(makeEvent('metric.point', key, scope, null, ts, attrs));
  if (metric.name === SESSION_COUNT && delta > 0) {
    const startType = short(a.get('start_type'), 64);
    const started: AttrsOf<'session.started'> = { start_source: startType !== undefined && Object.hasOwn(START_TYPES, startType) ? START_TYPES[startType]! : 'unknown' };
    // The count rose somewhere in [start, time]; the interval start is the closer estimate of the launch.
    result.events.push(makeEvent('session.started', `${key}:s`, scope, null, nsToMs(startNs) || ts, started));
  }
}

function isBounded(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER;
}

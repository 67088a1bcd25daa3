/**
 * Counters the agent reports only as metrics: commits and pull requests it
 * created (`claude_code.commit.count`, `claude_code.pull_request.count`).
 * Metric points are deltas (the OTLP collector turns cumulative series into
 * deltas), so the session's count is their sum.
 */
import type { NormalizedEvent } from '../../schema/index.js';
import { saturated } from './canonical.js';

/** Metric names summed into the record, by record field. */
export const COUNTER_METRICS = {
  commit_count: 'claude_code.commit.count',
  pull_request_count: 'claude_code.pull_request.count',
} as const;

/** Commit and pull-request counts; null when the agent never reported the metric. */
export interface MetricCounters {
  commit_count: number | null;
  pull_request_count: number | null;
}

/** Sums the counter metrics over a session's events (any order). */
export function sumMetricCounters(events: readonly NormalizedEvent[]): MetricCounters {
  let commits: number | null = null;
  let pullRequests: number | null = null;
  for (const e of events) {
    if (e.kind !== 'metric.point') continue;
    if (e.attrs.name === COUNTER_METRICS.commit_count) commits = (commits ?? 0) + e.attrs.value;
    else if (e.attrs.name === COUNTER_METRICS.pull_request_count) pullRequests = (pullRequests ?? 0) + e.attrs.value;
  }
  // Each point is within ±2^53, their sum need not be: held there like every total.
  return { commit_count: commits === null ? null : saturated(commits), pull_request_count: pullRequests === null ? null : saturated(pullRequests) };
}

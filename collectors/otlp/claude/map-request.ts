/**
 * Maps a whole decoded OTLP request to normalized events: Claude Code's items
 * through the per-signal mappers, other services' items only counted.
 */
import type { DecodedRequest, SpanIn } from '../model.js';
import type { CumulativeSeries, PendingSeries } from './cumulative.js';
import { isClaudeCode, MapResult } from './emit.js';
import { DEFAULT_CLAUDE_MAP_OPTIONS, mapLogRecord, type ClaudeMapOptions } from './logs.js';
import { mapMetric } from './metrics.js';
import { mapSpan, type SpanIndex } from './spans.js';

/** Events and counts of one request, plus the cumulative-series updates to commit with them. */
export interface MappedRequest {
  result: MapResult;
  pending: PendingSeries;
}

export type { ClaudeMapOptions } from './logs.js';

/**
 * Maps `request`; `receivedAt` stamps every event, `options` says what of the
 * content is stored. Never throws on content: bad items are rejected and counted.
 */
export function mapRequest(
  request: DecodedRequest,
  receivedAt: number,
  cumulative: CumulativeSeries,
  options: ClaudeMapOptions = DEFAULT_CLAUDE_MAP_OPTIONS,
): MappedRequest {
  const result = new MapResult();
  const pending: PendingSeries = new Map();
  switch (request.signal) {
    case 'logs':
      for (const { origin, items } of request.groups) {
        if (!isClaudeCode(origin.resource)) result.foreign += items.length;
        else for (const record of items) mapLogRecord(record, origin, result, receivedAt, items, options);
      }
      break;
    case 'metrics':
      for (const { origin, items } of request.groups) {
        for (const metric of items) {
          if (!isClaudeCode(origin.resource)) result.foreign += metric.points.length + metric.otherPoints;
          else mapMetric(metric, origin, { result, receivedAt, cumulative, pending });
        }
      }
      break;
    case 'traces': {
      const index: SpanIndex = new Map();
      const claude: { span: SpanIn; origin: (typeof request.groups)[number]['origin'] }[] = [];
      for (const { origin, items } of request.groups) {
        if (!isClaudeCode(origin.resource)) {
          result.foreign += items.length;
          continue;
        }
        for (const span of items) {
          if (span.spanId !== '') index.set(span.spanId, span);
          claude.push({ span, origin });
        }
      }
      for (const { span, origin } of claude) mapSpan(span, origin, index, result, receivedAt);
      break;
    }
  }
  return { result, pending };
}

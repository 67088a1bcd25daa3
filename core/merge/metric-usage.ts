/**
 * The last-resort usage source: OTel's delta metrics `claude_code.token.usage`
 * and `claude_code.cost.usage`, used only for sessions without a single
 * request-level record (e.g. transcripts deleted and `api_request` log events
 * not exported). Metrics carry no request identity, so they cannot be joined
 * with requests and are never mixed with them.
 */
import type { NormalizedEvent, UsageTotals } from '../../schema/index.js';
import { emptyTotals, finishTotals, finishTotalsMap, totalsSlot } from './canonical.js';
import { MAIN_AGENT, UNKNOWN_MODEL } from './request-usage.js';
import type { UsageProjection } from './usage.js';

/** Metric name of per-type token deltas. */
export const TOKEN_USAGE_METRIC = 'claude_code.token.usage';
/** Metric name of reported-cost deltas (USD). */
export const COST_USAGE_METRIC = 'claude_code.cost.usage';
/** Key of `usage_by_agent` for metric points attributed to subagents (metrics carry no agent id). */
export const SUBAGENTS_KEY = 'subagent';

type TokenField = 'tokens_input' | 'tokens_output' | 'tokens_cache_read' | 'tokens_cache_write';

const TOKEN_TYPES: Readonly<Record<string, TokenField>> = {
  input: 'tokens_input',
  output: 'tokens_output',
  cacheRead: 'tokens_cache_read',
  cacheCreation: 'tokens_cache_write',
};

/**
 * Usage summed from metric deltas, or null when the session has no usage
 * metric point. Token sums are rounded to whole tokens (the SDK sends
 * doubles); `requests` stays 0 because metrics do not count requests.
 */
export function usageFromMetrics(sorted: readonly NormalizedEvent[]): UsageProjection | null {
  const totals = emptyTotals();
  const byModel = new Map<string, UsageTotals>();
  const byAgent = new Map<string, UsageTotals>();
  let seen = false;
  for (const e of sorted) {
    if (e.kind !== 'metric.point') continue;
    const isCost = e.attrs.name === COST_USAGE_METRIC;
    const field = e.attrs.name === TOKEN_USAGE_METRIC ? TOKEN_TYPES[e.attrs.type ?? ''] : undefined;
    if (!isCost && field === undefined) continue;
    seen = true;
    const model = e.attrs.model ?? UNKNOWN_MODEL;
    const agent = e.attrs.query_source === 'subagent' ? SUBAGENTS_KEY : MAIN_AGENT;
    for (const target of [totals, totalsSlot(byModel, model), totalsSlot(byAgent, agent)]) {
      if (isCost) target.reported_cost_usd = (target.reported_cost_usd ?? 0) + e.attrs.value;
      else if (field !== undefined) target[field] += e.attrs.value;
    }
  }
  if (!seen) return null;
  for (const t of [totals, ...byModel.values(), ...byAgent.values()]) roundTokens(t);
  const finished = finishTotals(totals);
  return {
    totals: finished,
    by_model: finishTotalsMap(byModel),
    by_agent: finishTotalsMap(byAgent),
    sources: {},
    context: null,
    provenance: {
      tokens: 'otel',
      api_request_count: null,
      reported_cost_usd: finished.reported_cost_usd === null ? null : 'otel',
      context: null,
    },
  };
}

function roundTokens(t: UsageTotals): void {
  t.tokens_input = Math.round(t.tokens_input);
  t.tokens_output = Math.round(t.tokens_output);
  t.tokens_cache_read = Math.round(t.tokens_cache_read);
  t.tokens_cache_write = Math.round(t.tokens_cache_write);
}

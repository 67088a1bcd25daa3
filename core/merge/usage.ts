/**
 * Rule 1 of the merge, per session: the token and cost totals of a session,
 * broken down by model and by agent, from its counted requests; or, for a
 * session with no request-level data at all, from OTel usage metrics.
 */
import type { NormalizedEvent, Source, UsageTotals } from '../../schema/index.js';
import { addRequest, emptyTotals, finishTotals, finishTotalsMap, totalsSlot, saturated } from './canonical.js';
import { usageFromMetrics } from './metric-usage.js';
import { combinedSource } from './pick.js';
import { countRequests, MAIN_AGENT, UNKNOWN_MODEL, type CountedRequest } from './request-usage.js';
import type { RequestPricer } from './types.js';

/** The usage part of a session record, and where it came from. */
export interface UsageProjection {
  totals: UsageTotals;
  by_model: Record<string, UsageTotals>;
  by_agent: Record<string, UsageTotals>;
  /** Counted requests per source that supplied them. */
  sources: Partial<Record<Source, number>>;
  /** Tokens in context after the last main-thread request. */
  context: number | null;
  provenance: {
    tokens: Source | 'mixed' | null;
    api_request_count: Source | 'mixed' | null;
    reported_cost_usd: Source | null;
    context: Source | null;
  };
}

/**
 * Projects a session's usage. `sorted` must come from `sortEvents`; request
 * keys in `foreign` are owned by another session and skipped. Metric points
 * are used only when no request counts at all.
 */
export function projectUsage(
  sorted: readonly NormalizedEvent[],
  foreign: ReadonlySet<string>,
  price?: RequestPricer,
): UsageProjection {
  const requests = countRequests(sorted, foreign);
  if (requests.length === 0) {
    const fromMetrics = usageFromMetrics(sorted);
    if (fromMetrics) return fromMetrics;
  }
  return summarize(requests, price);
}

/** Cost of one request: undefined without a pricer, null when its model is unknown or has no price. */
function costOf(r: CountedRequest, price: RequestPricer | undefined): number | null | undefined {
  if (!price) return undefined;
  return r.model === null ? null : price(r.model, r.usage);
}

function summarize(requests: CountedRequest[], price: RequestPricer | undefined): UsageProjection {
  const totals = emptyTotals();
  const byModel = new Map<string, UsageTotals>();
  const byAgent = new Map<string, UsageTotals>();
  const sources = new Map<Source, number>();
  for (const r of requests) {
    const cost = costOf(r, price);
    addRequest(totals, r.usage, r.reported_cost_usd, cost);
    addRequest(totalsSlot(byModel, r.model ?? UNKNOWN_MODEL), r.usage, r.reported_cost_usd, cost);
    addRequest(totalsSlot(byAgent, r.agent), r.usage, r.reported_cost_usd, cost);
    sources.set(r.source, (sources.get(r.source) ?? 0) + 1);
  }
  const contextRequest = lastOf(requests.filter((r) => r.main_thread)) ?? lastOf(requests.filter((r) => r.agent === MAIN_AGENT));
  const tokensSource = combinedSource(requests.map((r) => r.source));
  const finished = finishTotals(totals);
  return {
    totals: finished,
    by_model: finishTotalsMap(byModel),
    by_agent: finishTotalsMap(byAgent),
    sources: Object.fromEntries([...sources.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
    context: contextRequest ? saturated(contextRequest.usage.input + contextRequest.usage.cache_read + contextRequest.usage.cache_write) : null,
    provenance: {
      tokens: tokensSource,
      api_request_count: tokensSource,
      reported_cost_usd: finished.reported_cost_usd === null ? null : 'otel',
      context: contextRequest ? contextRequest.source : null,
    },
  };
}

function lastOf(requests: readonly CountedRequest[]): CountedRequest | undefined {
  let last: CountedRequest | undefined;
  for (const r of requests) if (last === undefined || r.position > last.position) last = r;
  return last;
}

/**
 * Helpers that keep the projected record canonical: the same event set must
 * serialize to the same bytes, whatever order the events arrived in.
 */
import type { Usage, UsageTotals } from '../../schema/index.js';

/** Largest USD amount a total holds: far above any real spend, and rounding to 1e-9 stays exact below it. */
export const MAX_TOTAL_USD = 1e12;

/**
 * Rounds a USD amount to 1e-9 so float noise from summation never shows in
 * the record, saturating at ±{@link MAX_TOTAL_USD}: sums of absurd reported
 * amounts stay finite numbers, which JSON and the store keep as they are.
 */
export function roundUsd(value: number): number {
  if (!(Math.abs(value) < MAX_TOTAL_USD)) return value < 0 ? -MAX_TOTAL_USD : MAX_TOTAL_USD;
  return Math.round(value * 1e9) / 1e9;
}

/**
 * A token or request total held within ±2^53−1. Each input is bounded, but
 * their sum is not, and the store keeps totals in 64-bit integer columns,
 * which refuse anything past 2^63 (the whole commit would fail).
 */
export function saturated(total: number): number {
  return Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, total));
}

/** A fresh all-zero {@link UsageTotals} with no reported cost. */
export function emptyTotals(): UsageTotals {
  return {
    requests: 0,
    tokens_input: 0,
    tokens_output: 0,
    tokens_cache_read: 0,
    tokens_cache_write: 0,
    tokens_cache_write_1h: 0,
    cost_usd: null,
    unpriced_requests: 0,
    reported_cost_usd: null,
  };
}

/**
 * Adds one request's usage to `totals` in place, with its reported cost when
 * it has one and its computed cost (`undefined`: no pricer; `null`: unpriced).
 */
export function addRequest(totals: UsageTotals, usage: Usage, reportedCost: number | null, cost?: number | null): void {
  totals.requests += 1;
  totals.tokens_input += usage.input;
  totals.tokens_output += usage.output;
  totals.tokens_cache_read += usage.cache_read;
  totals.tokens_cache_write += usage.cache_write;
  totals.tokens_cache_write_1h += usage.cache_write_1h;
  if (reportedCost !== null) totals.reported_cost_usd = (totals.reported_cost_usd ?? 0) + reportedCost;
  if (cost === null) totals.unpriced_requests += 1;
  else if (cost !== undefined) totals.cost_usd = (totals.cost_usd ?? 0) + cost;
}

/** `totals` with its costs rounded (see {@link roundUsd}) and token totals {@link saturated}; field order is fixed. */
export function finishTotals(totals: UsageTotals): UsageTotals {
  return {
    requests: totals.requests,
    tokens_input: saturated(totals.tokens_input),
    tokens_output: saturated(totals.tokens_output),
    tokens_cache_read: saturated(totals.tokens_cache_read),
    tokens_cache_write: saturated(totals.tokens_cache_write),
    tokens_cache_write_1h: saturated(totals.tokens_cache_write_1h),
    cost_usd: totals.cost_usd === null ? null : roundUsd(totals.cost_usd),
    unpriced_requests: totals.unpriced_requests,
    reported_cost_usd: totals.reported_cost_usd === null ? null : roundUsd(totals.reported_cost_usd),
  };
}

/** A map of totals with sorted keys and each entry finished. */
export function finishTotalsMap(map: ReadonlyMap<string, UsageTotals>): Record<string, UsageTotals> {
  const out: Record<string, UsageTotals> = {};
  for (const key of [...map.keys()].sort()) out[key] = finishTotals(map.get(key)!);
  return out;
}

/** The totals stored under `key`, created empty on first use. */
export function totalsSlot(map: Map<string, UsageTotals>, key: string): UsageTotals {
  let totals = map.get(key);
  if (!totals) {
    totals = emptyTotals();
    map.set(key, totals);
  }
  return totals;
}

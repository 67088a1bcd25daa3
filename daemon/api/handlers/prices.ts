/**
 * `GET /v1/prices`: the price table cost is computed with, as loaded at
 * daemon start (bundled list prices overlaid with the user's override file).
 */
import { BUNDLED_PRICES } from '../../../core/pricing/index.js';
import { describePrices } from '../../../core/pricing/user-table.js';
import type { ApiDeps } from '../deps.js';
import { expectNoQuery } from '../query.js';
import type { RequestContext, RouteResult } from '../router.js';

/** Answers the effective price table and its sources. Takes no parameters. */
export function getPrices(deps: ApiDeps, ctx: RequestContext): RouteResult {
  expectNoQuery(ctx.query);
  const body =
    deps.prices?.() ??
    describePrices({ table: BUNDLED_PRICES, bundled: { source: BUNDLED_PRICES.source, retrieved: BUNDLED_PRICES.retrieved }, override: null });
  return { status: 200, body };
}

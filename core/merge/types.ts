/**
 * Inputs of the pure projection besides the session's own events.
 * Everything the merge needs arrives here as data: no clock, no I/O.
 */

import type { Usage } from '../../schema/index.js';

/** Cost in USD of one request, or null when the model has no price. Must be pure. */
export type RequestPricer = (model: string, usage: Usage) => number | null;

/** Context for projecting one session. */
export interface ProjectionContext {
  /** Stable id of this machine, copied into the record. */
  machine_id: string;
  /**
   * Request keys (see `requestKey`) that another session owns: a forked or
   * old-style resumed session carries copies of its parent's requests, which
   * count once, for the session where they first appeared. The store decides
   * ownership; the merge only skips these.
   */
  foreign_request_keys?: ReadonlySet<string>;
  /**
   * Prices one request (the daemon passes the price table's pricer). Without
   * it `cost_usd` stays null and nothing is counted as unpriced.
   */
  price?: RequestPricer;
  /**
   * The caller guarantees no two events share a `dedupe_key` (the store's
   * unique index does), so the projection skips its duplicate check and, for
   * events already in fold order, the copy that check needs.
   */
  distinct_keys?: boolean;
}

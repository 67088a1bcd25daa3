/**
 * The one total order every fold in the merge walks: by `ts`, then by
 * `dedupe_key`. Folding over a total order is what makes the projection
 * independent of arrival order.
 */
import type { NormalizedEvent } from '../../schema/index.js';

/**
 * Compares two events by `ts`, then `dedupe_key` (code-unit order, not locale
 * order, so every runtime agrees). Two events with equal keys fall back to
 * `received_at` and then their serialized form, so even a ledger holding two
 * different events under one key sorts the same way every time.
 */
export function compareEvents(a: NormalizedEvent, b: NormalizedEvent): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  if (a.dedupe_key !== b.dedupe_key) return a.dedupe_key < b.dedupe_key ? -1 : 1;
  if (a.received_at !== b.received_at) return a.received_at < b.received_at ? -1 : 1;
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Returns a new array sorted by `ts`, then `dedupe_key`, with later events
 * that repeat an earlier event's `dedupe_key` removed (the first after sorting
 * is kept). The input is not modified.
 */
export function sortEvents<E extends NormalizedEvent>(events: readonly E[]): E[] {
  // The store reads a session back in this order already; checking is O(n), sorting is not.
  const sorted = isSorted(events) ? [...events] : [...events].sort(compareEvents);
  const seen = new Set<string>();
  const out: E[] = [];
  for (const event of sorted) {
    if (seen.has(event.dedupe_key)) continue;
    seen.add(event.dedupe_key);
    out.push(event);
  }
  return out;
}

/**
 * The events in fold order for a caller that guarantees distinct dedupe keys:
 * `events` itself when already in order (the store loads them so), else a
 * sorted copy. With repeated keys the result is wrong; use {@link sortEvents}.
 */
export function inFoldOrderDistinct<E extends NormalizedEvent>(events: readonly E[]): readonly E[] {
  return isSorted(events) ? events : [...events].sort(compareEvents);
}

function isSorted(events: readonly NormalizedEvent[]): boolean {
  for (let i = 1; i < events.length; i += 1) {
    const a = events[i - 1]!;
    const b = events[i]!;
    // The full comparison only where ts and key do not decide (never, in a store's list).
    if (a.ts < b.ts || (a.ts === b.ts && a.dedupe_key < b.dedupe_key)) continue;
    if (compareEvents(a, b) > 0) return false;
  }
  return true;
}

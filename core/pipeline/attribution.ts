/**
 * Splits one writer batch's per-event outcome back to the submissions it
 * coalesced, so every submitter learns ITS OWN counts.
 */
import type { IngestResult } from './sink.js';

/**
 * `sizes[i]` events of submission i were sent in order; `insertedFlags` has
 * one flag per event. An event that repeats a key from an earlier submission
 * of the same batch was flagged false by the writer and so counts as a
 * duplicate for the later submitter.
 */
export function attributeResults(sizes: readonly number[], insertedFlags: readonly boolean[]): IngestResult[] {
  const total = sizes.reduce((sum, n) => sum + n, 0);
  if (insertedFlags.length !== total) {
    throw new RangeError(`writer returned ${insertedFlags.length} inserted flags for ${total} events`);
  }
  const results: IngestResult[] = [];
  let offset = 0;
  for (const size of sizes) {
    let inserted = 0;
    for (let i = offset; i < offset + size; i++) if (insertedFlags[i]) inserted++;
    results.push({ received: size, inserted, duplicates: size - inserted });
    offset += size;
  }
  return results;
}

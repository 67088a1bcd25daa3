/**
 * Source-priority selection of one value, the building block of every
 * provenanced field: the strongest source that has a value wins, and within
 * that source the earliest or latest offer (in fold order) wins.
 */
import { SOURCE_PRIORITY, sourceRank, type Source } from '../../schema/index.js';

/** Which offer of the winning source is kept. */
export type PickMode = 'earliest' | 'latest';

/**
 * Accumulates offers of one field's value. Offers must arrive in fold order
 * (see `sortEvents`); `null` and `undefined` offers are ignored, so a source
 * that says nothing never hides one that said something.
 */
export class SourcePick<T> {
  readonly #latest: boolean;
  // Kept as fields, not a {value, source} pair: offers run per event, and a
  // pair per offer was the merge's largest source of garbage. The winning
  // source is the one of rank `#rank`.
  #value: T | null = null;
  #rank = Number.POSITIVE_INFINITY;

  constructor(mode: PickMode) {
    this.#latest = mode === 'latest';
  }

  /** Offers a value seen from `source`. */
  offer(source: Source, value: T | null | undefined): void {
    if (value === null || value === undefined) return;
    const rank = sourceRank(source);
    if (rank < this.#rank || (rank === this.#rank && this.#latest)) {
      this.#rank = rank;
      this.#value = value;
    }
  }

  /** The winning value, or null when no source offered one. */
  get value(): T | null {
    return this.#value;
  }

  /** The source of the winning value, or null when there is none. */
  get source(): Source | null {
    return this.#value === null ? null : SOURCE_PRIORITY[this.#rank]!;
  }
}

/**
 * Provenance of a value assembled from several items (requests, tool calls…),
 * each credited to one source: that source when all agree, `mixed` when they
 * differ, null when there were no items.
 */
export function combinedSource(sources: Iterable<Source>): Source | 'mixed' | null {
  let only: Source | null = null;
  for (const source of sources) {
    if (only === null) only = source;
    else if (only !== source) return 'mixed';
  }
  return only;
}

/** The strongest of the given sources (smallest rank), or null for none. */
export function strongestSource(sources: Iterable<Source>): Source | null {
  let best: Source | null = null;
  for (const source of sources) {
    if (best === null || sourceRank(source) < sourceRank(best)) best = source;
  }
  return best;
}

/** A set of sources as bits (bit i: the source of rank i), for folds that meet a set per item. */
export function sourceBit(source: Source): number {
  return 1 << sourceRank(source);
}

/** The strongest source in a set made of {@link sourceBit}s, or null for the empty set. */
export function strongestOfBits(bits: number): Source | null {
  if (bits === 0) return null;
  return SOURCE_PRIORITY[31 - Math.clz32(bits & -bits)]!;
}

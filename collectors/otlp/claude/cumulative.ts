/**
 * Turns cumulative metric series into deltas. The last point seen of each
 * series is kept in memory and persisted as a checkpoint in the same
 * transaction as the deltas computed from it, so a restart neither re-counts
 * a series from zero nor loses its place. A point at or before the last one
 * (a retried request) yields nothing; a count restarts only with a new start
 * time, as the OTLP data model marks resets.
 */
import { createHash } from 'node:crypto';
import type { Checkpoint } from '../../../core/pipeline/sink.js';
import type { Attrs } from '../model.js';

/** The collector name under which series states are checkpointed. */
export const CHECKPOINT_COLLECTOR = 'otlp';
const KEY_PREFIX = 'cum:';

interface SeriesState {
  /** Series start, ns. A later start means the producer restarted the count. */
  s: number;
  /** Time of the last point, ns. */
  t: number;
  /** Cumulative value at `t`. */
  v: number;
}

/** Series updates computed for one request, applied only once its batch is committed. */
export type PendingSeries = Map<string, SeriesState>;

/** Last points of cumulative series, bounded in number (oldest forgotten first). */
export class CumulativeSeries {
  readonly #states = new Map<string, SeriesState>();
  readonly #maxSeries: number;

  /** `saved` is what `checkpoints.load('otlp')` returned at start-up. */
  constructor(saved: Map<string, string>, maxSeries: number) {
    this.#maxSeries = maxSeries;
    for (const [key, value] of saved) {
      if (!key.startsWith(KEY_PREFIX)) continue;
      const state = parseState(value);
      if (state) this.#remember(key.slice(KEY_PREFIX.length), state);
    }
  }

  get size(): number {
    return this.#states.size;
  }

  /**
   * The increment of a cumulative point over the previous point of its
   * series, or `undefined` when the point is stale (before the last one, the
   * last one again, or from an older start) or is a monotonic sum below its
   * last value under the same start. Records the new state in `pending`.
   */
  delta(series: string, startNs: number, timeNs: number, value: number, monotonic: boolean, pending: PendingSeries): number | undefined {
    const prev = pending.get(series) ?? this.#states.get(series);
    let delta: number;
    if (prev === undefined || startNs > prev.s) delta = value;
    else if (startNs < prev.s || timeNs < prev.t || (timeNs === prev.t && value === prev.v)) return undefined;
    else {
      // A later point, or a new value stamped with the same time (exports less than a clock tick apart).
      delta = value - prev.v;
      // OTLP marks a reset with a new start time (handled above). A monotonic sum that
      // went down under the same start is a faulty point (Claude Code's commit.count
      // does this, FORMATS §1.4): counting it as a reset would count the series twice,
      // so it yields nothing and the highest value stays the mark to count from.
      if (monotonic && delta < 0) return undefined;
    }
    pending.set(series, { s: startNs, t: timeNs, v: value });
    return delta;
  }

  /** Checkpoints that persist `pending` alongside the events computed from it. */
  checkpointsOf(pending: PendingSeries): Checkpoint[] {
    return [...pending].map(([series, state]) => ({ collector: CHECKPOINT_COLLECTOR, key: KEY_PREFIX + series, value: JSON.stringify(state) }));
  }

  /** Applies `pending` after its batch was committed. */
  commit(pending: PendingSeries): void {
    for (const [series, state] of pending) this.#remember(series, state);
  }

  #remember(series: string, state: SeriesState): void {
    this.#states.delete(series);
    this.#states.set(series, state);
    while (this.#states.size > this.#maxSeries) {
      const oldest = this.#states.keys().next().value;
      if (oldest === undefined) break;
      this.#states.delete(oldest);
    }
  }
}

/** A short stable identity for a metric series: its name and every point attribute, in key order. */
export function seriesKey(metricName: string, attrs: Attrs): string {
  const h = createHash('sha1').update(metricName);
  for (const key of [...attrs.keys()].sort()) h.update(`\u0000${key}\u0001${JSON.stringify(attrs.get(key))}`);
  return h.digest('base64url').slice(0, 16);
}

function parseState(text: string): SeriesState | undefined {
  try {
    const v = JSON.parse(text) as Partial<SeriesState>;
    return typeof v.s === 'number' && typeof v.t === 'number' && typeof v.v === 'number' ? { s: v.s, t: v.t, v: v.v } : undefined;
  } catch {
    return undefined;
  }
}

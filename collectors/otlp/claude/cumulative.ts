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
/** Stored states of forgotten series deleted with one request at most: keeps a commit short after a start-up with many. */
const MAX_DELETES_PER_REQUEST = 1_000;

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

/**
 * Last points of cumulative series, bounded in number (oldest forgotten
 * first). A forgotten series' stored state is deleted with a later request
 * that carries series, so the stored states stay bounded too.
 */
export class CumulativeSeries {
  readonly #states = new Map<string, SeriesState>();
  readonly #maxSeries: number;
  /** Series forgotten here whose state is still stored. */
  readonly #forgotten = new Set<string>();

  /** `saved` is what `checkpoints.load('otlp')` returned at start-up. */
  constructor(saved: Map<string, string>, maxSeries: number) {
    this.#maxSeries = maxSeries;
    const loaded: [string, SeriesState][] = [];
    for (const [key, value] of saved) {
      if (!key.startsWith(KEY_PREFIX)) continue;
      const state = parseState(value);
      if (state) loaded.push([key.slice(KEY_PREFIX.length), state]);
    }
    // Oldest last point first, so the bound keeps the series seen most recently.
    loaded.sort((a, b) => a[1].t - b[1].t);
    for (const [series, state] of loaded) this.#remember(series, state);
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
    // A change past ±2^53 is refused by the mapping: it must not become the mark later points count from.
    if (Math.abs(delta) <= Number.MAX_SAFE_INTEGER) pending.set(series, { s: startNs, t: timeNs, v: value });
    return delta;
  }

  /** Series forgotten here whose stored state is not deleted yet. */
  get forgottenStored(): number {
    return this.#forgotten.size;
  }

  /**
   * Checkpoints that persist `pending` alongside the events computed from it,
   * and, when `pending` has series, delete the stored states of some
   * forgotten ones. Only such requests delete: they run one at a time (see
   * `OtlpIngest`), so no concurrent request can bring a deleted series back.
   */
  checkpointsOf(pending: PendingSeries): Checkpoint[] {
    const out: Checkpoint[] = [...pending].map(([series, state]) => ({ collector: CHECKPOINT_COLLECTOR, key: KEY_PREFIX + series, value: JSON.stringify(state) }));
    if (pending.size === 0) return out;
    let deletes = 0;
    for (const series of this.#forgotten) {
      if (deletes === MAX_DELETES_PER_REQUEST) break;
      if (pending.has(series)) continue;
      out.push({ collector: CHECKPOINT_COLLECTOR, key: KEY_PREFIX + series, value: null });
      deletes++;
    }
    return out;
  }

  /** Applies `pending` after its batch, with `committed` (what {@link checkpointsOf} gave), was committed. */
  commit(pending: PendingSeries, committed: readonly Checkpoint[] = []): void {
    for (const cp of committed) if (cp.value === null) this.#forgotten.delete(cp.key.slice(KEY_PREFIX.length));
    for (const [series, state] of pending) this.#remember(series, state);
  }

  #remember(series: string, state: SeriesState): void {
    this.#states.delete(series);
    this.#forgotten.delete(series);
    this.#states.set(series, state);
    while (this.#states.size > this.#maxSeries) {
      const oldest = this.#states.keys().next().value;
      if (oldest === undefined) break;
      this.#states.delete(oldest);
      this.#forgotten.add(oldest);
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

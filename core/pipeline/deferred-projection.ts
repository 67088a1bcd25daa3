/**
 * The ingest pipeline's deferred-projection bookkeeping: decides whether a
 * commit projects its sessions at once or only marks them dirty, remembers
 * since when sessions are dirty, and re-projects them between commits (on
 * lag, or all of them on drain), telling commit listeners which sessions
 * changed. See {@link IngestPipeline} for when each happens.
 */
import type { Logger } from 'pino';
import type { BatchWriter } from './commit-group.js';
import type { CommitListeners } from './commit-listeners.js';

/** A writer whose commits can leave projection for later (the store's writer). */
export interface DeferredProjectionWriter extends BatchWriter {
  /** Like `commit`, but only marks the touched sessions dirty. */
  commitDeferred: BatchWriter['commit'];
  /** Re-projects dirty sessions until none is left or `budgetMs` passed; throws with them still dirty. */
  reprojectDirty(budgetMs?: number): { touched_sessions: readonly string[]; remaining: number };
}

/** What {@link DeferredProjection} needs from the pipeline that owns it. */
export interface DeferredProjectionOptions {
  /** Re-project between commits once the oldest dirty mark is this old, ms. */
  maxLagMs: number;
  /** Most time one re-projection between commits may take, ms. */
  budgetMs: number;
  /** The pipeline's monotonic clock, ms. */
  clock: () => number;
  logger: Logger | undefined;
  /** Hear re-projections as batches of zero events. */
  listeners: CommitListeners;
  /** Whether submissions are queued behind the group being committed now. */
  hasBacklog: () => boolean;
}

function defersProjection(writer: BatchWriter): writer is DeferredProjectionWriter {
  const candidate = writer as Partial<DeferredProjectionWriter>;
  return typeof candidate.commitDeferred === 'function' && typeof candidate.reprojectDirty === 'function';
}

/**
 * Deferred projection for one pipeline. With a writer that cannot defer,
 * {@link writer} is that writer and every other method does nothing.
 */
export class DeferredProjection {
  /** The writer the pipeline commits through: defers projection while a backlog is queued. */
  readonly writer: BatchWriter;
  readonly #projector: DeferredProjectionWriter | null;
  readonly #opts: DeferredProjectionOptions;
  /** Clock time of the first commit whose sessions are not projected yet; null when none. */
  #dirtySince: number | null = null;
  /** Whether the last writer commit left projection for later. */
  #deferredCommit = false;

  constructor(writer: BatchWriter, opts: DeferredProjectionOptions) {
    this.#opts = opts;
    this.#projector = defersProjection(writer) ? writer : null;
    const projector = this.#projector;
    this.writer =
      projector === null
        ? writer
        : {
            commit: (events, checkpoints, storedAttrs) => {
              this.#deferredCommit = opts.hasBacklog();
              return this.#deferredCommit
                ? projector.commitDeferred(events, checkpoints, storedAttrs)
                : projector.commit(events, checkpoints, storedAttrs);
            },
          };
  }

  /** A commit through {@link writer} succeeded having inserted `inserted` events: track what it left dirty. */
  committed(inserted: number): void {
    if (this.#projector !== null) {
      // An ordinary commit re-projected every dirty session, earlier ones included.
      if (!this.#deferredCommit) this.#dirtySince = null;
      else if (inserted > 0) this.#dirtySince ??= this.#opts.clock();
    }
  }

  /** Between commits: re-projects within the budget once the oldest dirty mark reached the maximum lag. */
  projectIfLagging(): void {
    if (this.#dirtySince !== null && this.#opts.clock() - this.#dirtySince >= this.#opts.maxLagMs) this.#projectAndEmit(this.#opts.budgetMs);
  }

  /** Re-projects every dirty session, without a time budget (a failure leaves them dirty). */
  projectAll(): void {
    this.#projectAndEmit(Number.POSITIVE_INFINITY);
  }

  /** Re-projects dirty sessions within `budgetMs` and tells listeners which (as a batch of no events). */
  #projectAndEmit(budgetMs: number): void {
    const started = this.#opts.clock();
    const touched = this.#project(budgetMs);
    if (touched.length > 0) {
      this.#opts.listeners.emit({ touched_sessions: touched, events: 0, inserted: 0, duplicates: 0, duration_ms: this.#opts.clock() - started });
    }
  }

  /**
   * One budgeted re-projection of the dirty sessions; returns the sessions it
   * re-projected. A failure is logged and leaves them dirty for the next
   * commit, drain or store open (the marks are durable).
   */
  #project(budgetMs: number): readonly string[] {
    if (this.#projector === null || this.#dirtySince === null) return [];
    try {
      const outcome = this.#projector.reprojectDirty(budgetMs);
      this.#dirtySince = outcome.remaining > 0 ? this.#dirtySince : null;
      return outcome.touched_sessions;
    } catch (error) {
      this.#dirtySince = this.#opts.clock();
      this.#opts.logger?.error({ err: error }, 'deferred projection failed; sessions stay dirty');
      return [];
    }
  }
}

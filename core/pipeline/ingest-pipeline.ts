/**
 * The ingest pipeline: the one {@link EventSink} every collector submits to.
 * A bounded queue in front of a single writer loop that coalesces queued
 * submissions into one transaction, then answers each submitter with its own
 * counts only after the commit.
 *
 * With a writer that can defer projection ({@link DeferredProjectionWriter}),
 * a commit with nothing queued behind it is an ordinary commit that also
 * re-projects every dirty session in its transaction (an acknowledged batch
 * is visible to readers, as without deferral). While a backlog is queued,
 * commits only insert events and mark their sessions dirty, acknowledgements go out at once and
 * projection waits for the queue to empty, or for the oldest dirty mark to
 * reach a maximum lag (a long backfill still shows progress): a session fed
 * by many queued commits is projected a few times, not once per commit.
 * Listeners hear a lag-driven projection as a batch of zero events.
 */
import type { Logger } from 'pino';
import { DossierError, type PipelineCounters } from '../../schema/index.js';
import { commitGroup, type BatchWriter, type GroupCommitted, type GroupFailed } from './commit-group.js';
import { CommitListeners, type CommitListener } from './commit-listeners.js';
import { DeferredProjection } from './deferred-projection.js';
import { PendingQueue, type PendingSubmission } from './pending-queue.js';
import type { EventSink, IngestBatch, IngestResult } from './sink.js';

export type { BatchWriter } from './commit-group.js';
export type { DeferredProjectionWriter } from './deferred-projection.js';

/** Tuning of {@link IngestPipeline}; every field has a default. */
export interface IngestPipelineOptions {
  /** Most events queued at once; a submit that would overflow is refused. Default 50,000. */
  capacity?: number;
  /** Most events per writer transaction (a larger single submission still goes whole). Default 10,000. */
  maxBatchEvents?: number;
  logger?: Logger;
  /** Monotonic clock in ms for commit durations and the stop deadline; default `performance.now`. */
  clock?: () => number;
  /** Deferred projection: re-project between commits once the oldest dirty mark is this old, ms. Default 250. */
  projectionMaxLagMs?: number;
  /** Deferred projection: most time one re-projection between commits may take, ms. Default 100. */
  projectionBudgetMs?: number;
}

/** Default queue capacity, in events. */
export const DEFAULT_QUEUE_CAPACITY = 50_000;
/** Default most events per writer transaction. */
export const DEFAULT_MAX_BATCH_EVENTS = 10_000;

/** Default longest a dirty session waits while commits keep coming, ms. */
export const DEFAULT_PROJECTION_MAX_LAG_MS = 250;
/** Default time budget of one re-projection between commits, ms. */
export const DEFAULT_PROJECTION_BUDGET_MS = 100;

/** Bounded queue + single writer loop; see the file comment. */
export class IngestPipeline implements EventSink {
  readonly #writer: BatchWriter;
  readonly #projection: DeferredProjection;
  readonly #queue: PendingQueue;
  readonly #maxBatchEvents: number;
  readonly #logger: Logger | undefined;
  readonly #clock: () => number;
  readonly #listeners: CommitListeners;
  readonly #idleWaiters: (() => void)[] = [];
  readonly #totals = { received: 0, inserted: 0, duplicates: 0, rejected: 0, batches: 0 };
  #lastCommitMs: number | null = null;
  #scheduled = false;
  #stopDeadline: number | null = null;
  #stopped: Promise<void> | null = null;

  /** The pipeline writes through `writer` only; it never opens the store itself. */
  constructor(writer: BatchWriter, options: IngestPipelineOptions = {}) {
    this.#queue = new PendingQueue(options.capacity ?? DEFAULT_QUEUE_CAPACITY);
    this.#maxBatchEvents = options.maxBatchEvents ?? DEFAULT_MAX_BATCH_EVENTS;
    this.#logger = options.logger;
    this.#clock = options.clock ?? (() => performance.now());
    this.#listeners = new CommitListeners((error) => this.#logger?.warn({ err: error }, 'commit listener threw'));
    this.#projection = new DeferredProjection(writer, {
      maxLagMs: options.projectionMaxLagMs ?? DEFAULT_PROJECTION_MAX_LAG_MS,
      budgetMs: options.projectionBudgetMs ?? DEFAULT_PROJECTION_BUDGET_MS,
      clock: this.#clock,
      logger: this.#logger,
      listeners: this.#listeners,
      // The group being committed has left the queue: empty means nothing waits behind it.
      hasBacklog: () => !this.#queue.isEmpty,
    });
    this.#writer = this.#projection.writer;
  }

  /** False while the queue is full or the pipeline is stopping. */
  get accepting(): boolean {
    return this.#stopped === null && this.#queue.depth < this.#queue.capacity;
  }

  /**
   * Queues the batch and settles after it is committed, with this batch's own
   * counts. Rejects at once with `DOSSIER_E_PIPELINE_STOPPED` after `stop`,
   * `DOSSIER_E_PIPELINE_QUEUE_FULL` when the batch does not fit (retry later;
   * a batch larger than the whole capacity never fits), and later with
   * `DOSSIER_E_STORE_WRITE` when its own transaction failed (nothing of it was
   * written; a failing batch coalesced with others is retried alone first, so
   * it cannot take the others down with it).
   */
  submit(batch: IngestBatch): Promise<IngestResult> {
    const size = batch.events.length;
    if (this.#stopped !== null) return this.#refuse(size, new DossierError('DOSSIER_E_PIPELINE_STOPPED'));
    if (size > this.#queue.capacity) {
      return this.#refuse(size, new DossierError('DOSSIER_E_PIPELINE_QUEUE_FULL', `a batch of ${size} events exceeds the queue capacity of ${this.#queue.capacity}; split it`));
    }
    if (this.#queue.wouldOverflow(size)) {
      return this.#refuse(size, new DossierError('DOSSIER_E_PIPELINE_QUEUE_FULL', `${this.#queue.depth} of ${this.#queue.capacity} events queued`));
    }
    this.#totals.received += size;
    return new Promise<IngestResult>((resolve, reject) => {
      this.#queue.push({ batch, resolve, reject });
      this.#schedule();
    });
  }

  /** Subscribes to successful commits; returns the unsubscribe function. */
  onCommitted(listener: CommitListener): () => void {
    return this.#listeners.add(listener);
  }

  /** A snapshot of the ingest counters for `dossier status`. */
  counters(): PipelineCounters {
    return {
      ...this.#totals,
      queue_depth: this.#queue.depth,
      queue_capacity: this.#queue.capacity,
      last_commit_ms: this.#lastCommitMs,
    };
  }

  /**
   * Settles once everything queued so far has been committed (or failed) and
   * projected (a failed projection stays dirty for the next try). Keeps accepting.
   */
  drain(): Promise<void> {
    if (this.#queue.isEmpty) {
      this.#projection.projectAll();
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops accepting, commits everything queued, then settles. Batches still
   * queued when `deadlineMs` has passed are rejected with
   * `DOSSIER_E_PIPELINE_STOPPED` (never acknowledged, so their senders and
   * checkpoints will deliver them again). Idempotent: later calls return the
   * first call's promise.
   */
  stop(deadlineMs: number): Promise<void> {
    if (this.#stopped !== null) return this.#stopped;
    this.#stopDeadline = this.#clock() + Math.max(0, deadlineMs);
    this.#logger?.info({ queued_events: this.#queue.depth }, 'pipeline stopping');
    this.#stopped = this.drain().then(() => {
      this.#logger?.info({ ...this.#totals }, 'pipeline stopped');
    });
    this.#schedule();
    return this.#stopped;
  }

  #refuse(size: number, error: DossierError): Promise<IngestResult> {
    this.#totals.rejected += size;
    return Promise.reject(error);
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate runs after pending I/O callbacks, so submits that arrive
    // together coalesce into one transaction instead of one each.
    setImmediate(() => {
      this.#scheduled = false;
      this.#runOnce();
    });
  }

  #runOnce(): void {
    if (this.#stopDeadline !== null && !this.#queue.isEmpty && this.#clock() >= this.#stopDeadline) {
      this.#abandon(this.#queue.takeAll());
    } else if (!this.#queue.isEmpty) {
      this.#commit(this.#queue.take(this.#maxBatchEvents));
    }
    this.#projection.projectIfLagging();
    if (!this.#queue.isEmpty) {
      this.#schedule();
      return;
    }
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  #commit(group: PendingSubmission[]): void {
    const outcome = commitGroup(this.#writer, group, this.#clock);
    if (outcome.ok) return this.#settle(group, outcome);
    if (group.length > 1 && outcome.error.code === 'DOSSIER_E_STORE_WRITE') {
      // Nothing was written. One bad submission must not sink the others it
      // was coalesced with: retry each in its own transaction.
      for (const submission of group) {
        const alone = commitGroup(this.#writer, [submission], this.#clock);
        if (alone.ok) this.#settle([submission], alone);
        else this.#fail([submission], alone);
      }
      return;
    }
    this.#fail(group, outcome);
  }

  #settle(group: PendingSubmission[], committed: GroupCommitted): void {
    this.#lastCommitMs = committed.duration_ms;
    this.#totals.batches++;
    this.#totals.inserted += committed.inserted;
    this.#totals.duplicates += committed.events - committed.inserted;
    this.#projection.committed(committed.inserted);
    group.forEach((s, i) => s.resolve(committed.results[i]!));
    this.#listeners.emit({
      touched_sessions: committed.touched_sessions,
      events: committed.events,
      inserted: committed.inserted,
      duplicates: committed.events - committed.inserted,
      duration_ms: committed.duration_ms,
    });
  }

  #fail(group: PendingSubmission[], failed: GroupFailed): void {
    this.#totals.rejected += failed.events;
    this.#logger?.error({ err: failed.error.cause, code: failed.error.code, events: failed.events }, 'ingest batch failed to commit');
    for (const s of group) s.reject(failed.error);
  }

  #abandon(submissions: PendingSubmission[]): void {
    const events = submissions.reduce((sum, s) => sum + s.batch.events.length, 0);
    this.#totals.rejected += events;
    this.#logger?.warn({ events, submissions: submissions.length }, 'stop deadline passed; queued batches refused for redelivery');
    for (const s of submissions) s.reject(new DossierError('DOSSIER_E_PIPELINE_STOPPED', 'stop deadline passed before this batch was committed'));
  }
}

/**
 * The pipeline's bounded FIFO of accepted submissions, measured in events.
 * A submission is never split: a writer batch takes whole submissions.
 */
import type { IngestBatch, IngestResult } from './sink.js';

/** One accepted `submit` call waiting for its commit. */
export interface PendingSubmission {
  readonly batch: IngestBatch;
  readonly resolve: (result: IngestResult) => void;
  readonly reject: (error: unknown) => void;
}

/** FIFO of pending submissions with a capacity in events. */
export class PendingQueue {
  readonly capacity: number;
  #items: PendingSubmission[] = [];
  #head = 0;
  #depth = 0;

  /** `capacity` is the most events the queue holds at once; a positive integer. */
  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity must be a positive integer (got ${capacity})`);
    this.capacity = capacity;
  }

  /** Events currently queued. */
  get depth(): number {
    return this.#depth;
  }

  /** True when nothing is queued (not even an event-less checkpoint batch). */
  get isEmpty(): boolean {
    return this.#head === this.#items.length;
  }

  /** True when `events` more events would not fit. */
  wouldOverflow(events: number): boolean {
    return this.#depth + events > this.capacity;
  }

  /** Appends a submission; the caller has checked {@link wouldOverflow}. */
  push(item: PendingSubmission): void {
    this.#items.push(item);
    this.#depth += item.batch.events.length;
  }

  /**
   * Removes the oldest submissions whose events add up to at most
   * `maxEvents`; always at least one when the queue is not empty, so a
   * submission larger than `maxEvents` still gets its own batch.
   */
  take(maxEvents: number): PendingSubmission[] {
    const out: PendingSubmission[] = [];
    let events = 0;
    while (this.#head < this.#items.length) {
      const next = this.#items[this.#head]!;
      const size = next.batch.events.length;
      if (out.length > 0 && events + size > maxEvents) break;
      out.push(next);
      events += size;
      this.#head++;
    }
    this.#depth -= events;
    this.#compact();
    return out;
  }

  /** Removes and returns everything queued. */
  takeAll(): PendingSubmission[] {
    return this.take(Number.POSITIVE_INFINITY);
  }

  #compact(): void {
    // Drop consumed slots once they dominate, so the array does not grow forever.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    } else if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    }
  }
}

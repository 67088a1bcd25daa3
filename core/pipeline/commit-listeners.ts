/**
 * A small typed listener list for "a batch was committed" notifications
 * (the watch stream subscribes here). A throwing listener is reported and
 * never disturbs the writer or the other listeners.
 */

/** What one committed writer batch did. */
export interface CommittedBatch {
  /** Sessions whose projection was recomputed, sorted. */
  touched_sessions: readonly string[];
  /** Events in the batch, across every coalesced submission. */
  events: number;
  inserted: number;
  duplicates: number;
  /** How long the commit took, ms. */
  duration_ms: number;
}

/** Called after each successful commit, synchronously on the writer loop: keep it short. */
export type CommitListener = (batch: CommittedBatch) => void;

/** Ordered set of {@link CommitListener}s. */
export class CommitListeners {
  readonly #listeners = new Set<CommitListener>();
  readonly #onListenerError: (error: unknown) => void;

  /** `onListenerError` receives whatever a listener throws. */
  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  /** Adds a listener; returns the function that removes it. */
  add(listener: CommitListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Calls every listener in the order they were added. */
  emit(batch: CommittedBatch): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(batch);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
